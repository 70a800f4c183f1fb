/**
 * Deterministic constraint and index names, PostgreSQL's own scheme, so an error or a migration can
 * map a name back to its table and columns:
 * `<table>_pkey`, `<table>_<cols>_key` (unique), `<table>_<cols>_idx`, `<table>_<cols>_fkey`,
 * `<table>_<name>_check`; `<cols>` are SQL column names joined by `_`.
 */

/** Keys that reach an object's prototype machinery when used as property names (`obj.__proto__ = …`). */
const RESERVED_KEYS: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype'])

/** Is `key` unusable as the key of a table, a column, a relation or a selected output? */
export function isReservedKey(key: string): boolean {
  return RESERVED_KEYS.has(key)
}

/** The name of a primary key, unique constraint, index or foreign key over `columns` of `table`. */
export function constraintName(table: string, columns: readonly string[], suffix: 'pkey' | 'key' | 'idx' | 'fkey'): string {
  return suffix === 'pkey' ? `${table}_pkey` : `${table}_${columns.join('_')}_${suffix}`
}

/** The name of a check constraint declared as `checks: { name: sql`…` }`. */
export function checkName(table: string, name: string): string {
  return `${table}_${name}_check`
}
