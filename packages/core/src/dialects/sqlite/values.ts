/**
 * SQLite values. SQLite has no boolean, date or decimal storage, so: booleans are 1/0, instants are
 * UTC text `'YYYY-MM-DD HH:MM:SS.SSS'` (sorts as text and compares with `CURRENT_TIMESTAMP`),
 * numerics are exact text with the column's scale, bigints are bound as JS `bigint` (int64), bytes
 * as a BLOB. Reading a bigint beyond 2^53 needs the driver's `safeIntegers` for that statement.
 */
import { fixScale, formatTimestamp, valueCodec } from '../shared-values.js'

const codec = valueCodec({
  boolean: (value) => (value ? 1 : 0),
  timestamp: (value) => formatTimestamp(value),
  bigint: (value) => value,
  bytes: (value) => value,
  numeric: (text, column) => (column.scale === undefined ? text : fixScale(text, column.scale)),
})

/** Encode a JS value for better-sqlite3 (`true` → 1, `Date` → UTC text, `bigint` stays `bigint`). */
export const encode = codec.encode

/** Decode a better-sqlite3 value into the column's declared JS type (1 → `true`, text → `Date`). */
export const decode = codec.decode

/** One decode function per column for reading rows (`undefined`: values pass through). */
export const decoder = codec.decoder

/** One encode function per column for binding non-null values (`undefined`: values pass through). */
export const encoder = codec.encoder
