/**
 * Checks of a schema literal that its types already make, for callers the types do not reach
 * (JavaScript, a cast, a schema read from JSON): what would otherwise land in CREATE TABLE as it is
 * (`"x" undefined`, `varchar(10); …)`) or make two declarations one table.
 */
import { SchemaError } from '../errors.js'
import type { ColumnInput } from './input.js'
import type { ColumnType } from './meta.js'

/** Every column type, as a record so that a new type cannot be forgotten here. */
const COLUMN_TYPES: Readonly<Record<ColumnType, true>> = {
  integer: true, smallint: true, bigint: true, real: true, double: true, numeric: true, boolean: true, text: true, varchar: true,
  char: true, uuid: true, date: true, time: true, timestamp: true, json: true, bytes: true, enum: true, custom: true,
}

/** Fractional-second digits a time or timestamp may keep (PostgreSQL and MySQL stop at microseconds). */
const MAX_FRACTION_DIGITS = 6

/**
 * Refuses an unknown type, a size that is not a whole number in range (it is inlined into DDL),
 * and an enum without its values.
 */
export function checkColumnInput(table: string, key: string, col: ColumnInput): void {
  const where = `column ${table}.${key}`
  if (!Object.hasOwn(COLUMN_TYPES, col.type)) {
    throw new SchemaError(`${where}: unknown type '${col.type}' (expected one of ${Object.keys(COLUMN_TYPES).join(', ')})`)
  }
  const fraction = col.type === 'time' || col.type === 'timestamp'
  checkWhole(where, 'length', col.length, 1)
  checkWhole(where, 'precision', col.precision, fraction ? 0 : 1, fraction ? MAX_FRACTION_DIGITS : undefined)
  checkWhole(where, 'scale', col.scale, 0)
  if (col.scale !== undefined && col.precision !== undefined && col.scale > col.precision) {
    throw new SchemaError(`${where}: scale ${col.scale} is larger than precision ${col.precision}`)
  }
  if (col.type === 'enum' && (!Array.isArray(col.values) || col.values.length === 0 || !col.values.every((v) => typeof v === 'string'))) {
    throw new SchemaError(`${where}: an enum needs values: a non-empty array of strings`)
  }
}

function checkWhole(where: string, option: string, value: unknown, min: number, max?: number): void {
  if (value === undefined) return
  if (typeof value === 'number' && Number.isInteger(value) && value >= min && (max === undefined || value <= max)) return
  const range = max === undefined ? `from ${min}` : `from ${min} to ${max}`
  const got = typeof value === 'number' ? String(value) : typeof value === 'string' ? `the string '${value}'` : String(value)
  throw new SchemaError(`${where}: ${option} must be a whole number ${range}, got ${got}`)
}

/**
 * Refuses two entries whose SQL names are one (`what` names them: 'tables', 'table t: columns'):
 * compared without case, as SQLite and MySQL on some file systems compare table names.
 */
export function checkDistinctNames(what: string, entries: readonly { readonly key: string; readonly name: string }[]): void {
  const seen = new Map<string, { key: string; name: string }>()
  for (const entry of entries) {
    const folded = entry.name.toLowerCase()
    const first = seen.get(folded)
    if (first) throw new SchemaError(`${what} ${first.key} and ${entry.key} have the same SQL name '${first.name}'${first.name === entry.name ? '' : ` ('${entry.name}' differs only in case)`}; give one a \`name\``)
    seen.set(folded, entry)
  }
}
