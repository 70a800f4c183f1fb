/**
 * SET assignments in an order that gives every dialect the same answer. MySQL evaluates SET left
 * to right, each expression seeing the columns assigned before it; elsewhere every expression sees
 * the row as it was. On MySQL an assignment reading another's column must come before it; when
 * assignments read each other's columns (a swap) no order works, and the statement is refused.
 */
import type { AssignmentNode, Node } from '../ast/nodes'
import { CompileError } from '../errors'

/**
 * `assignments` reordered so each one comes before every assignment to a column it reads (the
 * given order kept where it can be); throws `CompileError` on a cycle. Raw SQL text is not read:
 * only columns passed into it as values (`sql\`${t.col}\``) count.
 * @example sequentialOrder([a = b, b = 1], 'users', 'mysql') // [a = b, b = 1]; [b = 1, a = b] becomes the same
 */
export function sequentialOrder(assignments: readonly AssignmentNode[], qualifier: string, dialect: string): readonly AssignmentNode[] {
  if (assignments.length < 2) return assignments
  const reads = assignments.map((a) => columnsRead(a.value, qualifier))
  if (reads.every((r) => r.size === 0)) return assignments
  const targets = assignments.map((a) => a.column.meta.name)
  const left = assignments.map((_, i) => i)
  const out: AssignmentNode[] = []
  while (left.length) {
    // The first assignment whose column no other remaining assignment still needs to read.
    const at = left.findIndex((i) => !left.some((j) => j !== i && reads[j].has(targets[i])))
    if (at < 0) {
      const names = left.map((i) => targets[i]).join(', ')
      throw new CompileError(`${dialect} evaluates SET left to right, and the assignments to ${qualifier}.(${names}) read each other's columns: no order gives the values every other dialect gives; split the update into statements`)
    }
    out.push(assignments[left[at]])
    left.splice(at, 1)
  }
  return out
}

/** The SQL names of `qualifier`'s columns an expression reads (bound values and their types skipped). */
function columnsRead(node: Node, qualifier: string): Set<string> {
  const out = new Set<string>()
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
      if (column.qualifier === qualifier) out.add(column.meta.name)
      return
    }
    for (const key in value) if (key !== 'meta' && key !== 'type') visit((value as Record<string, unknown>)[key])
  }
  visit(node)
  return out
}
