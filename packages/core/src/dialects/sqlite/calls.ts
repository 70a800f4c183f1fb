/**
 * SQLite's renderings of portable functions: integer division casts the quotient (SQLite's `/`
 * truncates integers already, but divides reals); round, abs, ceil and floor of a numeric are
 * exact through the connection's decimal functions (`functions.ts`), giving sortable keys.
 */
import type { FuncNode } from '../../ast/nodes.js'
import type { CallRenderer, Dialect } from '../dialect.js'

/** `quarry_numeric_<name>(args)` over a numeric argument, the standard call otherwise. */
function exact(name: string) {
  return (node: FuncNode, r: CallRenderer) =>
    node.type?.type === 'numeric' ? 'quarry_numeric_' + name + '(' + node.args.map((a) => r.node(a)).join(', ') + ')' : r.standard(node)
}

/** SQLite's own renderings of portable functions. */
export const calls: NonNullable<Dialect['calls']> = {
  round: exact('round'),
  abs: exact('abs'),
  ceil: exact('ceil'),
  floor: exact('floor'),
  int_div: (node, r) => 'CAST(' + r.node(node.args[0]) + ' / NULLIF(' + r.node(node.args[1]) + ', 0) AS INTEGER)',
}
