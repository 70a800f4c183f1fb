/**
 * MySQL / MariaDB values. Instants are DATETIME(3) text in UTC (`'YYYY-MM-DD HH:MM:SS.SSS'`),
 * bytes go as a `Buffer` view (mysql2 recognises Buffers only), bigints as JS `bigint`, json as
 * JSON text. BOOLEAN is TINYINT(1): 1/0 come back as `true`/`false`.
 */
import { formatTimestamp, valueCodec } from '../shared-values.js'

const codec = valueCodec({
  boolean: (value) => value,
  timestamp: (value) => formatTimestamp(value),
  bigint: (value) => value,
  bytes: (value) => Buffer.from(value.buffer, value.byteOffset, value.byteLength),
})

/** Encode a JS value for mysql2 (`Date` → UTC DATETIME text, `Uint8Array` → `Buffer`). */
export const encode = codec.encode

/** Decode a mysql2 value into the column's declared JS type (1 → `true`, `'…'` → `bigint`, Buffer → `Uint8Array`). */
export const decode = codec.decode

/** One decode function per column for reading rows (`undefined`: values pass through). */
export const decoder = codec.decoder

/** One encode function per column for binding non-null values (`undefined`: values pass through). */
export const encoder = codec.encoder
