/**
 * The table each column belongs to, kept beside the metadata rather than in it (so `ColumnMeta`
 * stays the plain, serialisable form migrations read): errors about a value name its table.
 */
import type { ColumnMeta } from './meta.js'

const owners = new WeakMap<ColumnMeta, string>()

/** Records that `column` is a column of the table with SQL name `table`. */
export function setOwner(column: ColumnMeta, table: string): void {
  owners.set(column, table)
}

/** The SQL name of the table a column belongs to; `undefined` for a type met without a table (a cast). */
export function ownerOf(column: ColumnMeta): string | undefined {
  return owners.get(column)
}
