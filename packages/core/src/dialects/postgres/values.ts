/**
 * PostgreSQL values. Instants go as UTC text with an explicit `+00:00` (a `timestamp` column
 * ignores the offset and keeps the UTC wall clock; a `timestamptz` column honours it), bigints as
 * decimal text, json as JSON text, bytes as `Uint8Array` (bytea). Native booleans and numerics.
 */
import { formatTimestamp, valueCodec } from '../shared-values.js'

const codec = valueCodec({
  boolean: (value) => value,
  timestamp: (value) => formatTimestamp(value, '+00:00'),
  bigint: (value) => value.toString(),
  bytes: (value) => value,
})

/** Encode a JS value for postgres.js (`Date` → `'2024-01-02 03:04:05.678+00:00'`, json → JSON text). */
export const encode = codec.encode

/** Decode a postgres.js value into the column's declared JS type (int8 text → `bigint`, text → `Date`). */
export const decode = codec.decode

/** One decode function per column for reading rows (`undefined`: values pass through). */
export const decoder = codec.decoder

/** One encode function per column for binding non-null values (`undefined`: values pass through). */
export const encoder = codec.encoder
