/**
 * Primary-key order in JavaScript: the order of loaded collections and of rows read back after an
 * INSERT. Compared here rather than by the database, so it is one order on every dialect
 * (collations differ) and costs no sort on the server.
 */
import type { Entity } from './entity.js'
import type { TableInfo } from './tables.js'

/** Compares two key values (numbers, bigints, strings by code unit, dates). */
export function comparePk(a: unknown, b: unknown): number {
  return (a as number) < (b as number) ? -1 : (a as number) > (b as number) ? 1 : 0
}

/** True when the rows' `key` values ascend (as RETURNING gives them on PostgreSQL and SQLite). */
export function ascending(rows: readonly Entity[], key: string): boolean {
  for (let i = 1; i < rows.length; i++) if (comparePk(rows[i - 1][key], rows[i][key]) > 0) return false
  return true
}

/** Sorts entities of one table by primary key, in place; rows that already ascend are left as they are. */
export function sortByPk(list: Entity[], info: TableInfo): void {
  const pk = info.pk
  if (pk.length === 1) {
    const key = pk[0].key
    if (!ascending(list, key)) list.sort((a, b) => comparePk(a[key], b[key]))
    return
  }
  const compare = (a: Entity, b: Entity): number => {
    for (const c of pk) {
      const order = comparePk(a[c.key], b[c.key])
      if (order !== 0) return order
    }
    return 0
  }
  for (let i = 1; i < list.length; i++) {
    if (compare(list[i - 1], list[i]) > 0) {
      list.sort(compare)
      return
    }
  }
}
