/**
 * MySQL's renderings of portable functions: `DIV` truncates toward zero (its `/` does not).
 */
import type { Dialect } from '../dialect.js'

/** MySQL's own renderings of portable functions. */
export const calls: NonNullable<Dialect['calls']> = {
  int_div: (node, r) => '(' + r.node(node.args[0]) + ' DIV NULLIF(' + r.node(node.args[1]) + ', 0))',
}
