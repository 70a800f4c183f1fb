/**
 * What the dialects' renderings of `dateTrunc` and `extract` (expr/dates.ts) read from the call:
 * the unit or field (a literal) and the date argument with its type.
 */
import type { FuncNode, LiteralNode, Node } from '../ast/nodes.js'
import { decodeTypeOf, typeMeta } from '../expr/types.js'
import type { ColumnMeta } from '../schema/meta.js'

/** The parts of a `date_trunc` / `extract` call: `part` is the unit or field. */
export function dateCall(node: FuncNode): { part: string; arg: Node; type: ColumnMeta } {
  const arg = node.args[1]
  return { part: (node.args[0] as LiteralNode).value as string, arg, type: decodeTypeOf(arg) ?? typeMeta('timestamp') }
}
