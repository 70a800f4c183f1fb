/**
 * SQLite's renderings of portable functions: integer division casts the quotient (SQLite's `/`
 * truncates integers already, but divides reals).
 */
import type { Dialect } from '../dialect.js'

/** SQLite's own renderings of portable functions. */
export const calls: NonNullable<Dialect['calls']> = {
  int_div: (node, r) => 'CAST(' + r.node(node.args[0]) + ' / NULLIF(' + r.node(node.args[1]) + ', 0) AS INTEGER)',
}
