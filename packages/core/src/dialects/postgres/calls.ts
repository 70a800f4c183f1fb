/**
 * PostgreSQL's renderings of portable functions: GREATEST/LEAST skip NULLs there, so a NULL
 * operand is checked first; integer division goes through `div` on numerics (truncating toward zero).
 */
import type { FuncNode } from '../../ast/nodes.js'
import type { CallRenderer, Dialect } from '../dialect.js'

function nullIfAnyNull(node: FuncNode, r: CallRenderer): string {
  let anyNull = ''
  for (const arg of node.args) {
    // A bound value is known now: NULL makes the result NULL, anything else cannot be NULL.
    if (arg.kind === 'value' || arg.kind === 'literal') {
      if (arg.value === null || arg.value === undefined) return 'NULL'
      continue
    }
    anyNull += (anyNull ? ' OR ' : '') + r.node(arg) + ' IS NULL'
  }
  return anyNull ? '(CASE WHEN ' + anyNull + ' THEN NULL ELSE ' + r.standard(node) + ' END)' : r.standard(node)
}

/** PostgreSQL's own renderings of portable functions. */
export const calls: NonNullable<Dialect['calls']> = {
  greatest: nullIfAnyNull,
  least: nullIfAnyNull,
  int_div: (node, r) => 'div(CAST(' + r.node(node.args[0]) + ' AS numeric), CAST(NULLIF(' + r.node(node.args[1]) + ', 0) AS numeric))',
}
