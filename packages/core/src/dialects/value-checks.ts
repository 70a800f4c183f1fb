/**
 * Values checked against their column's type before they are bound, the same on every dialect:
 * what one database would refuse, another would store as something else (SQLite turns NaN into
 * NULL and keeps 'abc' in an integer column, MariaDB rounds 1.5 into INT, PostgreSQL reads 1 as a
 * false boolean and 'yesterday' as a date). A value that does not fit is a `DataError` naming the
 * table, the column and the kind of value, never the value itself (it may be a secret).
 */
import { DataError } from '../errors.js'
import type { ColumnMeta } from '../schema/meta.js'
import type { Capabilities } from './dialect.js'
import { ownerOf } from '../schema/owner.js'

/** Throws the `DataError` for a value of `column` (absent: a parameter met without a column). */
export function refuse(column: ColumnMeta | undefined, problem: string): never {
  if (column === undefined) throw new DataError(`a parameter: ${problem}`)
  const table = ownerOf(column)
  const name = table === undefined ? column.name : `${table}.${column.name}`
  throw new DataError(`column ${name} (${column.type}): ${problem}`, { table, columns: [column.name] })
}

/** The kind of a value, for messages: its type and class, never its content. */
export function kindOf(value: unknown): string {
  if (value === null) return 'null'
  if (typeof value === 'number') return Number.isNaN(value) ? 'NaN' : Number.isFinite(value) ? (Number.isInteger(value) ? 'an integer' : 'a fractional number') : 'an infinite number'
  if (typeof value === 'object') return `an object (${(value as object).constructor?.name ?? 'no prototype'})`
  return `a ${typeof value}`
}

const INT32: readonly [number, number] = [-2_147_483_648, 2_147_483_647]
const INT16: readonly [number, number] = [-32_768, 32_767]
const INT64_MIN = -(2n ** 63n)
const INT64_MAX = 2n ** 63n - 1n

/** An `integer` value: a whole number within 32 bits (a `bigint` in range is taken too). */
export function checkInteger(value: unknown, column: ColumnMeta): unknown {
  return checkWhole(value, column, column.type === 'smallint' ? INT16 : INT32)
}

function checkWhole(value: unknown, column: ColumnMeta, [min, max]: readonly [number, number]): unknown {
  if (typeof value === 'number') {
    if (value >= min && value <= max && Number.isInteger(value)) return value
    if (Number.isInteger(value)) refuse(column, `an integer outside ${min}..${max}`)
    refuse(column, `expected an integer, got ${kindOf(value)}`)
  }
  if (typeof value === 'bigint') {
    if (value >= BigInt(min) && value <= BigInt(max)) return Number(value)
    refuse(column, `a bigint outside ${min}..${max}`)
  }
  refuse(column, `expected an integer, got ${kindOf(value)}`)
}

/** A `bigint` value: a `bigint`, a whole number or integer text, within 64 bits. */
export function checkBigInt(value: unknown, column: ColumnMeta): bigint {
  let big: bigint
  if (typeof value === 'bigint') big = value
  else if (typeof value === 'number' && Number.isSafeInteger(value)) big = BigInt(value)
  else if (typeof value === 'string' && /^\s*[+-]?\d+\s*$/.test(value)) big = BigInt(value.trim())
  else refuse(column, `expected a bigint, got ${typeof value === 'number' && Number.isInteger(value) ? 'an integer beyond 2^53 (pass a bigint)' : typeof value === 'string' ? 'text that is not an integer' : kindOf(value)}`)
  if (big < INT64_MIN || big > INT64_MAX) refuse(column, 'a bigint outside the 64-bit range')
  return big
}

/** A `real` (single precision) or `double` value: a finite number that the type can hold. */
export function checkFloat(value: unknown, column: ColumnMeta): number {
  if (typeof value !== 'number') refuse(column, `expected a number, got ${kindOf(value)}`)
  if (!Number.isFinite(value)) refuse(column, `expected a finite number, got ${kindOf(value)}`)
  // Beyond float32's largest value a `real` would become Infinity.
  if (column.type === 'real' && !Number.isFinite(Math.fround(value))) refuse(column, 'a number beyond the range of a real (about ±3.4e38)')
  return value
}

/** A `boolean` value: `true` or `false`, nothing that servers would read as one. */
export function checkBoolean(value: unknown, column: ColumnMeta): boolean {
  if (typeof value !== 'boolean') refuse(column, `expected true or false, got ${kindOf(value)}`)
  return value
}

/** ES2024's `String.prototype.isWellFormed` (Node 20 has it; the compiler's lib may not). */
interface WellFormed {
  isWellFormed(): boolean
}

/** A string value: text well formed as UTF-16 (an unpaired surrogate would be stored as U+FFFD). */
export function checkString(value: unknown, column: ColumnMeta | undefined): string {
  if (typeof value !== 'string') refuse(column, `expected a string, got ${kindOf(value)}`)
  if (!(value as unknown as WellFormed).isWellFormed()) refuse(column, 'a string with an unpaired surrogate (half of a UTF-16 pair), which databases store as U+FFFD') // cast: String.prototype.isWellFormed is Node 20 but not in the ES2022 lib this project targets
  return value
}

/** Decimal text that fits `numeric(precision, scale)` once rounded to its scale. */
export function checkPrecision(text: string, rounded: string, column: ColumnMeta): string {
  if (column.precision === undefined) return text
  const point = rounded.indexOf('.')
  let whole = point < 0 ? rounded : rounded.slice(0, point)
  if (whole.startsWith('-')) whole = whole.slice(1)
  const digits = whole.replace(/^0+/, '').length
  const allowed = column.precision - (column.scale ?? 0)
  if (digits > allowed) refuse(column, `a number with ${digits} digits before the point; numeric(${column.precision}, ${column.scale ?? 0}) holds ${allowed}`)
  return text
}

const DATE_TEXT = /^(\d{4})-(\d\d)-(\d\d)$/
const DAYS = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]

/** A `date` value: `'YYYY-MM-DD'` naming a real calendar day (no `'yesterday'`, no February 30). */
export function checkDateText(value: unknown, column: ColumnMeta): string {
  if (typeof value !== 'string') refuse(column, `expected 'YYYY-MM-DD' or a Date, got ${kindOf(value)}`)
  const m = DATE_TEXT.exec(value)
  if (m !== null) {
    const year = Number(m[1])
    const month = Number(m[2])
    const day = Number(m[3])
    const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0)
    if (year >= 1 && month >= 1 && month <= 12 && day >= 1 && day <= (month === 2 && !leap ? 28 : DAYS[month - 1]!)) return value
  }
  refuse(column, "expected a calendar date written 'YYYY-MM-DD' (years 0001–9999), got other text")
}

const TIME_TEXT = /^(?:[01]\d|2[0-3]):[0-5]\d(?::[0-5]\d(?:\.\d{1,6})?)?$/

/** A `time` value: `'HH:MM[:SS[.ffffff]]'` within one day. */
export function checkTimeText(value: unknown, column: ColumnMeta): string {
  if (typeof value !== 'string') refuse(column, `expected 'HH:MM:SS', got ${kindOf(value)}`)
  if (!TIME_TEXT.test(value)) refuse(column, "expected a time of day written 'HH:MM:SS' (00:00:00–23:59:59), got other text")
  return value
}

/**
 * JSON text of a json value; refuses what JSON cannot hold faithfully: no JSON at all (a
 * function, `undefined`), and strings with unpaired surrogates (escaped as `\udXXX`, which
 * PostgreSQL refuses and the others turn into U+FFFD).
 */
export function jsonText(value: unknown, column: ColumnMeta): string {
  let text: string | undefined
  try {
    text = JSON.stringify(value)
  } catch (error) {
    refuse(column, `a value JSON cannot hold (${(error as Error).message.split(/[:\n]/)[0]})`)
  }
  if (text === undefined) refuse(column, `a value JSON cannot hold (${kindOf(value)})`)
  // JSON.stringify writes paired surrogates as they are and escapes only unpaired ones.
  if (text.includes('\\ud') && LONE_ESCAPE.test(text)) refuse(column, 'a string with an unpaired surrogate (half of a UTF-16 pair) inside the document')
  return text
}

/** `\udXXX` preceded by an even number of backslashes: an escape, not an escaped backslash. */
const LONE_ESCAPE = /(?<!\\)(?:\\\\)*\\ud[89a-f][0-9a-f]{2}/

const UUID_TEXT = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

/** The number of characters (code points) of `text`, as PostgreSQL and MySQL count a length. */
function characters(text: string): number {
  let n = 0
  for (const _ of text) n++
  return n
}

/**
 * The check of a value written into `column` (INSERT, UPDATE SET) beyond its type's, where the
 * database would not make it on every dialect: a `varchar`/`char` longer than its `length`
 * (SQLite stores it whole), an `enum` value that is not a member (MySQL drops trailing spaces and
 * folds case into a member), a `uuid` that is not one (SQLite and MySQL store any text).
 * `undefined` when the column needs none. Values compared with the column are not checked: a
 * lookup by a too-long name finds nothing, as on the database.
 */
export function assignedCheck(column: ColumnMeta): ((value: unknown) => void) | undefined {
  const { length, values } = column
  if ((column.type === 'varchar' || column.type === 'char') && length !== undefined) {
    return (value) => {
      if (typeof value === 'string' && value.length > length && characters(value) > length) {
        refuse(column, `text of ${characters(value)} characters; ${column.type}(${length}) holds ${length}`)
      }
    }
  }
  if (column.type === 'enum' && values !== undefined) {
    return (value) => {
      if (typeof value === 'string' && !values.includes(value)) refuse(column, `a value that is not one of its ${values.length} members (compared exactly: case and spaces count)`)
    }
  }
  if (column.type === 'uuid') {
    return (value) => {
      if (typeof value === 'string' && !UUID_TEXT.test(value)) refuse(column, "text that is not a UUID written 'xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx'")
    }
  }
  return undefined
}

/**
 * The check of a value INSERTed into `column`: `assignedCheck`'s, or, in an auto-increment column
 * where the dialect takes 0 as "the next id" (`zeroIsNextId`, MySQL), a refusal of 0 (it would be
 * stored as another number). An UPDATE stores 0 as given there, so it keeps `assignedCheck`.
 */
export function insertedCheck(column: ColumnMeta, capabilities: Pick<Capabilities, 'zeroIsNextId'>): ((value: unknown) => void) | undefined {
  if (!column.autoIncrement || !capabilities.zeroIsNextId) return assignedCheck(column)
  return (value) => {
    if (value === 0 || value === 0n) refuse(column, 'an id of 0, which MySQL and MariaDB take as "the next id" in an AUTO_INCREMENT column (it would be stored as another number)')
  }
}
