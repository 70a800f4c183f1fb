/**
 * MySQL / MariaDB column types. Both timestamp kinds are DATETIME(3) holding UTC (TIMESTAMP stops
 * in 2038 and starts in 1970); text and bytes are the LONG kinds (unbounded like the other
 * dialects); an enum is a native ENUM; numeric without precision is DECIMAL(65, 30).
 */
import type { ColumnMeta } from '../../schema/meta.js'
import { columnTypeFrom, sized } from '../shared-column-types.js'
import { stringLiteral } from './ddl.js'

/**
 * The SQL type of a column for DDL.
 * @example columnType(status) // "ENUM('draft', 'published')"
 */
export const columnType = columnTypeFrom('mysql', {
  integer: 'INT',
  smallint: 'SMALLINT',
  bigint: 'BIGINT',
  real: 'FLOAT',
  double: 'DOUBLE',
  numeric: (c) => `DECIMAL(${c.precision ?? 65}, ${c.scale ?? (c.precision === undefined ? 30 : 0)})`,
  boolean: 'BOOLEAN',
  text: 'LONGTEXT',
  varchar: (c) => `VARCHAR(${c.length ?? 255})`,
  char: (c) => sized('CHAR', c.length),
  uuid: 'CHAR(36)',
  date: 'DATE',
  time: (c) => sized('TIME', c.precision),
  timestamp: (c) => `DATETIME(${c.precision ?? 3})`,
  json: 'JSON',
  bytes: (c) => (c.length === undefined ? 'LONGBLOB' : `VARBINARY(${c.length})`),
  enum: (c) => `ENUM(${(c.values ?? []).map(stringLiteral).join(', ')})`,
})

const CAST_TYPES: Partial<Record<ColumnMeta['type'], string>> = {
  integer: 'SIGNED',
  smallint: 'SIGNED',
  bigint: 'SIGNED',
  boolean: 'SIGNED',
  text: 'CHAR',
  varchar: 'CHAR',
  uuid: 'CHAR',
  enum: 'CHAR',
  bytes: 'BINARY',
  json: 'CHAR',
}

/**
 * The type to write in `CAST(x AS …)`: MySQL's CAST takes fewer names than its DDL.
 * @example castType(usersId) // 'SIGNED'; a numeric(10, 2) → 'DECIMAL(10, 2)'
 */
export function castType(column: ColumnMeta): string {
  return CAST_TYPES[column.type] ?? columnType(column)
}
