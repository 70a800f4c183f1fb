/**
 * Value codecs written once for every dialect: the static type of a column is the runtime type of
 * its values. A dialect states only how it sends booleans, instants, bigints, bytes and numerics
 * (`ValueHooks`); reading back is shared and tolerant of what each driver hands over.
 *
 * Decoded forms: boolean → `true`/`false`; bigint → `bigint`; numeric → exact decimal string;
 * real → the shortest decimal of its single-precision value; timestamp → `Date`;
 * date → `'YYYY-MM-DD'`; time → `'HH:MM:SS'`; json → parsed value (drivers hand JSON over as
 * text); bytes → a plain `Uint8Array` (never a `Buffer`, so equality and snapshots agree on every
 * dialect); uuid → lowercase string; enum, text → string; NULL → `null`; custom → `fromDriver`.
 */
import type { ColumnMeta, ColumnType } from '../schema/meta.js'
import {
  checkBigInt, checkBoolean, checkDateText, checkFloat, checkInteger, checkPrecision, checkString, checkTimeText, jsonText, kindOf, refuse,
} from './value-checks.js'

/** How one dialect sends the values whose wire form differs between databases. */
export interface ValueHooks {
  /** A boolean as a parameter (SQLite has no boolean: 1/0). */
  readonly boolean: (value: boolean) => unknown
  /** An instant as a parameter (text in UTC; PostgreSQL adds the `+00:00` offset), in the column's stored form when it meets one. */
  readonly timestamp: (value: Date, column?: ColumnMeta) => unknown
  /** A 64-bit integer as a parameter. */
  readonly bigint: (value: bigint) => unknown
  /** Binary data as a parameter. */
  readonly bytes: (value: Uint8Array) => unknown
  /** A numeric column's value from exact decimal text (SQLite stores it in the column's stored form). */
  readonly numeric?: (text: string, column: ColumnMeta) => unknown
  /** Reads a numeric column's value as exact decimal text, when the driver may hand over a stored form. */
  readonly readNumeric?: (value: unknown, column: ColumnMeta) => string
}

/** A dialect's pair of value codecs. */
export interface ValueCodec {
  /** Encode a JS value for the driver; `column` is the column the value meets, when known. */
  encode(value: unknown, column?: ColumnMeta): unknown
  /** Decode a driver value into the column's declared JS type. */
  decode(value: unknown, column: ColumnMeta): unknown
  /** The decode function of one column for non-null values, or `undefined` when they pass through. */
  decoder(column: ColumnMeta): ((value: unknown) => unknown) | undefined
  /** The encode function of one column for non-null values, or `undefined` when they pass through. */
  encoder(column: ColumnMeta): ((value: unknown) => unknown) | undefined
}

/**
 * Builds a dialect's codecs from its few wire differences.
 * @example export const { encode, decode } = valueCodec({ boolean: (v) => (v ? 1 : 0), ... })
 */
export function valueCodec(hooks: ValueHooks): ValueCodec {
  const untyped = (value: unknown): unknown => encodeUntyped(value, hooks)
  const decoders = hooks.readNumeric ? { ...sharedDecoders, numeric: hooks.readNumeric } : sharedDecoders
  const encoders: Record<ColumnType, (value: unknown, column: ColumnMeta) => unknown> = {
    integer: checkInteger,
    smallint: checkInteger,
    real: checkFloat,
    double: checkFloat,
    bigint: (v, c) => hooks.bigint(checkBigInt(v, c)),
    numeric: (v, c) => encodeNumeric(v, c, hooks),
    boolean: (v, c) => hooks.boolean(checkBoolean(v, c)),
    text: checkString,
    varchar: checkString,
    char: checkString,
    uuid: (v, c) => checkString(v, c).toLowerCase(),
    enum: checkString,
    date: (v, c) => (v instanceof Date ? localDate(v, c) : checkDateText(v, c)),
    time: checkTimeText,
    timestamp: (v, c) => encodeTimestamp(v, c, hooks),
    json: jsonText,
    bytes: (v, c) => hooks.bytes(bytesOf(v, c)),
    custom: (v, c) => untyped(c.toDriver ? c.toDriver(v) : v),
  }
  return {
    encode(value, column) {
      if (value === null || value === undefined) return null
      return column ? encoders[column.type](value, column) : untyped(value)
    },
    decode(value, column) {
      if (value === null || value === undefined) return null
      return decoders[column.type](value, column)
    },
    decoder(column) {
      if (PASS_THROUGH.has(column.type)) return undefined
      const factory = columnDecoders[column.type]
      if (factory !== undefined) return factory(column)
      const decode = decoders[column.type]
      // A decoder that ignores its column is handed out as it is: a wrapper would slow every call.
      return decode.length < 2 ? (decode as (value: unknown) => unknown) : (value) => decode(value, column)
    },
    encoder(column) {
      const encode = encoders[column.type]
      return (value) => encode(value, column)
    },
  }
}

function same(value: unknown): unknown {
  return value
}

function encodeNumeric(value: unknown, column: ColumnMeta, hooks: ValueHooks): unknown {
  let text: string
  try {
    text = decimalText(value)
  } catch {
    refuse(column, `expected a decimal number, got ${typeof value === 'string' ? 'text that is not one' : kindOf(value)}`)
  }
  const rounded = column.scale === undefined ? text : fixScale(text, column.scale)
  checkPrecision(text, rounded, column)
  return hooks.numeric ? hooks.numeric(text, column) : text
}

function encodeTimestamp(value: unknown, column: ColumnMeta, hooks: ValueHooks): unknown {
  try {
    return hooks.timestamp(toDate(value), column)
  } catch (error) {
    if (error instanceof RangeError) refuse(column, 'a timestamp outside years 1–9999')
    if (error instanceof TypeError) refuse(column, `expected a Date or timestamp text, got ${value instanceof Date ? 'an invalid Date' : typeof value === 'string' ? 'other text' : kindOf(value)}`)
    throw error
  }
}

function bytesOf(value: unknown, column: ColumnMeta): Uint8Array {
  try {
    return toBytes(value)
  } catch {
    refuse(column, `expected a Uint8Array, got ${kindOf(value)}`)
  }
}

/**
 * A `Date` given to a `date` column names the calendar day it shows in the process's time zone
 * (what `toDateString()` prints, as `new Date(2024, 0, 15)` means): midnight in Tokyo stays that day.
 */
function localDate(date: Date, column: ColumnMeta): string {
  const year = date.getFullYear()
  if (Number.isNaN(year) || year < 1 || year > 9999) refuse(column, 'an invalid Date, or one outside years 1–9999')
  return `${pad(year, 4)}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`
}

/** A value met without a column (`sql` templates, untyped comparisons), sent sensibly. */
function encodeUntyped(value: unknown, hooks: ValueHooks): unknown {
  if (value === undefined) return null
  if (typeof value === 'string') return checkString(value, undefined)
  if (typeof value === 'boolean') return hooks.boolean(value)
  if (typeof value === 'bigint') return hooks.bigint(value)
  if (value instanceof Date) return hooks.timestamp(value)
  if (value instanceof Uint8Array) return hooks.bytes(value)
  if (typeof value === 'object' && value !== null) return JSON.stringify(value)
  return value
}

/** Types every driver already hands over as their JS type (strings). */
const PASS_THROUGH: ReadonlySet<ColumnType> = new Set<ColumnType>(['text', 'varchar', 'char', 'enum'])

const sharedDecoders: Record<ColumnType, (value: unknown, column: ColumnMeta) => unknown> = {
  integer: toNumber,
  smallint: toNumber,
  real: (v, c) => toFloat32(toNumber(v, c)),
  double: toNumber,
  bigint: toBigInt,
  // The declared (or computed) scale on every dialect: PostgreSQL's COALESCE(SUM(x), '0') gives '0'.
  numeric: (v, c) => {
    const text = typeof v === 'string' ? v : decimalText(v)
    if (c.scale === undefined) return text
    const dot = text.indexOf('.')
    return (dot < 0 ? 0 : text.length - dot - 1) === c.scale ? text : fixScale(text, c.scale)
  },
  boolean: toBoolean,
  text: same,
  varchar: same,
  char: same,
  uuid: same,
  enum: same,
  date: (v) => (v instanceof Date ? formatDate(v) : v),
  time: same,
  timestamp: toDate,
  json: parseJson,
  bytes: toBytes,
  custom: (v, c) => (c.fromDriver ? c.fromDriver(v) : v),
}

/**
 * Decoders of one column that need the column only to name it in an error: a closure whose
 * common case (the driver's own number or boolean) returns at once.
 */
const columnDecoders: Partial<Record<ColumnType, (column: ColumnMeta) => (value: unknown) => unknown>> = {
  integer: (c) => (v) => (typeof v === 'number' ? v : toNumber(v, c)),
  smallint: (c) => (v) => (typeof v === 'number' ? v : toNumber(v, c)),
  double: (c) => (v) => (typeof v === 'number' ? v : toNumber(v, c)),
  real: (c) => (v) => toFloat32(typeof v === 'number' ? v : toNumber(v, c)),
  boolean: (c) => (v) => (typeof v === 'boolean' ? v : toBoolean(v, c)),
}

/** A number from the driver's number, bigint or text; text that is no number is refused, not NaN. */
function toNumber(value: unknown, column: ColumnMeta): unknown {
  if (typeof value === 'bigint') return Number(value)
  if (typeof value !== 'string') return value
  const n = Number(value)
  if (Number.isNaN(n) && value.trim() !== 'NaN' || value.trim() === '') refuse(column, 'stored text that is not a number')
  return n
}

/**
 * A `real` as the shortest decimal that names the same single-precision float, as PostgreSQL prints
 * it: MySQL's binary protocol widens FLOAT to a double (0.1 → 0.10000000149011612) and SQLite
 * stores a double, so all three agree.
 */
function toFloat32(n: unknown): unknown {
  if (typeof n !== 'number' || !Number.isFinite(n)) return n
  const single = Math.fround(n)
  for (let digits = 1; digits < 9; digits++) {
    const shortest = Number(single.toPrecision(digits))
    if (Math.fround(shortest) === single) return shortest
  }
  return Number(single.toPrecision(9))
}

function toBigInt(value: unknown): bigint {
  if (typeof value === 'bigint') return value
  if (typeof value === 'number' || typeof value === 'string' || typeof value === 'boolean') return BigInt(value)
  throw new TypeError(`expected a bigint, got ${describe(value)}`)
}

/** A boolean from the driver's boolean, 1/0 (SQLite, MySQL's TINYINT) or text; other text is refused, never read as false. */
function toBoolean(value: unknown, column: ColumnMeta): unknown {
  if (typeof value === 'boolean') return value
  if (typeof value === 'number' || typeof value === 'bigint') return value !== 0 && value !== 0n
  if (typeof value === 'string') {
    if (value === 't' || value === 'true' || value === '1') return true
    if (value === 'f' || value === 'false' || value === '0') return false
    refuse(column, 'stored text that is not a boolean')
  }
  return value
}

function parseJson(value: unknown): unknown {
  if (typeof value === 'string') return JSON.parse(value)
  if (value instanceof Uint8Array) return JSON.parse(new TextDecoder().decode(value))
  if (typeof value === 'bigint') return Number(value)
  return value
}

/** A plain `Uint8Array` from driver bytes: Buffers are copied (they may share a pooled slab). */
export function toBytes(value: unknown): Uint8Array {
  if (value instanceof Uint8Array) {
    return Object.getPrototypeOf(value) === Uint8Array.prototype ? value : new Uint8Array(value)
  }
  if (value instanceof ArrayBuffer) return new Uint8Array(value.slice(0))
  if (typeof value === 'string' && /^\\x(?:[0-9a-f]{2})*$/i.test(value)) {
    const out = new Uint8Array((value.length - 2) / 2)
    for (let i = 0; i < out.length; i++) out[i] = parseInt(value.slice(2 + i * 2, 4 + i * 2), 16)
    return out
  }
  throw new TypeError(`expected bytes (Uint8Array), got ${describe(value)}`)
}

/** An instant from a Date, epoch milliseconds or timestamp text (text without an offset is UTC). */
export function toDate(value: unknown): Date {
  if (value instanceof Date) {
    if (Number.isNaN(value.getTime())) throw new TypeError('invalid Date')
    return value
  }
  if (typeof value === 'number' || typeof value === 'bigint') return new Date(Number(value))
  if (typeof value === 'string') return parseTimestamp(value)
  throw new TypeError(`expected a Date, got ${describe(value)}`)
}

const pad = (n: number, width = 2): string => (width === 2 ? (n < 10 ? '0' + n : '' + n) : String(n).padStart(width, '0'))

/** `'YYYY-MM-DD'` of a Date's UTC calendar day. */
export function formatDate(date: Date): string {
  return `${pad(date.getUTCFullYear(), 4)}-${pad(date.getUTCMonth() + 1)}-${pad(date.getUTCDate())}`
}

/** `'00'`…`'99'` and `'000'`…`'999'`: fixed-width fields without padStart. */
const PAD2 = Array.from({ length: 100 }, (_, i) => (i < 10 ? '0' : '') + i)
const PAD3 = Array.from({ length: 1000 }, (_, i) => (i < 10 ? '00' : i < 100 ? '0' : '') + i)
const DAY_MS = 86_400_000

/** The last instant formatted, and its text. */
let last = { time: NaN, offset: '', text: '' }

/**
 * `'YYYY-MM-DD HH:MM:SS.SSS'` in UTC followed by `offset`: the form that sorts as text and compares
 * with SQLite's `CURRENT_TIMESTAMP`, and that every server parses. Years 1–9999 only.
 */
export function formatTimestamp(date: Date, offset = ''): string {
  // From the epoch milliseconds in small-integer arithmetic (H. Hinnant's civil_from_days):
  // several times faster than `toISOString`, or than the Date's UTC getters.
  const time = date.getTime()
  if (Number.isNaN(time)) throw new TypeError('invalid Date')
  // The same instant is often bound many times running (a batch's createdAt, a fixed cutoff).
  if (time === last.time && offset === last.offset) return last.text
  const days = Math.floor(time / DAY_MS)
  const ms = time - days * DAY_MS
  const z = days + 719_468
  const era = Math.floor(z / 146_097)
  const doe = z - era * 146_097
  const yoe = ((doe - ((doe / 1460) | 0) + ((doe / 36_524) | 0) - ((doe / 146_096) | 0)) / 365) | 0
  const doy = doe - (365 * yoe + (yoe >> 2) - ((yoe / 100) | 0))
  const mp = ((5 * doy + 2) / 153) | 0
  const month = mp < 10 ? mp + 3 : mp - 9
  const year = yoe + era * 400 + (month <= 2 ? 1 : 0)
  if (year < 1 || year > 9999) throw new RangeError(`timestamp year ${year} is outside 1..9999`)
  const day = doy - (((153 * mp + 2) / 5) | 0) + 1
  const seconds = (ms / 1000) | 0
  const text =
    (year < 1000 ? pad(year, 4) : '' + year) + '-' + PAD2[month] + '-' + PAD2[day] + ' ' +
    PAD2[(seconds / 3600) | 0] + ':' + PAD2[((seconds / 60) | 0) % 60] + ':' + PAD2[seconds % 60] + '.' + PAD3[ms - seconds * 1000] + offset
  last = { time, offset, text }
  return text
}

/** The last canonical text `parseTimestamp` read, and its epoch milliseconds. */
const lastParsed: { text: string | undefined; time: number } = { text: undefined, time: 0 }

const TIMESTAMP_TEXT =
  /^(\d{4,})-(\d\d)-(\d\d)(?:[T ](\d\d):(\d\d)(?::(\d\d)(?:[.,](\d+))?)?)?\s*(Z|[+-]\d\d(?::?\d\d(?::?\d\d)?)?)?(\s+BC)?$/i

/**
 * Parses timestamp text as servers print it (`2024-01-02 03:04:05.678+05:30`, ISO 8601, PostgreSQL's
 * `+00:19:32` historic offsets and ` BC`). Text without an offset is UTC; digits after milliseconds
 * are truncated.
 */
export function parseTimestamp(text: string): Date {
  // A row's timestamps often hold the same text (created_at = updated_at until the first update).
  if (text === lastParsed.text) return new Date(lastParsed.time)
  const fast = parseCanonical(text)
  if (fast !== undefined) {
    lastParsed.text = text
    lastParsed.time = fast
    return new Date(fast)
  }
  const m = TIMESTAMP_TEXT.exec(text.trim())
  if (!m) {
    if (/^[+-]?infinity$/i.test(text.trim())) return new Date(text.trim().startsWith('-') ? -8.64e15 : 8.64e15)
    throw new TypeError(`cannot read '${text}' as a timestamp`)
  }
  const [, y, mo, d, h = '0', mi = '0', s = '0', frac = '', offset, bc] = m
  const year = bc ? 1 - Number(y) : Number(y)
  const date = new Date(Date.UTC(2000, Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s), Number(frac.slice(0, 3).padEnd(3, '0'))))
  date.setUTCFullYear(year, Number(mo) - 1, Number(d))
  if (offset && offset.toUpperCase() !== 'Z') {
    const [oh, om = '0', os = '0'] = offset.slice(1).match(/\d\d/g)!
    const seconds = Number(oh) * 3600 + Number(om) * 60 + Number(os)
    date.setTime(date.getTime() - (offset[0] === '-' ? -seconds : seconds) * 1000)
  }
  return date
}

function digits(text: string, from: number, count: number): number {
  let n = 0
  for (let i = from; i < from + count; i++) {
    const c = text.charCodeAt(i) - 48
    if (c < 0 || c > 9) return -1
    n = n * 10 + c
  }
  return n
}

/**
 * The hot path of reading rows: `YYYY-MM-DD HH:MM:SS[.fff…][Z|±HH[:MM]]` as servers print it,
 * parsed without a regex. Anything else (BC, historic offsets, odd years) returns `undefined`.
 */
function parseCanonical(text: string): number | undefined {
  const len = text.length
  if (len < 19 || text.charCodeAt(4) !== 45 || text.charCodeAt(7) !== 45 || text.charCodeAt(13) !== 58 || text.charCodeAt(16) !== 58) return undefined
  const sep = text.charCodeAt(10)
  if (sep !== 32 && sep !== 84) return undefined
  const year = digits(text, 0, 4)
  const month = digits(text, 5, 2)
  const day = digits(text, 8, 2)
  const hour = digits(text, 11, 2)
  const minute = digits(text, 14, 2)
  const second = digits(text, 17, 2)
  if (year < 100 || month < 0 || day < 0 || hour < 0 || minute < 0 || second < 0) return undefined
  let i = 19
  let ms = 0
  if (i < len && text.charCodeAt(i) === 46) {
    let scale = 100
    for (i++; i < len; i++) {
      const c = text.charCodeAt(i) - 48
      if (c < 0 || c > 9) break
      ms += c * scale
      scale /= 10
    }
    ms = Math.floor(ms)
  }
  let offset = 0
  if (i < len) {
    const sign = text.charCodeAt(i)
    if (sign === 90 && i + 1 === len) offset = 0
    else if ((sign === 43 || sign === 45) && (len - i === 3 || (len - i === 6 && text.charCodeAt(i + 3) === 58))) {
      const oh = digits(text, i + 1, 2)
      const om = len - i === 6 ? digits(text, i + 4, 2) : 0
      if (oh < 0 || om < 0) return undefined
      offset = (sign === 45 ? -1 : 1) * (oh * 60 + om) * 60_000
    } else return undefined
  }
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 59) return Date.UTC(year, month - 1, day, hour, minute, second, ms) - offset
  return daysFromCivil(year, month, day) * 86_400_000 + hour * 3_600_000 + minute * 60_000 + second * 1000 + ms - offset
}

/** Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm): cheaper than `Date.UTC`. */
function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year
  const era = Math.floor(y / 400)
  const yoe = y - era * 400
  const doy = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1
  return era * 146_097 + yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy - 719_468
}

const DECIMAL = /^([+-]?)(\d*)(?:\.(\d*))?(?:e([+-]?\d+))?$/i

/** Exact plain decimal text (no exponent) of a number, bigint or decimal string. */
export function decimalText(value: unknown): string {
  if (typeof value === 'bigint') return value.toString()
  if (typeof value === 'number' && !Number.isFinite(value)) throw new RangeError(`numeric value ${value} is not finite`)
  const text = typeof value === 'number' ? String(value) : typeof value === 'string' ? value.trim() : undefined
  const m = text === undefined ? null : DECIMAL.exec(text)
  if (!m || (m[2] === '' && !m[3])) throw new TypeError(`expected a decimal number, got ${describe(value)}`)
  const [, sign, int, frac = '', exp] = m
  if (!exp) return `${sign === '-' ? '-' : ''}${(int || '0').replace(/^0+(?=\d)/, '')}${frac ? `.${frac}` : ''}`
  const digits = int + frac
  const point = int.length + Number(exp)
  const whole = point <= 0 ? '0' : digits.slice(0, point).padEnd(point, '0').replace(/^0+(?=\d)/, '')
  const fraction = point <= 0 ? '0'.repeat(-point) + digits : digits.slice(point)
  return `${sign === '-' ? '-' : ''}${whole || '0'}${fraction ? `.${fraction}` : ''}`
}

/** Decimal text with exactly `scale` fraction digits, rounded half away from zero as servers do. */
export function fixScale(text: string, scale: number): string {
  const negative = text.startsWith('-')
  const [int, frac = ''] = (negative ? text.slice(1) : text).split('.')
  let digits = int + frac.slice(0, scale).padEnd(scale, '0')
  if (frac.length > scale && frac[scale] >= '5') digits = incrementDigits(digits)
  digits = digits.padStart(scale + 1, '0')
  const whole = digits.slice(0, digits.length - scale).replace(/^0+(?=\d)/, '')
  const out = scale > 0 ? `${whole}.${digits.slice(digits.length - scale)}` : whole
  return negative && /[1-9]/.test(out) ? `-${out}` : out
}

function incrementDigits(digits: string): string {
  const chars = digits.split('')
  for (let i = chars.length - 1; i >= 0; i--) {
    if (chars[i] !== '9') {
      chars[i] = String(Number(chars[i]) + 1)
      return chars.join('')
    }
    chars[i] = '0'
  }
  return `1${chars.join('')}`
}

function describe(value: unknown): string {
  return value === null ? 'null' : typeof value === 'object' ? (value.constructor?.name ?? 'object') : `${typeof value} ${String(value)}`
}
