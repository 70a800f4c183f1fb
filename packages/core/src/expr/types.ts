/**
 * Decode types of expressions that are not plain columns (aggregates, comparisons, casts).
 */
import type { Node } from '../ast/nodes.js'
import type { ColumnMeta, ColumnType } from '../schema/meta.js'

const cache = new Map<ColumnType, ColumnMeta>()

/** A column meta standing for a bare type (`count()` decodes as an integer). */
export function typeMeta(type: ColumnType): ColumnMeta {
  let meta = cache.get(type)
  if (!meta) {
    meta = Object.freeze({ key: '', name: '', type, nullable: true, primaryKey: false, autoIncrement: false, unique: false, hasDefault: false })
    cache.set(type, meta)
  }
  return meta
}

const numerics = new Map<number, ColumnMeta>()

/** A numeric of a given scale (what decimal arithmetic gives); without a scale, the bare numeric. */
export function numericMeta(scale: number | undefined): ColumnMeta {
  if (scale === undefined) return typeMeta('numeric')
  let meta = numerics.get(scale)
  if (!meta) numerics.set(scale, (meta = Object.freeze({ ...typeMeta('numeric'), scale })))
  return meta
}

/** How a selected expression decodes: by its column, its cast, its function, or as a boolean. */
export function decodeTypeOf(node: Node): ColumnMeta | undefined {
  switch (node.kind) {
    case 'column':
      return node.meta
    case 'cast':
      return node.type
    case 'func':
    case 'literal':
      return node.type
    case 'window':
      return decodeTypeOf(node.fn)
    case 'case':
      return node.whens.length ? decodeTypeOf(node.whens[0].then) : undefined
    case 'binary':
      if (node.op === '/') return typeMeta('double')
      if (node.type) return node.type
      if (node.op === '+' || node.op === '-' || node.op === '*' || node.op === '%') return decodeTypeOf(node.left)
      return typeMeta('boolean')
    case 'logical':
    case 'not':
    case 'isNull':
    case 'like':
    case 'in':
    case 'between':
    case 'exists':
      return typeMeta('boolean')
    case 'jsonPath':
      return node.asText ? undefined : typeMeta('json')
    case 'subquery': {
      const q = node.query
      return q.kind === 'select' && q.selection.length === 1 ? q.selection[0].type : undefined
    }
    case 'value':
    case 'raw':
      return node.type
    default:
      return undefined
  }
}
