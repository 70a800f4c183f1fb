/**
 * Aggregates with one meaning on every dialect: `stringAgg` (never truncated: MySQL's session
 * `group_concat_max_len` is raised by the driver), `every` / `some` over conditions, and `jsonAgg`
 * (a JSON array, NULLs kept, NULL over no rows), `jsonObjectAgg` (an object), and `filter(agg, where)` over any of them.
 * Where a dialect differs, its module renders the
 * call (`Dialect.calls`, `Dialect.functions`).
 */
import { node as brandedNode } from '../ast/brand.js'
import type { FuncNode, Node, OrderNode } from '../ast/nodes.js'
import { ArgumentError } from '../errors.js'
import { call, literalNode } from './call.js'
import type { DecimalExpr, Expr } from './expr.types.js'
import type { Order } from './functions.js'
import { decodeTypeOf } from './types.js'
import { toOrder } from './window.js'

/** Options of an ordered aggregate: its ORDER BY, and DISTINCT (which orders by the value itself only, as PostgreSQL requires). */
export interface AggregateOptions<S extends string> {
  readonly orderBy?: Order<S> | Expr<unknown, S> | readonly (Order<S> | Expr<unknown, S>)[]
  readonly distinct?: boolean
}

const TEXT_TYPES: ReadonlySet<string> = new Set(['text', 'varchar', 'char', 'enum'])
const JSON_ELEMENT_TYPES: ReadonlySet<string> = new Set(['text', 'varchar', 'char', 'uuid', 'enum', 'integer', 'smallint', 'real', 'double'])

function typeName(expr: Node): string | undefined {
  const type = decodeTypeOf(expr)
  return type === undefined ? undefined : type.key ? `column '${type.key}' (${type.type})` : `a ${type.type} expression`
}

function orders(what: string, expr: Node, options: AggregateOptions<string>): readonly OrderNode[] | undefined {
  const given = options.orderBy
  if (given === undefined) return undefined
  const list = (Array.isArray(given) ? given : [given]) as readonly Node[]
  const items = Object.freeze(list.map(toOrder))
  if (options.distinct && items.some((o) => o.expr !== expr)) {
    throw new ArgumentError(`${what}: with distinct, orderBy may only order by the aggregated value itself (asc/desc of the same expression)`)
  }
  return items
}

/**
 * The non-NULL values joined by `separator` (a constant), NULL when there are none. Without
 * `orderBy` the order is the database's. Text only: cast other values first (`cast(x, 'text')`).
 * @example stringAgg(tags.name, ', ', { orderBy: asc(tags.name), distinct: true })
 */
export function stringAgg<S extends string, S2 extends string = never>(
  expr: Expr<string | null, S>,
  separator: string,
  options: AggregateOptions<S2> = {},
): Expr<string | null, S | NoInfer<S2>> {
  const node = expr as Node
  const type = decodeTypeOf(node)
  if (type !== undefined && !TEXT_TYPES.has(type.type)) throw new ArgumentError(`stringAgg(): ${typeName(node)} is not text; cast it first (cast(x, 'text'))`)
  if (typeof separator !== 'string' || separator.includes('\0')) throw new ArgumentError('stringAgg(): separator must be a string without NUL characters')
  const orderBy = orders('stringAgg()', node, options)
  return call('string_agg', [node, literalNode(separator)], 'text', { distinct: options.distinct === true, orderBy }) as Expr<string | null, S | S2>
}

/**
 * True when the condition holds for every row where it is not NULL (`bool_and`); NULL over no rows.
 * @example select({ author: posts.authorId, allPublished: every(posts.published) }).from(posts).groupBy(posts.authorId)
 */
export function every<S extends string>(condition: Expr<boolean | null, S>): Expr<boolean | null, S> {
  return call('bool_and', [condition], 'boolean') as Expr<boolean | null, S>
}

/** True when the condition holds for some row (`bool_or`); NULL over no rows. */
export function some<S extends string>(condition: Expr<boolean | null, S>): Expr<boolean | null, S> {
  return call('bool_or', [condition], 'boolean') as Expr<boolean | null, S>
}

/**
 * The values as a JSON array (NULLs kept as `null`), NULL over no rows, the same on every dialect:
 * for nested results in one query. Elements are text or numbers (not bigint, numeric, booleans,
 * dates or JSON documents, whose JSON forms differ by dialect: cast them first).
 * @example select({ author: posts.authorId, titles: jsonAgg(posts.title, { orderBy: asc(posts.id) }) }).from(posts).groupBy(posts.authorId)
 */
export function jsonAgg<T extends string | number | null, S extends string, S2 extends string = never>(
  expr: Expr<T, S>,
  options: Pick<AggregateOptions<S2>, 'orderBy'> = {},
): Expr<T[] | null, S | NoInfer<S2>> {
  const node = expr as Node
  const type = decodeTypeOf(node)
  if (type !== undefined && !JSON_ELEMENT_TYPES.has(type.type)) throw new ArgumentError(`jsonAgg(): ${typeName(node)} has no JSON form shared by every dialect; cast it to text or a number first`)
  return call('json_agg', [node], 'json', { orderBy: orders('jsonAgg()', node, options) }) as Expr<T[] | null, S | S2>
}

/**
 * The rows as one JSON object, `key` (text) to `value` (text or a number; NULL kept as `null`),
 * the same on every dialect: rows with a NULL key are skipped (PostgreSQL, which fails on them,
 * filters them out), NULL when no row has a key; which value a repeated key keeps is unspecified.
 * @example select({ post: tags.post, counts: jsonObjectAgg(tags.name, tags.uses) }).from(tags).groupBy(tags.post)
 */
export function jsonObjectAgg<T extends string | number | null, S extends string, S2 extends string = never>(
  key: Expr<string | null, S2>,
  value: Expr<T, S>,
): Expr<Record<string, T> | null, S | NoInfer<S2>> {
  const k = key as Node
  const keyType = decodeTypeOf(k)
  if (keyType !== undefined && !TEXT_TYPES.has(keyType.type)) throw new ArgumentError(`jsonObjectAgg(): the key, ${typeName(k)}, is not text; cast it first (cast(x, 'text'))`)
  const v = value as Node
  const type = decodeTypeOf(v)
  if (type !== undefined && !JSON_ELEMENT_TYPES.has(type.type)) throw new ArgumentError(`jsonObjectAgg(): ${typeName(v)} has no JSON form shared by every dialect; cast it to text or a number first`)
  return call('json_object_agg', [k, v], 'json') as Expr<Record<string, T> | null, S | S2>
}

const AGGREGATES: ReadonlySet<string> = new Set(['count', 'sum', 'avg', 'min', 'max', 'string_agg', 'bool_and', 'bool_or', 'json_agg', 'json_object_agg'])

/**
 * The aggregate over the rows where `where` holds (`FILTER (WHERE …)`; MySQL: the aggregated
 * value `CASE WHEN where THEN x END`, which the aggregate skips as NULL). A second filter adds to the first.
 * @example select({ all: count(), published: filter(count(), eq(posts.published, true)) }).from(posts)
 */
export function filter<T extends string | null, S extends string, S2 extends string = never>(aggregate: DecimalExpr<T, S>, where: Expr<boolean | null, S2>): DecimalExpr<T, S | S2>
export function filter<T, S extends string, S2 extends string = never>(aggregate: Expr<T, S>, where: Expr<boolean | null, S2>): Expr<T, S | S2>
export function filter(aggregate: Expr, where: Expr<boolean | null, string>): Expr {
  const agg = aggregate as unknown as Node // cast: an Expr is a node at run time
  if (agg.kind !== 'func' || !AGGREGATES.has(agg.name)) throw new ArgumentError(`filter(): expected an aggregate (count, sum, avg, min, max, stringAgg, every, some, jsonAgg), got a ${agg.kind === 'func' ? agg.name + '()' : agg.kind} expression`)
  const condition = where as Node
  const combined: Node = agg.filter === undefined ? condition : brandedNode({ kind: 'logical', op: 'and', items: Object.freeze([agg.filter, condition]) })
  return brandedNode<FuncNode>({ ...agg, filter: combined }) as unknown as Expr // cast: the same aggregate, with a filter
}
