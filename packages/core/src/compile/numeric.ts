/**
 * Numeric expressions on a dialect without exact decimals (SQLite, `Dialect.numeric`): a numeric
 * column stores a sortable text key, so comparisons, ORDER BY, MIN/MAX, BETWEEN and IN compare
 * keys natively (an index on the column serves them); any other numeric operand (a column stored
 * as plain text or numbers, an AVG, a raw fragment) is turned into a key first, and bound values
 * are sent as keys. Arithmetic and SUM/AVG go through the dialect's exact functions.
 */
import type { BinaryNode, FuncNode, Node } from '../ast/nodes.js'
import type { NumericHooks } from '../dialects/dialect.js'
import type { ColumnMeta } from '../schema/meta.js'
import { decodeTypeOf, typeMeta } from '../expr/types.js'
import { bind, render, type Ctx } from './compile.js'
import { CompileError } from '../errors.js'

const ARITHMETIC = new Set(['+', '-', '*', '%'])
const COMPARISON = new Set(['=', '<>', '<', '<=', '>', '>=', 'is distinct from', 'is not distinct from'])
/** A value bound in a comparison: a key, at its own scale (comparing with 9.999 must not round it to 10.00). */
const KEY = typeMeta('numeric')

/** Does this expression give an exact decimal? */
export function isNumeric(node: Node): boolean {
  return decodeTypeOf(node)?.type === 'numeric'
}

function isKeyColumn(meta: ColumnMeta): boolean {
  return meta.type === 'numeric' && (meta.stored ?? 'sortable') === 'sortable'
}

/** The SQL of a numeric operand as a sortable key: natively where it is one already. */
export function keySql(node: Node, ctx: Ctx, h: NumericHooks): string {
  switch (node.kind) {
    case 'value':
      return bind(ctx, node.value, KEY)
    case 'param':
      ctx.params.push(undefined)
      ;(ctx.slots ??= []).push({ index: ctx.params.length - 1, name: node.name, type: KEY })
      return ctx.d.placeholder(ctx.params.length)
    case 'column':
      return isKeyColumn(node.meta) ? render(node, ctx) : h.key(render(node, ctx))
    case 'func':
      return gives(node) ? render(node, ctx) : h.key(render(node, ctx))
    case 'binary':
      return ARITHMETIC.has(node.op) && (isNumeric(node.left) || isNumeric(node.right)) ? render(node, ctx) : h.key(render(node, ctx))
    case 'cast':
      return node.type.type === 'numeric' ? render(node, ctx) : h.key(render(node, ctx))
    default:
      return h.key(render(node, ctx))
  }
}

/** Functions this module renders as keys. */
function gives(node: FuncNode): boolean {
  return node.type?.type === 'numeric' && (node.name === 'sum' || node.name === 'min' || node.name === 'max' || node.name === 'coalesce')
}

/** A comparison, arithmetic or division with a numeric operand. */
export function numericBinary(node: BinaryNode, ctx: Ctx, h: NumericHooks): string {
  if (node.op === '/') {
    const side = (n: Node) => (isNumeric(n) ? h.real(render(n, ctx)) : render(n, ctx))
    return '(CAST(' + side(node.left) + ' AS DOUBLE) / NULLIF(' + side(node.right) + ', 0))'
  }
  const left = keySql(node.left, ctx, h)
  const right = keySql(node.right, ctx, h)
  if (node.op === 'is distinct from' || node.op === 'is not distinct from') return ctx.d.distinctFrom(left, right, node.op === 'is not distinct from')
  if (COMPARISON.has(node.op)) return left + ' ' + node.op + ' ' + right
  return h.arithmetic(node.op as '+' | '-' | '*' | '%', left, right)
}

/** SUM/AVG/MIN/MAX/COALESCE over numeric operands; `undefined` for any other call. */
export function numericFunc(node: FuncNode, ctx: Ctx, h: NumericHooks): string | undefined {
  if (node.star || node.args.length === 0) return undefined
  const arg = node.args[0]
  const distinct = node.distinct ? 'DISTINCT ' : ''
  if ((node.name === 'sum' || node.name === 'avg') && isNumeric(arg)) return h.aggregate(node.name, distinct + keySql(arg, ctx, h)) + filterSql(node, ctx)
  if ((node.name === 'min' || node.name === 'max') && isNumeric(arg)) return node.name + '(' + distinct + keySql(arg, ctx, h) + ')' + filterSql(node, ctx)
  if (node.name === 'coalesce' && node.type?.type === 'numeric') return 'coalesce(' + node.args.map((a) => keySql(a, ctx, h)).join(', ') + ')'
  return undefined
}

/** An aggregate's FILTER, which a dialect with numeric hooks (SQLite) writes natively. */
function filterSql(node: FuncNode, ctx: Ctx): string {
  if (node.filter === undefined) return ''
  if (!ctx.d.capabilities.aggregateFilter) throw new CompileError(`${ctx.d.name}: an exact ${node.name} with a filter needs aggregate FILTER`)
  return ' FILTER (WHERE ' + render(node.filter, ctx) + ')'
}

/** CAST to or from numeric: a key, plain text or a double. */
export function numericCast(expr: Node, type: ColumnMeta, ctx: Ctx, h: NumericHooks, castType: string): string | undefined {
  if (type.type === 'numeric') return h.key(render(expr, ctx))
  if (!isNumeric(expr)) return undefined
  if (type.type === 'text' || type.type === 'varchar' || type.type === 'char') return h.text(render(expr, ctx))
  return 'CAST(' + h.real(render(expr, ctx)) + ' AS ' + castType + ')'
}
