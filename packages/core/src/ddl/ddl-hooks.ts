/**
 * The differences between dialects in DDL, as data and small hooks. Each dialect's table lives in
 * `dialects/<name>/ddl.ts`; shared DDL code reads them and never branches on a dialect's name.
 */
import type { Dialect, DialectName } from '../dialects/dialect.js'
import { ddl as mysql } from '../dialects/mysql/ddl.js'
import { ddl as postgres } from '../dialects/postgres/ddl.js'
import { ddl as sqlite } from '../dialects/sqlite/ddl.js'
import type { ColumnMeta } from '../schema/meta.js'

/** How a dialect writes the parts of DDL that differ. */
export interface DdlHooks {
  /** A string literal (MySQL also escapes backslashes). */
  readonly stringLiteral: (value: string) => string
  /** A binary literal from lowercase hex digits. */
  readonly bytesLiteral: (hex: string) => string
  /** The single integer primary key that numbers itself. */
  readonly autoIncrement: {
    /** Replaces the column's type (SQLite: exactly `INTEGER`, so the column is the rowid). */
    readonly type?: string
    /** Written after the column's type and NOT NULL. */
    readonly clause: string
    readonly notNull: boolean
  }
  /** True when an enum's SQL type does not restrict its values, so a CHECK lists them. */
  readonly enumCheck: boolean
  /**
   * Indexes written inside CREATE TABLE rather than as CREATE INDEX IF NOT EXISTS (MySQL 8 has no
   * such statement; MariaDB has): they are created with their table.
   */
  readonly inlineIndexes: boolean
  /** Written after `CREATE TABLE t (…)`. */
  readonly tableOptions: string
  /** The server default for `CURRENT_TIMESTAMP` on a timestamp column, in that column's storage form. */
  readonly currentTimestamp: (column: ColumnMeta) => string
  /** Statements that suspend and restore foreign-key enforcement on this connection. */
  readonly suspendForeignKeys?: readonly [string, string]
  /** An idempotent ALTER TABLE adding a foreign key after its tables exist (for cycles). */
  readonly addForeignKey?: (table: string, name: string, definition: string, quote: (name: string) => string) => string
  /** ALTER TABLE dropping such a foreign key when it exists. */
  readonly dropForeignKey?: (table: string, name: string, quote: (name: string) => string) => string
}

const HOOKS: Readonly<Record<DialectName, DdlHooks>> = { sqlite, postgres, mysql }

/** The DDL hooks of a dialect. */
export function ddlHooks(dialect: Pick<Dialect, 'name'>): DdlHooks {
  return HOOKS[dialect.name]
}
