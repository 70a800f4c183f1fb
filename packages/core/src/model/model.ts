/**
 * The schema of a database as plain data: what `defineSchema` declares and what introspection
 * finds, in one form, so migrations can diff the two. Names are SQL names; every list is sorted by
 * name (columns keep their table order), so two models of the same schema are deeply equal.
 */
import type { ColumnType, ForeignKeyMeta, IndexMeta } from '../schema/meta.js'

/** A column's type in portable terms, as the dialect stores it (`varchar` of length 255 on MySQL when none was said). */
export interface ModelType {
  readonly type: ColumnType
  /** The SQL type of a `custom` column. */
  readonly sqlType?: string
  readonly length?: number
  readonly precision?: number
  readonly scale?: number
  readonly withTimezone?: boolean
  /** An enum's values, in order. */
  readonly values?: readonly string[]
}

/** One column. */
export interface ModelColumn extends ModelType {
  readonly name: string
  readonly nullable: boolean
  /** The server default as SQL text (`'active'`, `42`, `(CURRENT_TIMESTAMP)`), absent when there is none. */
  readonly default?: string
  /** The single integer primary key that numbers itself (identity, AUTO_INCREMENT, SQLite's rowid). */
  readonly autoIncrement: boolean
  /** The column's former name, from the schema's `renamedFrom` (never introspected). */
  readonly renamedFrom?: string
}

/** An index, or a unique constraint (`unique` always true then); columns by SQL name. */
export type ModelIndex = IndexMeta

/** A check constraint; `expr` is its SQL as written or as the database reports it. */
export interface ModelCheck {
  readonly name: string
  readonly expr: string
}

/** A foreign key; `table`, `columns` and `references` are SQL names. */
export type ModelForeignKey = ForeignKeyMeta

/** One table. */
export interface ModelTable {
  readonly name: string
  readonly columns: readonly ModelColumn[]
  readonly primaryKey: readonly string[]
  readonly indexes: readonly ModelIndex[]
  readonly uniques: readonly ModelIndex[]
  readonly checks: readonly ModelCheck[]
  readonly foreignKeys: readonly ModelForeignKey[]
  /** The table's former name, from the schema's `renamedFrom` (never introspected). */
  readonly renamedFrom?: string
  /** What introspection found but the model cannot hold (`index t_lower on an expression`, `column total generated as (a + b)`); absent when nothing. */
  readonly unread?: readonly string[]
}

/** A database schema: its tables, sorted by name. */
export interface ModelSchema {
  readonly tables: readonly ModelTable[]
}

/** Runs one SQL text on the database and gives its rows (introspection reads the catalog through it). */
export type CatalogQuery = (text: string) => Promise<Record<string, unknown>[]>

const byName = <T extends { readonly name: string }>(a: T, b: T) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)

/** A table with its constraint lists sorted by name, so equal tables are deeply equal. */
export function sortedTable(table: ModelTable): ModelTable {
  return {
    ...table,
    indexes: [...table.indexes].sort(byName),
    uniques: [...table.uniques].sort(byName),
    checks: [...table.checks].sort(byName),
    foreignKeys: [...table.foreignKeys].sort(byName),
  }
}

/** A schema of these tables, each sorted, in name order. */
export function modelSchema(tables: readonly ModelTable[]): ModelSchema {
  return { tables: tables.map(sortedTable).sort(byName) }
}
