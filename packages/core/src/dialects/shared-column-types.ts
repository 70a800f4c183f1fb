/**
 * Column types written once: each dialect gives a small table from portable type to SQL type, and
 * custom types (`sqlType`, a string or one per dialect) are resolved here for all of them.
 */
import { SchemaError } from '../errors.js'
import type { ColumnMeta, ColumnType } from '../schema/meta.js'
import type { DialectName } from './dialect.js'

/** One SQL type per portable type (except `custom`), fixed or computed from the column. */
export type TypeTable = { readonly [K in Exclude<ColumnType, 'custom'>]: string | ((column: ColumnMeta) => string) }

/**
 * The `columnType` function of a dialect, from its table.
 * @example export const columnType = columnTypeFrom('postgres', { integer: 'integer', ... })
 */
export function columnTypeFrom(dialect: DialectName, table: TypeTable): (column: ColumnMeta) => string {
  return (column) => {
    if (column.type === 'custom') return customSqlType(column, dialect)
    const entry = table[column.type]
    return typeof entry === 'function' ? entry(column) : entry
  }
}

/** `name(a, b)` with the arguments that are set (`numeric(10, 2)`, `varchar(50)`, `numeric`). */
export function sized(name: string, ...args: (number | undefined)[]): string {
  const set = args.filter((a): a is number => a !== undefined)
  return set.length === 0 ? name : `${name}(${set.join(', ')})`
}

function customSqlType(column: ColumnMeta, dialect: DialectName): string {
  const sqlType = typeof column.sqlType === 'string' ? column.sqlType : column.sqlType?.[dialect]
  if (!sqlType) throw new SchemaError(`column ${column.key}: custom type has no sqlType for ${dialect}`)
  return sqlType
}
