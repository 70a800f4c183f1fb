/**
 * PostgreSQL column types. Timestamps default to millisecond precision (what a JS `Date` holds, so
 * a value read back compares equal), times to seconds; json is `jsonb`; an enum is `text` with a
 * CHECK constraint (no CREATE TYPE to create, alter and drop in order).
 */
import { columnTypeFrom, sized } from '../shared-column-types'

/**
 * The SQL type of a column for DDL and CAST.
 * @example columnType(createdAt) // 'timestamp(3)'; with `withTimezone: true` → 'timestamptz(3)'
 */
export const columnType = columnTypeFrom('postgres', {
  integer: 'integer',
  smallint: 'smallint',
  bigint: 'bigint',
  real: 'real',
  double: 'double precision',
  numeric: (c) => sized('numeric', c.precision, c.scale),
  boolean: 'boolean',
  text: 'text',
  varchar: (c) => sized('varchar', c.length),
  char: (c) => sized('char', c.length),
  uuid: 'uuid',
  date: 'date',
  time: (c) => `time(${c.precision ?? 0})`,
  timestamp: (c) => `${c.withTimezone ? 'timestamptz' : 'timestamp'}(${c.precision ?? 3})`,
  json: 'jsonb',
  bytes: 'bytea',
  enum: 'text',
})
