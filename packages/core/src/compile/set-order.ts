/**
 * SET assignments in an order that gives every dialect the same answer. MySQL evaluates SET left
 * to right, each expression seeing the columns assigned before it; elsewhere every expression sees
 * the row as it was. On MySQL an assignment reading another's column must come before it; when
 * assignments read each other's columns (a swap) no order works, and the statement is refused.
 */
import type { AssignmentNode, Node } from '../ast/nodes.js'
import { CompileError } from '../errors.js'

/** What an assignment's value reads of the row. */
interface Reads {
  /** SQL names of the table's columns passed in as nodes. */
  readonly columns: ReadonlySet<string>
  /** The words of raw SQL text in it, lower-cased: a word naming a column may read it. */
  readonly words: ReadonlySet<string>
}

/**
 * `assignments` reordered so each one comes before every assignment to a column it reads (the
 * given order kept where it can be); throws `CompileError` on a cycle. Raw SQL text is not parsed:
 * a word of it naming a column (`sql\`lower(title)\``) is taken as a read where that leaves an
 * order (a string literal may hold such a word too).
 * @example sequentialOrder([b = 1, a = b], 'users', 'mysql') // [a = b, b = 1]
 */
export function sequentialOrder(assignments: readonly AssignmentNode[], qualifier: string, dialect: string): readonly AssignmentNode[] {
  if (assignments.length < 2) return assignments
  const reads = assignments.map((a) => readsOf(a.value, qualifier))
  if (reads.every((r) => r.columns.size === 0 && r.words.size === 0)) return assignments
  const targets = assignments.map((a) => a.column.meta.name)
  // j must come before i when it reads i's column: a column node says so; a word of raw text may.
  const known = (j: number, i: number) => reads[j].columns.has(targets[i])
  const worded = (j: number, i: number) => known(j, i) || reads[j].words.has(targets[i].toLowerCase())
  const order = ordered(assignments.length, worded) ?? ordered(assignments.length, known)
  if (order) return order.map((i) => assignments[i])
  const names = targets.filter((_, i) => assignments.some((_, j) => j !== i && known(j, i))).join(', ')
  throw new CompileError(
    `${dialect} evaluates SET left to right, and the assignments to ${qualifier}.(${names}) read each other's columns: no order gives the values every other dialect gives; split the update into statements`,
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
    if (kind === 'raw') for (const part of (value as { parts: readonly string[] }).parts) wordsOf(part, words)
    for (const key in value) if (key !== 'meta' && key !== 'type') visit((value as Record<string, unknown>)[key])
  }
  visit(node)
  return { columns, words }
}

/** Adds the identifier-like words of `text` (letters, digits, `_`, `$`), lower-cased, to `out`. */
function wordsOf(text: string, out: Set<string>): void {
  let start = -1
  for (let i = 0; i <= text.length; i++) {
    const c = i < text.length ? text.charCodeAt(i) : 0
    const word = (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 95 || c === 36 || c > 127
    if (word && start < 0) start = i
    else if (!word && start >= 0) {
      out.add(text.slice(start, i).toLowerCase())
      start = -1
    }
  }
}
