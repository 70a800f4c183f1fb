/**
 * PostgreSQL column types. Timestamps default to millisecond precision (what a JS `Date` holds, so
 * a value read back compares equal), times to seconds; json is `jsonb`; an enum is `text` with a
 * CHECK constraint (no CREATE TYPE to create, alter and drop in order).
 */
import type { ColumnMeta } from '../../schema/meta.js'
import { columnTypeFrom, sized } from '../shared-column-types.js'

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

/**
 * The type of a column's values in an array parameter (`unnest($1::varchar[])`): its DDL type
 * without modifiers, so the insert checks length and scale against the column as VALUES does,
 * where a cast to `varchar(5)` would truncate; `bpchar` for `char(n)`, since bare `char` means
 * `char(1)`. `undefined` for a custom type with modifiers or an array type, which keep VALUES.
 * @example elementType(title) // 'varchar' for varchar(200); 'timestamptz' for timestamptz(3)
 */
export function elementType(column: ColumnMeta): string | undefined {
  const type = columnType(column)
  const open = type.indexOf('(')
  if (column.type === 'custom') return open < 0 && !type.endsWith(']') ? type : undefined
  if (column.type === 'char') return 'bpchar'
  return open < 0 ? type : type.slice(0, open)
}
