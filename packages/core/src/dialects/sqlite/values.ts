/**
 * SQLite values. SQLite has no boolean, date or decimal storage, so: booleans are 1/0, instants are
 * UTC text `'YYYY-MM-DD HH:MM:SS'`, with `.SSS` when there are milliseconds (sorts as text and
 * compares with `CURRENT_TIMESTAMP`; a column declared `stored: 'milliseconds'` always has `.SSS`), numerics are exact sortable
 * text keys with the column's scale (`decimal.ts`; plain text or numbers where the column says it
 * stores those), bigints are bound as JS `bigint` (int64), bytes as a BLOB. Reading a bigint beyond
 * 2^53 needs the driver's `safeIntegers` for that statement.
 */
import type { ColumnMeta } from '../../schema/meta.js'
import { fixScale, formatTimestamp, valueCodec } from '../shared-values.js'
import { decimalKey, readNumeric, toDecimal } from './decimal.js'

/** A numeric column's value in its stored form, from exact decimal text. */
function storeNumeric(text: string, column: ColumnMeta): unknown {
  const fixed = column.scale === undefined ? text : fixScale(text, column.scale)
  const stored = column.stored ?? 'sortable'
  if (stored === 'text') return fixed
  if (stored === 'sortable') return decimalKey(toDecimal(fixed)!)
  const n = Number(fixed)
  // A double holds 15 significant digits exactly; more would be stored rounded.
  if (decimalKey(toDecimal(n)!) !== decimalKey(toDecimal(fixed)!)) {
    throw new RangeError(`column ${column.name} stores numbers (stored: 'number'): ${fixed} cannot be stored exactly as a double`)
  }
  return n
}

/**
 * A timestamp in its stored form: `'seconds'` (the default) writes `.SSS` only when there are
 * milliseconds, as SQLite's CURRENT_TIMESTAMP and most tools write; `'milliseconds'` always does.
 * Either way the text sorts as the instants do.
 */
function storeTimestamp(value: Date, column?: ColumnMeta): string {
  const text = formatTimestamp(value)
  return column?.stored !== 'milliseconds' && text.endsWith('.000') ? text.slice(0, 19) : text
}

const codec = valueCodec({
  boolean: (value) => (value ? 1 : 0),
  timestamp: storeTimestamp,
  bigint: (value) => value,
  bytes: (value) => value,
  numeric: storeNumeric,
  readNumeric,
})

/** Encode a JS value for better-sqlite3 (`true` → 1, `Date` → UTC text, `bigint` stays `bigint`). */
export const encode = codec.encode

/** Decode a better-sqlite3 value into the column's declared JS type (1 → `true`, text → `Date`). */
export const decode = codec.decode

/** One decode function per column for reading rows (`undefined`: values pass through). */
export const decoder = codec.decoder

/** One encode function per column for binding non-null values (`undefined`: values pass through). */
export const encoder = codec.encoder
