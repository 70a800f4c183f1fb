/**
 * Migration files and the `op` vocabulary. A migration is a TS module exporting `revision`,
 * `down` (its parent, parents, or null for a first migration), `message`, `upgrade(op)` and
 * `downgrade(op)`. `op` records plain-data ops (and data-migration callbacks) in order; the runner
 * renders and runs them on the migration's connection.
 */
import type { ColumnType, FkAction, ModelColumn, ModelForeignKey, ModelIndex, ModelTable, Queryable } from '@quarry/core'
import type { Op } from './ops.js'

/** Per-migration settings. */
export interface MigrationOptions {
  /** PostgreSQL: `SET LOCAL lock_timeout` for this migration's statements, in milliseconds. */
  readonly lockTimeout?: number
}

/** A migration module. */
export interface Migration {
  readonly revision: string
  readonly down: string | readonly string[] | null
  readonly message?: string
  readonly options?: MigrationOptions
  upgrade(op: Operations): void | Promise<void>
  downgrade(op: Operations): void | Promise<void>
  /** The file it was loaded from. */
  readonly file?: string
}

/** A column as a migration writes it: a name, a type, and whatever differs from the defaults (NOT NULL, no default). */
export type ColumnSpec = { readonly name: string; readonly type: ColumnType } & Partial<Omit<ModelColumn, 'name' | 'type'>>

/** A table as a migration writes it. */
export interface TableSpec {
  readonly name: string
  readonly columns: readonly ColumnSpec[]
  readonly primaryKey?: readonly string[]
  readonly indexes?: readonly ModelIndex[]
  readonly uniques?: readonly ModelIndex[]
  readonly checks?: readonly { readonly name: string; readonly expr: string }[]
  readonly foreignKeys?: readonly ModelForeignKey[]
}

/** What `alterColumn` may change; `default: null` drops the default. */
export type ColumnChanges = Partial<Omit<ColumnSpec, 'name' | 'default'>> & { readonly default?: string | null }

/** One recorded step of a migration: an op, or a data migration run on the migration's connection. */
export type Planned =
  | { readonly kind: 'op'; readonly op: Op; readonly partial?: boolean; readonly changes?: ColumnChanges }
  | { readonly kind: 'run'; readonly description: string; readonly fn: (db: Queryable) => Promise<unknown> | unknown }
  | { readonly kind: 'warn'; readonly message: string }

/** The `op` object a migration's upgrade and downgrade receive. */
export interface Operations {
  createTable(table: TableSpec): void
  /** Drops a table (its definition is read from the database when only the name is given). */
  dropTable(table: string | TableSpec): void
  renameTable(from: string, to: string): void
  addColumn(table: string, column: ColumnSpec): void
  dropColumn(table: string, column: string | ColumnSpec): void
  /** Changes a column's type, nullability or default; the rest is read from the database. */
  alterColumn(table: string, column: string, changes: ColumnChanges): void
  renameColumn(table: string, from: string, to: string): void
  /** `concurrently` (PostgreSQL) builds the index without blocking writes, outside the transaction. */
  createIndex(table: string, name: string, columns: readonly string[], options?: { readonly unique?: boolean; readonly concurrently?: boolean }): void
  dropIndex(table: string, name: string, options?: { readonly concurrently?: boolean }): void
  addUnique(table: string, name: string, columns: readonly string[]): void
  dropUnique(table: string, name: string): void
  /** `notValid` (PostgreSQL) skips checking existing rows; validate them later with `validateConstraint`. */
  addCheck(table: string, name: string, expr: string, options?: { readonly notValid?: boolean }): void
  dropCheck(table: string, name: string): void
  addForeignKey(
    table: string,
    foreignKey: { readonly name: string; readonly columns: readonly string[]; readonly table: string; readonly references: readonly string[]; readonly onDelete?: FkAction; readonly onUpdate?: FkAction },
    options?: { readonly notValid?: boolean },
  ): void
  dropForeignKey(table: string, name: string): void
  validateConstraint(table: string, name: string): void
  /** Raw SQL, run as it is. */
  execute(sql: string): void
  /** A data migration through the normal builders, on the migration's connection (in its transaction). */
  run(description: string, fn: (db: Queryable) => Promise<unknown> | unknown): void
  /** Says, at run time, that this step cannot restore what an earlier one removed (a lossy downgrade). */
  warn(message: string): void
}

/** A column spec with the defaults filled in. */
export function column(spec: ColumnSpec): ModelColumn {
  return { nullable: false, autoIncrement: false, ...spec }
}

/** A table spec with the defaults filled in. */
export function table(spec: TableSpec): ModelTable {
  return {
    name: spec.name,
    columns: spec.columns.map(column),
    primaryKey: spec.primaryKey ?? [],
    indexes: spec.indexes ?? [],
    uniques: spec.uniques ?? [],
    checks: spec.checks ?? [],
    foreignKeys: spec.foreignKeys ?? [],
  }
}

const stub = (name: string): ModelColumn => ({ name, type: 'text', nullable: true, autoIncrement: false })
const named = (name: string): ModelIndex => ({ name, columns: [], unique: false })

/**
 * An `op` recorder: the planned steps of one upgrade or downgrade, in call order.
 * @example const { op, planned } = recorder(); await migration.upgrade(op)
 */
export function recorder(): { op: Operations; planned: Planned[] } {
  const planned: Planned[] = []
  const add = (op: Op, partial = false, changes?: ColumnChanges) => void planned.push({ kind: 'op', op, partial, changes })
  const op: Operations = {
    createTable: (spec) => add({ kind: 'createTable', table: table(spec) }),
    dropTable: (spec) => (typeof spec === 'string' ? add({ kind: 'dropTable', table: table({ name: spec, columns: [] }) }, true) : add({ kind: 'dropTable', table: table(spec) })),
    renameTable: (from, to) => add({ kind: 'renameTable', from, to }),
    addColumn: (t, spec) => add({ kind: 'addColumn', table: t, column: column(spec) }),
    dropColumn: (t, spec) => (typeof spec === 'string' ? add({ kind: 'dropColumn', table: t, column: stub(spec) }, true) : add({ kind: 'dropColumn', table: t, column: column(spec) })),
    alterColumn: (t, name, changes) => add({ kind: 'alterColumn', table: t, from: stub(name), to: stub(name) }, true, changes),
    renameColumn: (t, from, to) => add({ kind: 'renameColumn', table: t, from, to }),
    createIndex: (t, name, columns, options = {}) => add({ kind: 'createIndex', table: t, index: { name, columns, unique: !!options.unique }, ...(options.concurrently ? { concurrently: true } : {}) }),
    dropIndex: (t, name, options = {}) => add({ kind: 'dropIndex', table: t, index: named(name), ...(options.concurrently ? { concurrently: true } : {}) }, true),
    addUnique: (t, name, columns) => add({ kind: 'addUnique', table: t, unique: { name, columns, unique: true } }),
    dropUnique: (t, name) => add({ kind: 'dropUnique', table: t, unique: named(name) }, true),
    addCheck: (t, name, expr, options = {}) => add({ kind: 'addCheck', table: t, check: { name, expr }, ...(options.notValid ? { notValid: true } : {}) }),
    dropCheck: (t, name) => add({ kind: 'dropCheck', table: t, check: { name, expr: '' } }, true),
    addForeignKey: (t, foreignKey, options = {}) => add({ kind: 'addForeignKey', table: t, foreignKey, ...(options.notValid ? { notValid: true } : {}) }),
    dropForeignKey: (t, name) => add({ kind: 'dropForeignKey', table: t, foreignKey: { name, columns: [], table: '', references: [] } }, true),
    validateConstraint: (t, name) => add({ kind: 'validateConstraint', table: t, name }),
    execute: (sql) => add({ kind: 'execute', sql }),
    run: (description, fn) => void planned.push({ kind: 'run', description, fn }),
    warn: (message) => void planned.push({ kind: 'warn', message }),
  }
  return { op, planned }
}
