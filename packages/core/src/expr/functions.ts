/**
 * Functions over expressions: aggregates, window functions, CASE, CAST, arithmetic, string
 * concatenation, COALESCE, JSON access, ordering. Each carries the type its result decodes to.
 */
import { blankNode, node } from '../ast/brand.js'
import type { FuncNode, Node, OrderNode, ParamNode } from '../ast/nodes.js'
import type { Executable } from '../builder/executable.js'
import type { ColumnMeta, ColumnType } from '../schema/meta.js'
import type { ColumnTypeMap } from '../schema/table.types.js'
import type { DecimalExpr, DecimalOperand, Expr, ScopeOfExpr } from './expr.types.js'
import { columnTypeOf, operand } from './nodes.js'
import { decodeTypeOf, numericMeta, typeMeta } from './types.js'
import { decimalText } from '../dialects/shared-values.js'
import { ArgumentError } from '../errors.js'

type Num = number | bigint | string | null

function func(name: string, args: readonly unknown[], type?: ColumnType | ReturnType<typeof columnTypeOf>, extra?: Partial<FuncNode>): Node {
  const meta = typeof type === 'string' ? typeMeta(type) : type
  const nodes: Node[] = []
  for (let i = 0; i < args.length; i++) nodes.push(operand(args[i]))
  // Every field written out (no spread): one hidden class for every function node.
  const out = blankNode<FuncNode>()
  out.kind = 'func'
  out.name = name
  out.args = Object.freeze(nodes)
  out.type = meta
  out.distinct = extra?.distinct
  out.star = extra?.star
  return Object.freeze(out)
}

/** `COUNT(*)`, or `COUNT(expr)`; always a `number` on every dialect. */
export function count<S extends string = never>(expr?: Expr<unknown, S>): Expr<number, NoInfer<S>> {
  return (expr ? func('count', [expr], 'integer') : func('count', [], 'integer', { star: true })) as Expr<number, S>
}

/** `COUNT(DISTINCT expr)`. */
export function countDistinct<S extends string>(expr: Expr<unknown, S>): Expr<number, S> {
  return func('count', [expr], 'integer', { distinct: true }) as Expr<number, S>
}

/** `SUM(expr)`: a `number` (an exact decimal `string` over numeric columns), `null` over no rows. */
export function sum<S extends string>(expr: DecimalExpr<string | null, S>): DecimalExpr<string | null, S>
export function sum<T extends Num, S extends string>(expr: Expr<T, S>): Expr<(NonNullable<T> extends string ? string : number) | null, S>
export function sum(expr: Expr): Expr {
  return func('sum', [expr], numericTypeOf(expr as Node) ?? 'double') as never // cast: the node is untyped at run time; the overload's return type says what sum() gives
}

/** `AVG(expr)`: a `number` (a double, over decimals too), `null` over no rows. */
export function avg<S extends string>(expr: Expr<Num, S> | DecimalExpr<string | null, S>): Expr<number | null, S> {
  return func('avg', [expr], 'double') as Expr<number | null, S>
}

/** `MIN(expr)`. */
export function min<T extends string | null, S extends string>(expr: DecimalExpr<T, S>): DecimalExpr<T | null, S>
export function min<T, S extends string>(expr: Expr<T, S>): Expr<T | null, S>
export function min(expr: Expr): Expr {
  return func('min', [expr], columnTypeOf(expr as Node) ?? numericTypeOf(expr as Node)) as Expr
}

/** `MAX(expr)`. */
export function max<T extends string | null, S extends string>(expr: DecimalExpr<T, S>): DecimalExpr<T | null, S>
export function max<T, S extends string>(expr: Expr<T, S>): Expr<T | null, S>
export function max(expr: Expr): Expr {
  return func('max', [expr], columnTypeOf(expr as Node) ?? numericTypeOf(expr as Node)) as Expr
}

/** `COALESCE(a, b, …)`: the first non-null operand; non-null when any fallback is. */
export function coalesce<T, S extends string, const TFallbacks extends readonly (NonNullable<NoInfer<T>> | Expr<NoInfer<T>, string>)[]>(
  expr: Expr<T, S>,
  ...fallbacks: TFallbacks
): Expr<CoalesceValue<T, TFallbacks[number]>, S | ScopeOfExpr<TFallbacks[number]>> {
  // A numeric aggregate types its fallbacks too: `coalesce(sum(total), '0')` binds a decimal, decoded as one.
  const type = columnTypeOf(expr as Node) ?? numericTypeOf(expr as Node)
  return node({ kind: 'func', name: 'coalesce', args: Object.freeze([expr as Node, ...fallbacks.map((f) => operand(f, type))]), type }) as never // cast: the node is untyped at run time; the overload's return type says what coalesce() gives
}
// Distributes over the fallbacks: `true` for each one that can never be NULL.
type NeverNull<F> = F extends Expr<infer V, string> ? (null extends V ? never : true) : null extends F ? never : true
type CoalesceValue<T, F> = [NeverNull<F>] extends [never] ? T : NonNullable<T>

function numericTypeOf(node: Node): ReturnType<typeof columnTypeOf> {
  const type = decodeTypeOf(node)
  return type?.type === 'numeric' ? type : undefined
}

/** `LOWER(expr)`. */
export function lower<T extends string | null, S extends string>(expr: Expr<T, S>): Expr<T, S> {
  return func('lower', [expr]) as Expr<T, S>
}

/** `UPPER(expr)`. */
export function upper<T extends string | null, S extends string>(expr: Expr<T, S>): Expr<T, S> {
  return func('upper', [expr]) as Expr<T, S>
}

/** The length of a string in characters (`LENGTH` / `CHAR_LENGTH`). */
export function length<S extends string>(expr: Expr<string | null, S>): Expr<number, S> {
  return func('length', [expr], 'integer') as Expr<number, S>
}

/** The current timestamp, as a `Date`. */
export function now(): Expr<Date, never> {
  return func('now', [], 'timestamp') as Expr<Date, never>
}

/** String concatenation; a NULL operand makes the result NULL on every dialect. */
export function concat<S extends string = never>(...items: (string | Expr<string | null, S> | Expr<number | null, S>)[]): Expr<string, NoInfer<S>> {
  return node({ kind: 'concat', items: Object.freeze(items.map((i) => operand(i))) }) as Expr<string, S>
}

function arith(op: '+' | '-' | '*' | '%', left: Expr, right: unknown): Node {
  const l = left as Node
  const r = operand(right, columnTypeOf(l) ?? numericTypeOf(l))
  return node({ kind: 'binary', op, left: l, right: r, type: decimalResult(op, l, r) })
}

/** Exact decimal arithmetic's result: scale max(s1, s2) for + − %, s1 + s2 for ×, as PostgreSQL and MySQL give. */
function decimalResult(op: '+' | '-' | '*' | '%', left: Node, right: Node): ColumnMeta | undefined {
  if (numericTypeOf(left) === undefined && numericTypeOf(right) === undefined) return undefined
  const a = scaleOf(left)
  const b = scaleOf(right)
  return numericMeta(a === undefined || b === undefined ? undefined : op === '*' ? a + b : Math.max(a, b))
}

/** The number of fraction digits an operand has, where it is known. */
function scaleOf(node: Node): number | undefined {
  if (node.kind === 'value') {
    const v = node.value
    if (typeof v === 'bigint') return 0
    if (typeof v !== 'number' && typeof v !== 'string') return undefined
    const frac = /\.(\d*)$/.exec(decimalText(v))
    return frac ? frac[1].length : 0
  }
  const type = decodeTypeOf(node)
  if (type?.type === 'numeric') return type.scale
  return type?.type === 'integer' || type?.type === 'smallint' || type?.type === 'bigint' ? 0 : undefined
}

/**
 * Arithmetic: operands of one number type, or an exact decimal with a number or another decimal,
 * giving an exact decimal with the scale PostgreSQL gives (max of the scales for + − %, their sum for ×).
 */
export interface Arithmetic {
  <T extends number | bigint | null, S extends string, S2 extends string = never>(left: Expr<T, S>, right: NoInfer<T> | Expr<NoInfer<T>, S2>): Expr<T, S | NoInfer<S2>>
  <T extends string | null, S extends string, S2 extends string = never>(left: DecimalExpr<T, S>, right: DecimalOperand<S2>): DecimalExpr<T, S | NoInfer<S2>>
  <T extends string | null, S extends string, S2 extends string = never>(left: Expr<number | bigint | null, S>, right: DecimalExpr<T, S2>): DecimalExpr<T, S | NoInfer<S2>>
}

function arithmetic(op: '+' | '-' | '*' | '%'): Arithmetic {
  return ((left: Expr, right: unknown) => arith(op, left, right)) as unknown as Arithmetic // cast: one runtime function serves every overload of the Arithmetic interface
}

/** `left + right`. */
export const add: Arithmetic = arithmetic('+')

/** `left - right`. */
export const sub: Arithmetic = arithmetic('-')

/** `left * right`. */
export const mul: Arithmetic = arithmetic('*')

/** `left % right`. */
export const mod: Arithmetic = arithmetic('%')

type Divisible<S extends string> = Expr<number | null, S> | DecimalExpr<string | null, S>

/** Real division on every dialect (`7 / 2` is 3.5), and NULL when dividing by zero; decimals divide as doubles. */
export function div<S extends string, S2 extends string = never>(left: Divisible<S>, right: number | string | Divisible<S2>): Expr<number | null, S | NoInfer<S2>> {
  return node({ kind: 'binary', op: '/', left: left as Node, right: operand(right) }) as Expr<number | null, S | S2>
}

/** Options of `cast`. */
export interface CastOptions {
  /** A bounded text type: `cast(x, 'varchar', { length: 20 })` keeps at most 20 characters on every dialect. */
  readonly length?: number
}

/**
 * `CAST(expr AS type)` with a portable column type. `'text'` is unbounded on every dialect (MySQL:
 * `CAST(… AS CHAR(4194303) CHARACTER SET utf8mb4) COLLATE utf8mb4_nopad_bin`, case- and trailing-space-sensitive as elsewhere).
 */
export function cast<K extends Exclude<ColumnType, 'enum' | 'custom' | 'json'>, S extends string>(expr: Expr<unknown, S>, type: K, options: CastOptions = {}): Expr<ColumnTypeMap[K] | null, S> {
  let meta = typeMeta(type)
  if (options.length !== undefined) {
    const { length } = options
    if (type !== 'text' && type !== 'varchar') throw new ArgumentError(`cast(): option 'length' applies to 'text' and 'varchar', not '${type}'`)
    if (typeof length !== 'number' || !Number.isInteger(length) || length < 1 || length > 65535) throw new ArgumentError(`cast(): option 'length' must be an integer from 1 to 65535, got ${String(length)}`)
    meta = Object.freeze({ ...typeMeta('varchar'), length })
  }
  return node({ kind: 'cast', expr: expr as Node, type: meta }) as Expr<ColumnTypeMap[K] | null, S>
}

/**
 * `CASE WHEN … THEN … ELSE … END`; without `otherwise` the result may be `null`.
 * @example caseWhen([[gt(users.age, 17), 'adult']], 'minor')
 */
export function caseWhen<T, S extends string = never>(
  branches: readonly (readonly [Expr<boolean | null, S>, T | Expr<T, S>])[],
  otherwise: NoInfer<T> | Expr<NoInfer<T>, S>,
): Expr<T, NoInfer<S>>
export function caseWhen<T, S extends string = never>(branches: readonly (readonly [Expr<boolean | null, S>, T | Expr<T, S>])[]): Expr<T | null, NoInfer<S>>
export function caseWhen(branches: readonly (readonly [Expr, unknown])[], otherwise?: unknown): Expr {
  const results = branches.map(([, then]) => operand(then))
  if (otherwise !== undefined) results.push(operand(otherwise))
  const type = branchType(results)
  // A value branch is bound as the branches beside it (a Date beside a timestamp column in its stored form).
  const typed = type === undefined ? results : results.map((r) => (r.kind === 'value' && r.type === undefined ? operand(r.value, type) : r))
  const whens = branches.map(([when], i) => Object.freeze({ when: when as Node, then: typed[i] }))
  return node({ kind: 'case', whens: Object.freeze(whens), else: otherwise === undefined ? undefined : typed[branches.length] }) as Expr
}

/**
 * The type of a CASE's results: the first typed expression among them, else what all its values
 * are (numbers: integer within 32 bits, else double; bigints; booleans; Dates), else none (text on PostgreSQL).
 */
function branchType(results: readonly Node[]): ColumnMeta | undefined {
  for (const r of results) {
    const type = r.kind === 'value' ? undefined : decodeTypeOf(r)
    if (type !== undefined) return type
  }
  const values = results.flatMap((r) => (r.kind === 'value' && r.value !== null && r.value !== undefined ? [r.value] : []))
  if (values.length === 0) return undefined
  if (values.every((v) => typeof v === 'boolean')) return typeMeta('boolean')
  if (values.every((v) => v instanceof Date)) return typeMeta('timestamp')
  if (values.every((v) => typeof v === 'bigint')) return typeMeta('bigint')
  if (!values.every((v) => typeof v === 'number')) return undefined
  // Beyond 32 bits a double: a bigint column decodes as a JS bigint, and these were numbers.
  return values.every((v) => Number.isInteger(v) && (v as number) >= -2147483648 && (v as number) <= 2147483647) ? typeMeta('integer') : typeMeta('double')
}

/**
 * JSON value at a path (`->` / `JSON_EXTRACT`), decoded as JSON. To say what it holds, give the
 * path as an array and a `typed<T>()`: the expression keeps its table's scope, which an explicit
 * `jsonGet<T>(…)` cannot (TypeScript then stops inferring the scope).
 * @example jsonGet(users.prefs, ['ui', 'pageSize'], typed<number>()) // Expr<number | null, 'users'>
 */
export function jsonGet<S extends string, T>(expr: Expr<unknown, S>, path: readonly (string | number)[], type: T): Expr<T | null, NoInfer<S>>
export function jsonGet<T = unknown, S extends string = never>(expr: Expr<unknown, S>, ...path: (string | number)[]): Expr<T | null, NoInfer<S>>
export function jsonGet(expr: Expr<unknown, string>, ...rest: unknown[]): Expr<unknown, string> {
  const path = Array.isArray(rest[0]) ? (rest[0] as readonly (string | number)[]) : (rest as (string | number)[])
  for (const key of path) {
    if (typeof key !== 'string' && typeof key !== 'number') throw new ArgumentError(`jsonGet(): a path key must be a string or a number, got ${key === null ? 'null' : typeof key}`)
  }
  return node({ kind: 'jsonPath', expr: expr as Node, path: Object.freeze([...path]), asText: false }) as Expr<unknown, string>
}

/** JSON scalar at a path as text (`->>` / `JSON_UNQUOTE(JSON_EXTRACT(…))`). */
export function jsonText<S extends string = never>(expr: Expr<unknown, S>, ...path: (string | number)[]): Expr<string | null, NoInfer<S>> {
  return node({ kind: 'jsonPath', expr: expr as Node, path: Object.freeze(path), asText: true }) as Expr<string | null, S>
}

/**
 * A scalar subquery: the single value of a one-column query (`select({ n: count() })` or `select(count())`).
 * @example select({ name: users.username, posts: scalar(select(count()).from(posts).where(eq(posts.authorId, users.id)).correlate(users)) }).from(users)
 */
export function scalar<T>(query: Executable<Record<string, T>>): Expr<T | null, never>
export function scalar<T>(query: Executable<T>): Expr<T | null, never>
export function scalar(query: Executable): Expr {
  return node({ kind: 'subquery', query: (query as { ast: never }).ast }) as Expr
}

/** A named placeholder for `prepare(stmt)`; its value is given at execution. */
export function param<T = any>(name: string): Expr<NoInfer<T>, never> {
  return node({ kind: 'param', name } satisfies ParamNode) as Expr<T, never>
}

function orderNode(expr: Node, direction: OrderNode['direction'], nulls: OrderNode['nulls']): OrderNode {
  const out = blankNode<OrderNode>()
  out.kind = 'order'
  out.expr = expr
  out.direction = direction
  out.nulls = nulls
  return Object.freeze(out)
}

interface OrderOptions {
  readonly nulls?: 'first' | 'last'
}

/** Ascending order; NULLs sort last unless `nulls` says otherwise, on every dialect. */
export function asc<S extends string>(expr: Expr<unknown, S>, options: OrderOptions = {}): Order<S> {
  return orderNode(expr as Node, 'asc', options.nulls) as Order<S>
}

/** Descending order; NULLs sort first unless `nulls` says otherwise, on every dialect. */
export function desc<S extends string>(expr: Expr<unknown, S>, options: OrderOptions = {}): Order<S> {
  return orderNode(expr as Node, 'desc', options.nulls) as Order<S>
}

/** An ORDER BY item over the tables `S` (its scope rides on `Expr`'s, so `desc(posts.id)` is checked like `posts.id`). */
export type Order<S extends string> = OrderNode & Expr<unknown, S>
