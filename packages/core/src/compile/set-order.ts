/**
 * SET assignments in an order that gives every dialect the same answer. MySQL evaluates SET left
 * to right, each expression seeing the columns assigned before it; elsewhere every expression sees
 * the row as it was. On MySQL an assignment reading another's column must come before it; when
 * assignments read each other's columns (a swap) no order works, and the statement is refused.
 *
 * Reads are never guessed. A column node is a certain read. Raw SQL text is not parsed: every
 * identifier in it (a bare word, a quoted name, an `sql.identifier`) that names a column set beside
 * it may be a read, and is honoured as one (putting a reader first is right whether or not it
 * reads). When those possible reads leave no order, the order is unknowable and the statement is
 * refused, unless the user states it (`set(values, { order: 'as written' })`).
 */
import type { AssignmentNode, Node } from '../ast/nodes.js'
import { CompileError } from '../errors.js'

/** What an assignment's value reads of the row. */
interface Reads {
  /** SQL names of the table's columns passed in as nodes: certain reads. */
  readonly columns: ReadonlySet<string>
  /** Identifiers in raw SQL, lower-cased (MySQL column names ignore case): possible reads. */
  readonly words: ReadonlySet<string>
}

/**
 * `assignments` reordered so each one comes before every assignment to a column it reads or may
 * read (the given order kept where it can be). Throws `CompileError` on a cycle of column reads (a
 * swap), and on a cycle that only raw SQL may make, unless `stated` (the user vouches for the
 * written order of raw SQL; column reads still reorder).
 * @example sequentialOrder([b = 1, a = b], 'users', 'mysql') // [a = b, b = 1]
 */
export function sequentialOrder(assignments: readonly AssignmentNode[], qualifier: string, dialect: string, stated = false): readonly AssignmentNode[] {
  if (assignments.length < 2) return assignments
  const reads = assignments.map((a) => readsOf(a.value, qualifier))
  if (reads.every((r) => r.columns.size === 0 && r.words.size === 0)) return assignments
  const targets = assignments.map((a) => a.column.meta.name)
  // j must come before i when it reads i's column: a column node says so for certain; raw SQL may.
  const known = (j: number, i: number) => reads[j].columns.has(targets[i])
  const possible = (j: number, i: number) => known(j, i) || reads[j].words.has(targets[i].toLowerCase())
  const order = ordered(assignments.length, stated ? known : possible)
  if (order) return order.map((i) => assignments[i])
  const between = (before: (j: number, i: number) => boolean) => targets.filter((_, i) => assignments.some((_, j) => j !== i && before(j, i))).join(', ')
  if (stated || !ordered(assignments.length, known)) {
    throw new CompileError(
      `${dialect} evaluates SET left to right, and the assignments to ${qualifier}.(${between(known)}) read each other's columns: no order gives the values every other dialect gives; split the update into statements`,
    )
  }
  throw new CompileError(
    `${dialect} evaluates SET left to right, and raw SQL in the assignments to ${qualifier}.(${between(possible)}) names columns set beside it: whether it reads them is unknowable, and no order honours every such read; pass the columns as column references (sql\`…${'${'}table.column}…\`), or state the order with set(values, { order: 'as written' })`,
  )
}

/** Indexes 0…n-1 with every `before(j, i)` pair j ahead of i, the given order kept where free; `undefined` on a cycle. */
function ordered(n: number, before: (j: number, i: number) => boolean): number[] | undefined {
  const left = Array.from({ length: n }, (_, i) => i)
  const out: number[] = []
  while (left.length) {
    const at = left.findIndex((i) => !left.some((j) => j !== i && before(j, i)))
    if (at < 0) return undefined
    out.push(left[at])
    left.splice(at, 1)
  }
  return out
}

/** What an expression reads of `qualifier`'s row (bound values and their types skipped). */
function readsOf(node: Node, qualifier: string): Reads {
  const columns = new Set<string>()
  const words = new Set<string>()
  const visit = (value: unknown): void => {
    if (typeof value !== 'object' || value === null) return
    if (Array.isArray(value)) {
      for (let i = 0; i < value.length; i++) visit(value[i])
      return
    }
    const kind = (value as { kind?: unknown }).kind
    if (kind === 'value' || kind === 'param' || kind === 'table') return
    if (kind === 'column') {
      const column = value as { qualifier: string; meta: { name: string } }
      if (column.qualifier === qualifier) columns.add(column.meta.name)
      return
    }
    if (kind === 'identifier') {
      const names = (value as { names: readonly string[] }).names
      if (names.length === 1 || names[names.length - 2] === qualifier) words.add(names[names.length - 1].toLowerCase())
      return
    }
    if (kind === 'raw') for (const part of (value as { parts: readonly string[] }).parts) identifiersOf(part, words)
    for (const key in value) if (key !== 'meta' && key !== 'type') visit((value as Record<string, unknown>)[key])
  }
  visit(node)
  return { columns, words }
}

/**
 * Adds every identifier `text` may hold, lower-cased, to `out`: bare words (letters, digits, `_`,
 * `$`, any non-ASCII) and the names inside backticks or double quotes (a doubled quote is one).
 * Words inside string literals are added too: a possible read too many only narrows the order.
 */
function identifiersOf(text: string, out: Set<string>): void {
  let start = -1
  for (let i = 0; i <= text.length; i++) {
    const c = i < text.length ? text.charCodeAt(i) : 0
    const word = (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 95 || c === 36 || c > 127
    if (word && start < 0) start = i
    else if (!word && start >= 0) {
      out.add(text.slice(start, i).toLowerCase())
      start = -1
    }
    // The words inside are read too: a quote in a string literal must not hide what follows it.
    if (c === 96 || c === 34) quoted(text, i, out)
  }
}

/** Adds the quoted name opening at `open` (to the end of text if it is not closed). */
function quoted(text: string, open: number, out: Set<string>): void {
  const q = text[open]
  let name = ''
  for (let i = open + 1; i < text.length; i++) {
    if (text[i] !== q) name += text[i]
    else if (text[i + 1] === q) name += text[i++]
    else {
      out.add(name.toLowerCase())
      return
    }
  }
  out.add(name.toLowerCase())
}
