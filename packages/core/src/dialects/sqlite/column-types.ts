/**
 * SQLite column types. SQLite stores by affinity, so types whose values are text get a declared
 * name containing `TEXT` (`TIMESTAMP_TEXT`, `DECIMAL_TEXT(38, 10)`…): TEXT affinity keeps the text
 * exactly (NUMERIC affinity would turn `'1234…0123456789'` into a lossy REAL, and CAST to it would
 * read `'2024-01-02'` as 2024) while the name still tells migrations what was declared. A numeric's
 * name says its stored form: `DECIMAL_SORTABLE_TEXT` (keys), `DECIMAL_TEXT` (plain text), `DECIMAL`.
 */
import { columnTypeFrom, sized } from '../shared-column-types.js'

/**
 * The SQL type of a column for DDL and CAST.
 * @example columnType(usersId) // 'INTEGER'; a timestamp → 'TIMESTAMP_TEXT'
 */
export const columnType = columnTypeFrom('sqlite', {
  integer: 'INTEGER',
  smallint: 'SMALLINT',
  bigint: 'BIGINT',
  real: 'REAL',
  double: 'DOUBLE',
  numeric: (c) => sized(c.stored === 'number' ? 'DECIMAL' : c.stored === 'text' ? 'DECIMAL_TEXT' : 'DECIMAL_SORTABLE_TEXT', c.precision, c.scale),
  boolean: 'BOOLEAN',
  text: 'TEXT',
  varchar: (c) => sized('VARCHAR', c.length),
  char: (c) => sized('CHAR', c.length),
  uuid: 'UUID_TEXT',
  date: 'DATE_TEXT',
  time: 'TIME_TEXT',
  timestamp: (c) => (c.withTimezone ? 'TIMESTAMPTZ_TEXT' : 'TIMESTAMP_TEXT'),
  json: 'JSON_TEXT',
  bytes: 'BLOB',
  enum: 'TEXT',
})
