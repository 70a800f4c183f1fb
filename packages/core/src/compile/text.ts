/**
 * Text comparisons mean code-point comparison, trailing spaces included, on every dialect. Where a
 * column's collation would decide otherwise (MariaDB's PAD SPACE collations: 'a' = 'a '), the
 * dialect's `textOperand` pins another collation on the side that is not a plain column, so an
 * index on the column still serves `=`, `IN` and ranges.
 */
import type { Node } from '../ast/nodes.js'
import { decodeTypeOf } from '../expr/types.js'
import { render, type Ctx } from './compile.js'

/** Does this expression give text whose comparison a collation decides (not CHAR, which pads everywhere)? */
export function isText(node: Node): boolean {
  const type = decodeTypeOf(node)?.type
  return type === 'text' || type === 'varchar'
}

/** Both operands of a text comparison, in order, the non-column one wrapped by the dialect's `textOperand`. */
export function textOperands(left: Node, right: Node, ctx: Ctx, wrap: (sql: string) => string): [string, string] {
  const l = render(left, ctx)
  const r = render(right, ctx)
  return right.kind === 'column' && left.kind !== 'column' ? [wrap(l), r] : [l, wrap(r)]
}
