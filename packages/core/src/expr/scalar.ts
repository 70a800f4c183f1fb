/**
 * Scalar functions with one meaning on every dialect: rounding half away from zero, trimming,
 * substrings, replacing, absolute value, ceiling and floor, greatest/least (NULL when any operand
 * is NULL), character length, integer division, NULLIF and typed constants. Where a dialect
 * differs, its module renders the call (`Dialect.calls`); the meaning is stated here once.
 */
import type { Node } from '../ast/nodes.js'
import { ArgumentError } from '../errors.js'
import type { ColumnMeta } from '../schema/meta.js'
import { call, literalNode } from './call.js'
import type { Expr, ScopeOfExpr } from './expr.types.js'
import { columnTypeOf } from './nodes.js'
import { decodeTypeOf, typeMeta } from './types.js'

type Num = number | bigint | string | null
/** `R`, or `R | null` when `T` may be null. */
type OrNull<T, R> = null extends T ? R | null : R

function integerArg(value: unknown, what: string, min: number, max: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw new ArgumentError(`${what} must be an integer from ${min} to ${max}, got ${String(value)}`)
  }
  return value
}

const DOUBLE = typeMeta('double')
const EXACT: ReadonlySet<string> = new Set(['numeric'])
const INTEGERS: ReadonlySet<string> = new Set(['integer', 'smallint', 'bigint'])

/**
 * `x` rounded to `digits` decimals (negative: to tens, hundreds…), halves away from zero on every
 * dialect. Numeric values round exactly (the database's own `round`); other numbers round their
 * binary value in double arithmetic written out the same way everywhere (`round(2.5)` is 3,
 * `round(-0.125, 2)` is -0.13, and 2.675, stored as 2.67499…, rounds to 2.67 on all three), since
 * PostgreSQL's and MariaDB's `round` of a double go to the even neighbour.
 */
export function round<T extends Num, S extends string>(x: Expr<T, S>, digits = 0): Expr<T, S> {
  const d = integerArg(digits, 'round(): digits', -15, 15)
  const type = decodeTypeOf(x as Node)
  if (type && EXACT.has(type.type)) return call('round', [x, literalNode(d)], type) as Expr<T, S>
  if (type && INTEGERS.has(type.type) && d >= 0) return x
  return call('round_half_away', [x, literalNode(d)], type ?? DOUBLE) as Expr<T, S>
}

/** `TRIM(x)`: leading and trailing spaces removed (spaces only, on every dialect). */
export function trim<T extends string | null, S extends string>(x: Expr<T, S>): Expr<T, S> {
  return call('trim', [x]) as Expr<T, S>
}

/** `LTRIM(x)`: leading spaces removed. */
export function ltrim<T extends string | null, S extends string>(x: Expr<T, S>): Expr<T, S> {
  return call('ltrim', [x]) as Expr<T, S>
}

/** `RTRIM(x)`: trailing spaces removed. */
export function rtrim<T extends string | null, S extends string>(x: Expr<T, S>): Expr<T, S> {
  return call('rtrim', [x]) as Expr<T, S>
}

/** `NULLIF(a, b)`: NULL when `a = b`, else `a`. */
export function nullif<T, S extends string, S2 extends string = never>(a: Expr<T, S>, b: NoInfer<T> | Expr<NoInfer<T>, S2>): Expr<T | null, S | NoInfer<S2>> {
  const type = columnTypeOf(a as Node)
  return call('nullif', [a, b], decodeTypeOf(a as Node), {}, type) as Expr<T | null, S | S2>
}

/**
 * The substring of `x` from character `start` (1-based, ≥ 1), of `length` characters or to the end.
 * @example substr(users.name, 1, 3)
 */
export function substr<T extends string | null, S extends string>(x: Expr<T, S>, start: number, length?: number): Expr<T, S> {
  const from = integerArg(start, 'substr(): start', 1, Number.MAX_SAFE_INTEGER)
  const args: unknown[] = [x, literalNode(from)]
  if (length !== undefined) args.push(literalNode(integerArg(length, 'substr(): length', 0, Number.MAX_SAFE_INTEGER)))
  return call('substr', args) as Expr<T, S>
}

/** `REPLACE(x, from, to)`: every occurrence of `from` replaced, case-sensitively on every dialect. */
export function replace<T extends string | null, S extends string, S2 extends string = never>(
  x: Expr<T, S>,
  from: string | Expr<string, S2>,
  to: string | Expr<string | null, S2>,
): Expr<T, S | NoInfer<S2>> {
  return call('replace', [x, from, to]) as Expr<T, S | S2>
}

/** `ABS(x)`. */
export function abs<T extends Num, S extends string>(x: Expr<T, S>): Expr<T, S> {
  return call('abs', [x], decodeTypeOf(x as Node)) as Expr<T, S>
}

/** `CEIL(x)`: the smallest integer not below `x` (in `x`'s type). */
export function ceil<T extends Num, S extends string>(x: Expr<T, S>): Expr<T, S> {
  return call('ceil', [x], decodeTypeOf(x as Node)) as Expr<T, S>
}

/** `FLOOR(x)`: the largest integer not above `x` (in `x`'s type). */
export function floor<T extends Num, S extends string>(x: Expr<T, S>): Expr<T, S> {
  return call('floor', [x], decodeTypeOf(x as Node)) as Expr<T, S>
}

type Operands<T, S2 extends string> = readonly (NoInfer<T> | Expr<NoInfer<T> | null, S2>)[]
type AnyNull<R extends readonly unknown[]> = null extends (R[number] extends Expr<infer V, string> ? V : R[number]) ? null : never

function extreme(name: string, first: Expr, rest: readonly unknown[]): Node {
  if (rest.length === 0) throw new ArgumentError(`${name}() takes at least two operands`)
  return call(name, [first, ...rest], decodeTypeOf(first as Node), {}, columnTypeOf(first as Node))
}

/** The largest operand; NULL when any operand is NULL, on every dialect (PostgreSQL's GREATEST skips NULLs: emulated). */
export function greatest<T, S extends string, const R extends Operands<T, string>>(first: Expr<T, S>, ...rest: R): Expr<T | AnyNull<R>, S | ScopeOfExpr<R[number]>> {
  return extreme('greatest', first, rest) as never // cast: the node is untyped at run time; the signature carries the result type
}

/** The smallest operand; NULL when any operand is NULL, on every dialect. */
export function least<T, S extends string, const R extends Operands<T, string>>(first: Expr<T, S>, ...rest: R): Expr<T | AnyNull<R>, S | ScopeOfExpr<R[number]>> {
  return extreme('least', first, rest) as never // cast: the node is untyped at run time; the signature carries the result type
}

/** The length of a string in characters, not bytes (`CHAR_LENGTH` on MySQL). */
export function charLength<T extends string | null, S extends string>(x: Expr<T, S>): Expr<OrNull<T, number>, S> {
  return call('length', [x], 'integer') as Expr<OrNull<T, number>, S>
}

/**
 * Integer division truncating toward zero (`7 / 2` is 3, `-7 / 2` is -3) and NULL when dividing by
 * zero, on every dialect (MySQL's `/` would give 3.5000).
 */
export function intDiv<T extends number | bigint | null, S extends string, S2 extends string = never>(a: Expr<T, S>, b: NoInfer<T> | Expr<NoInfer<T>, S2>): Expr<T | null, S | NoInfer<S2>> {
  const type = decodeTypeOf(a as Node)
  return call('int_div', [a, b], type && INTEGERS.has(type.type) ? type : 'integer', {}, columnTypeOf(a as Node)) as Expr<T | null, S | S2>
}

/**
 * A constant column, typed, written into the SQL (`literal(1)`, `literal('order')`); `literal(null)`
 * is a NULL that unions with a column of any type.
 * @example select({ kind: literal('order'), id: orders.id }).from(orders)
 */
export function literal(value: string): Expr<string, never>
export function literal(value: number): Expr<number, never>
export function literal(value: bigint): Expr<bigint, never>
export function literal(value: boolean): Expr<boolean, never>
export function literal(value: null): Expr<null, never>
export function literal(value: string | number | bigint | boolean | null): Expr {
  if (typeof value === 'number' && !Number.isFinite(value)) throw new ArgumentError(`literal(): ${value} cannot be written in SQL`)
  const type: ColumnMeta | undefined =
    typeof value === 'string' ? typeMeta('text')
    : typeof value === 'number' ? typeMeta(Number.isInteger(value) ? 'integer' : 'double')
    : typeof value === 'bigint' ? typeMeta('bigint')
    : typeof value === 'boolean' ? typeMeta('boolean')
    : undefined
  if (value !== null && !['string', 'number', 'bigint', 'boolean'].includes(typeof value)) throw new ArgumentError(`literal(): expected a string, number, bigint, boolean or null, got ${typeof value}`)
  return literalNode(value, type) as unknown as Expr // cast: the node is untyped at run time; the signature carries the literal's type
}
