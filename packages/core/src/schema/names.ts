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

const MAX_BYTES = 63

/**
 * The name written in DDL for a constraint or index name: one longer than 63 bytes (PostgreSQL
 * truncates, MySQL refuses beyond 64) keeps its first 54 bytes plus `_` and 8 hex digits of a hash
 * of the whole name.
 * @example physicalName('users_email_key') // 'users_email_key'
 */
export function physicalName(name: string): string {
  const bytes = new TextEncoder().encode(name)
  if (bytes.length <= MAX_BYTES) return name
  let cut = new TextDecoder().decode(bytes.slice(0, 54))
  if (cut.endsWith('\uFFFD')) cut = cut.slice(0, -1)
  return `${cut}_${nameHash(name)}`
}

/** 8 hex digits of the FNV-1a hash of a text's UTF-8 bytes: short, stable across versions and platforms. */
export function nameHash(text: string): string {
  let hash = 0x811c9dc5
  for (const byte of new TextEncoder().encode(text)) hash = Math.imul(hash ^ byte, 0x01000193) >>> 0
  return hash.toString(16).padStart(8, '0')
}
