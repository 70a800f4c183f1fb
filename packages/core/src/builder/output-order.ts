/**
 * Ordering a compound query (`union`, `intersect`, `except`) by its output columns, named as the
 * result row names them: the only columns such an ORDER BY may refer to on every dialect.
 */
import { node } from '../ast/brand.js'
import type { CompoundNode, OrderNode } from '../ast/nodes.js'
import { firstSelect } from '../compile/result-shape.js'
import { ArgumentError } from '../errors.js'
import { isNode } from '../expr/nodes.js'
import { toOrder } from '../expr/window.js'

/** An output column to order a compound query by: its name, or the name with a direction. */
export type OutputOrder<TKey extends string> = TKey | { readonly by: TKey; readonly direction?: 'asc' | 'desc'; readonly nulls?: 'first' | 'last' }

/** The ORDER BY node of one item: an expression as given, an output name as that output column. */
export function outputOrder(query: CompoundNode, item: unknown): OrderNode {
  if (isNode(item)) return toOrder(item)
  const spec = typeof item === 'string' ? { by: item } : (item as { by?: unknown; direction?: 'asc' | 'desc'; nulls?: 'first' | 'last' })
  const names = firstSelect(query).selection.map((s) => (s.group === undefined ? s.alias : s.group + '.' + s.alias))
  if (typeof spec?.by !== 'string' || !names.includes(spec.by)) {
    throw new ArgumentError(`orderBy() of a set operation: ${JSON.stringify(spec?.by ?? item)} is not one of its output columns (${names.join(', ')})`)
  }
  const direction = spec.direction ?? 'asc'
  if (direction !== 'asc' && direction !== 'desc') throw new ArgumentError(`orderBy() of a set operation: direction must be 'asc' or 'desc', got ${JSON.stringify(direction)}`)
  return node<OrderNode>({ kind: 'order', expr: node({ kind: 'identifier', names: Object.freeze([spec.by]) }), direction, nulls: spec.nulls })
}
