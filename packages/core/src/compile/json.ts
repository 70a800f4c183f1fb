/**
 * JSON values in comparisons and ORDER BY mean the same on every dialect: `gt(jsonGet(doc, 'n'), 30)`
 * compares the number the document holds. SQLite's `->` gives JSON text (which sorts above every
 * number), so there the value is read as the SQL scalar it holds (`->>`); PostgreSQL compares jsonb
 * with jsonb, so a value beside a JSON value is bound as JSON.
 */
import type { JsonPathNode, Node } from '../ast/nodes.js'
import { typeMeta } from '../expr/types.js'
import { bind, render, type Ctx } from './compile.js'

const JSON_META = typeMeta('json')

/** A JSON value read by `jsonGet` (not `jsonText`). */
export function isJsonValue(node: Node): node is JsonPathNode {
  return node.kind === 'jsonPath' && !node.asText
}

/** An operand of a comparison whose other side is `other`: a JSON value as the dialect compares it, a value beside one as JSON where needed. */
export function jsonOperand(node: Node, other: Node, ctx: Ctx): string {
  if (isJsonValue(node) && ctx.d.jsonScalar) return ctx.d.jsonScalar(render(node.expr, ctx), node.path)
  if (node.kind === 'value' && ctx.d.jsonComparesDocuments && isJsonValue(other) && node.value !== null) return bind(ctx, node.value, JSON_META)
  return render(node, ctx)
}
