/**
 * One zod schema per column, carrying every constraint the column declares, in two forms: the
 * values Quarry binds (`bigint`, `Date`, `Uint8Array`…), and their JSON wire form, as `z.codec`s
 * that decode a request body into those values and encode a row back into JSON.
 *
 * Limits are the portable ones: a value accepted here is accepted by SQLite, PostgreSQL and
 * MySQL/MariaDB alike (for example a `varchar` without a length is MySQL's `VARCHAR(255)`).
 */
import type { ColumnMeta } from '@quarry/core'
import { z } from 'zod'

const INTEGER_RANGES = {
  smallint: [-32_768, 32_767],
  integer: [-2_147_483_648, 2_147_483_647],
} as const

const BIGINT_MIN = -(2n ** 63n)
const BIGINT_MAX = 2n ** 63n - 1n
/** The largest finite single-precision float. */
const REAL_MAX = 3.4028234663852886e38
/** The instants and days every dialect stores and reads back: MySQL's documented DATE/DATETIME range. */
const EARLIEST = new Date('1000-01-01T00:00:00.000Z')
const LATEST = new Date('9999-12-31T23:59:59.999Z')
/** `VARCHAR` without a length is `VARCHAR(255)` on MySQL. */
const DEFAULT_VARCHAR = 255
/** `numeric` without a precision is MySQL's `DECIMAL(65, 30)`. */
const DEFAULT_PRECISION = 65
const DEFAULT_SCALE = 30

/** A string every dialect stores as given: no NUL (PostgreSQL refuses it) and no lone surrogate. */
function storableText(value: string): boolean {
  return !value.includes('\0') && !LONE_SURROGATE.test(value)
}

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/

/** A JSON document every dialect stores: finite numbers, storable strings and keys, no `undefined`. */
function storableJson(value: unknown, depth = 0): boolean {
  if (depth > 100) return false
  if (value === null || typeof value === 'boolean') return true
  if (typeof value === 'number') return Number.isFinite(value)
  if (typeof value === 'string') return storableText(value)
  if (Array.isArray(value)) return value.every((item) => storableJson(item, depth + 1))
  const prototype: unknown = typeof value === 'object' ? Object.getPrototypeOf(value) : undefined
  if (typeof value === 'object' && (prototype === Object.prototype || prototype === null)) {
    return Object.entries(value as object).every(([key, item]) => storableText(key) && storableJson(item, depth + 1))
  }
  return false
}

const TEXT_MESSAGE = 'must not contain NUL characters or unpaired surrogates'

function text(): z.ZodString {
  return z.string().refine(storableText, TEXT_MESSAGE)
}

function integerDigits(column: ColumnMeta): { precision: number; scale: number } {
  const precision = column.precision ?? DEFAULT_PRECISION
  const scale = column.scale ?? (column.precision === undefined ? DEFAULT_SCALE : 0)
  return { precision, scale }
}

/** A `numeric(p, s)` as exact decimal text: at most p − s digits before the point and s after. */
function numeric(column: ColumnMeta): z.ZodString {
  const { precision, scale } = integerDigits(column)
  const before = precision - scale
  const fraction = scale > 0 ? `(?:\\.\\d{1,${scale}})?` : ''
  return z
    .string()
    .regex(new RegExp(`^-?(?:0|[1-9]\\d{0,${Math.max(before - 1, 0)}})${fraction}$`), `a decimal with at most ${before} digits before the point and ${scale} after`)
}

function isValidDate(text: string): boolean {
  const [year, month, day] = text.split('-').map(Number) as [number, number, number]
  const date = new Date(Date.UTC(2000, month - 1, day))
  date.setUTCFullYear(year)
  return year >= 1000 && date.getUTCMonth() === month - 1 && date.getUTCDate() === day
}

/** `'YYYY-MM-DD'`, a real day of years 1000–9999. */
function dateText(): z.ZodString {
  return z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a date as YYYY-MM-DD').refine(isValidDate, 'not a day of the calendar (years 1000–9999)')
}

/** `'HH:MM:SS'` from 00:00:00 to 23:59:59 (fractions when the column has a precision). */
function timeText(column: ColumnMeta): z.ZodString {
  const fraction = column.precision ? `(?:\\.\\d{1,${column.precision}})?` : ''
  return z.string().regex(new RegExp(`^(?:[01]\\d|2[0-3]):[0-5]\\d:[0-5]\\d${fraction}$`), 'a time as HH:MM:SS')
}

function instant(): z.ZodDate {
  return z.date().min(EARLIEST, 'the year must be 1000 or later').max(LATEST, 'the year must be 9999 or earlier')
}

function bytes(column: ColumnMeta): z.ZodCustom<Uint8Array, Uint8Array> {
  const max = column.length
  return z.custom<Uint8Array>((value) => value instanceof Uint8Array && (max === undefined || value.length <= max), {
    message: max === undefined ? 'expected a Uint8Array' : `expected a Uint8Array of at most ${max} bytes`,
  })
}

/**
 * The json documents Quarry stores; a top-level `null` is SQL NULL, never a JSON null. The value
 * is checked in place and passed through as given: `z.json()` copies objects key by key and so
 * drops a `"__proto__"` key that `JSON.parse` keeps.
 */
function jsonDocument(): z.ZodType<unknown> {
  return z.unknown().refine((value) => value !== null && storableJson(value), 'expected a JSON document (not null; strings without NUL characters)')
}

/** The schema of one column's value as Quarry binds it (before nullability). */
export function valueSchema(column: ColumnMeta): z.ZodType {
  switch (column.type) {
    case 'integer':
    case 'smallint': {
      const [min, max] = INTEGER_RANGES[column.type]
      return z.number().int().min(min).max(max)
    }
    case 'bigint':
      return z.bigint().min(BIGINT_MIN).max(BIGINT_MAX)
    case 'real':
      return z.number().min(-REAL_MAX).max(REAL_MAX).refine((n) => n === 0 || Math.fround(n) !== 0, 'too close to zero for a single-precision float')
    case 'double':
      return z.number()
    case 'numeric':
      return numeric(column)
    case 'boolean':
      return z.boolean()
    case 'text':
      return text()
    case 'varchar':
      return text().max(column.length ?? DEFAULT_VARCHAR)
    case 'char':
      // CHAR pads with spaces, and MySQL drops trailing ones when reading: a value ending in one would not come back.
      return text().length(column.length ?? 1).regex(/(?<! )$/, 'must not end with a space (CHAR pads with spaces)')
    case 'uuid':
      return z.uuid()
    case 'date':
      return dateText()
    case 'time':
      return timeText(column)
    case 'timestamp':
      return instant()
    case 'json':
      return declaredJson(column) ?? jsonDocument()
    case 'bytes':
      return bytes(column)
    case 'enum':
      return z.enum(column.values as [string, ...string[]])
    case 'custom':
      return z.unknown()
  }
}

function declaredJson(column: ColumnMeta): z.ZodType | undefined {
  const declared = column.schema
  if (declared === undefined || !(declared instanceof z.ZodType)) return undefined
  return declared.refine((value) => value !== null && storableJson(value), 'the value must be a JSON document without NUL characters')
}

const toBase64 = (data: Uint8Array): string => {
  let binary = ''
  for (let i = 0; i < data.length; i += 0x8000) binary += String.fromCharCode(...data.subarray(i, i + 0x8000))
  return btoa(binary)
}

const fromBase64 = (text: string): Uint8Array => Uint8Array.from(atob(text), (char) => char.charCodeAt(0))

/** The JSON form of the three types JSON has no value for, and the codec to and from it. */
export function wireSchema(column: ColumnMeta, value: z.ZodType): z.ZodType {
  switch (column.type) {
    case 'bigint':
      return z.codec(z.string().regex(/^-?\d{1,20}$/, 'an integer as a decimal string'), value as z.ZodBigInt, {
        decode: (text) => BigInt(text),
        encode: (n) => n.toString(),
      })
    case 'timestamp':
      return z.codec(z.iso.datetime({ offset: true }), value as z.ZodDate, {
        decode: (text) => new Date(text),
        encode: (date) => date.toISOString(),
      })
    case 'bytes':
      return z.codec(z.base64(), value as z.ZodCustom<Uint8Array, Uint8Array>, { decode: fromBase64, encode: toBase64 })
    default:
      return value
  }
}

/** Types JSON Schema cannot describe as JS values: their JSON Schema is that of their wire form. */
export const WIRE_ONLY: ReadonlySet<ColumnMeta['type']> = new Set(['bigint', 'timestamp', 'bytes'])
