/**
 * Dates with one meaning on every dialect: `dateTrunc` to the start of a year, quarter, month,
 * ISO week (Monday), day, hour or minute, `dateAdd` of a whole number of units (a month added to
 * Jan 31 gives the last day of February everywhere), and `extract` of a field, with the day of the week 0 for
 * Sunday and the epoch in seconds. Instants are read in UTC, as Quarry stores them (a PostgreSQL
 * `timestamptz` is read at UTC, whatever the session's time zone). Each dialect renders the calls
 * (`Dialect.calls`: `date_trunc`, `extract`), on SQLite from the text form the column is stored in.
 */
import type { Node } from '../ast/nodes.js'
import { ArgumentError } from '../errors.js'
import type { ColumnMeta } from '../schema/meta.js'
import { call, literalNode } from './call.js'
import type { Expr } from './expr.types.js'
import { decodeTypeOf, typeMeta } from './types.js'

/** What `dateTrunc` truncates to; `week` starts on Monday (ISO), as PostgreSQL's `date_trunc`. */
export type DateTruncUnit = 'year' | 'quarter' | 'month' | 'week' | 'day' | 'hour' | 'minute'
/** What `dateAdd` adds; a date takes whole days and more only. */
export type DateAddUnit = 'year' | 'quarter' | 'month' | 'week' | 'day' | 'hour' | 'minute' | 'second'

/** What `extract` reads: `dow` is 0 for Sunday to 6; `second` has the milliseconds as a fraction; `epoch` is seconds since 1970-01-01 UTC. */
export type ExtractField = 'year' | 'quarter' | 'month' | 'day' | 'hour' | 'minute' | 'second' | 'dow' | 'epoch'

const UNITS: ReadonlySet<string> = new Set<DateTruncUnit>(['year', 'quarter', 'month', 'week', 'day', 'hour', 'minute'])
const FIELDS: ReadonlySet<string> = new Set<ExtractField>(['year', 'quarter', 'month', 'day', 'hour', 'minute', 'second', 'dow', 'epoch'])
const ADD_UNITS: ReadonlySet<string> = new Set<DateAddUnit>(['year', 'quarter', 'month', 'week', 'day', 'hour', 'minute', 'second'])
const TIME_UNITS: ReadonlySet<string> = new Set(['hour', 'minute', 'second'])
const INTEGER = typeMeta('integer')
const TIMESTAMP = typeMeta('timestamp')
/** `R`, or `R | null` when `T` may be null. */
type OrNull<T, R> = null extends T ? R | null : R

function dateType(what: string, ts: Expr): ColumnMeta {
  const type = decodeTypeOf(ts as Node) ?? TIMESTAMP
  if (type.type === 'timestamp' || type.type === 'date') return type
  const name = type.key ? `column '${type.key}' (${type.type})` : `a ${type.type} expression`
  throw new ArgumentError(`${what}: ${name} is not a date or timestamp`)
}

function choice(what: string, value: unknown, allowed: ReadonlySet<string>): string {
  if (typeof value !== 'string' || !allowed.has(value)) throw new ArgumentError(`${what} must be one of ${[...allowed].join(', ')}, got ${String(value)}`)
  return value
}

/**
 * The start of the `unit` that `ts` falls in, in `ts`'s own type (a timestamp stays a `Date`, a
 * date a `'YYYY-MM-DD'` string), the same on every dialect.
 * @example dateTrunc('month', orders.createdAt) // 2024-03-17 10:20 → 2024-03-01 00:00 (UTC)
 */
export function dateTrunc<T extends Date | string | null, S extends string>(unit: DateTruncUnit, ts: Expr<T, S>): Expr<T, S> {
  const u = choice('dateTrunc(): unit', unit, UNITS)
  return call('date_trunc', [literalNode(u), ts], dateType('dateTrunc()', ts)) as Expr<T, S>
}

/**
 * A field of a date or timestamp as a number, the same on every dialect (read in UTC).
 * @example extract('dow', orders.createdAt) // 0 on a Sunday … 6 on a Saturday
 */
export function extract<T extends Date | string | null, S extends string>(field: ExtractField, ts: Expr<T, S>): Expr<OrNull<T, number>, S> {
  const f = choice('extract(): field', field, FIELDS)
  dateType('extract()', ts)
  return call('extract', [literalNode(f), ts], f === 'second' || f === 'epoch' ? 'double' : 'integer') as Expr<OrNull<T, number>, S>
}

/**
 * `ts` plus `amount` (a whole number, negative to subtract) of `unit`, in `ts`'s type, the same on
 * every dialect: months and years that overflow land on the month's last day (Jan 31 + 1 month is
 * Feb 29 in 2024); read in UTC. A date takes day units and larger.
 * @example dateAdd('month', 1, subscriptions.renewedAt)
 */
export function dateAdd<T extends Date | string | null, S extends string, S2 extends string = never>(
  unit: DateAddUnit,
  amount: number | Expr<number, S2>,
  ts: Expr<T, S>,
): Expr<T, S | NoInfer<S2>> {
  const u = choice('dateAdd(): unit', unit, ADD_UNITS)
  const type = dateType('dateAdd()', ts)
  if (type.type === 'date' && TIME_UNITS.has(u)) throw new ArgumentError(`dateAdd(): a date takes whole days; '${u}' needs a timestamp`)
  if (typeof amount === 'number' && !Number.isSafeInteger(amount)) throw new ArgumentError(`dateAdd(): amount must be a whole number, got ${amount}`)
  return call('date_add', [literalNode(u), ts, amount], type, {}, INTEGER) as Expr<T, S | S2>
}
