/**
 * The runtime form of a schema: plain, JSON-friendly metadata that the compiler, the engine's
 * codecs, DDL and migrations read. Built once by `defineSchema`.
 */
import type { RawNode } from '../ast/nodes.js'

/** The portable column types. */
export type ColumnType =
  | 'integer'
  | 'smallint'
  | 'bigint'
  | 'real'
  | 'double'
  | 'numeric'
  | 'boolean'
  | 'text'
  | 'varchar'
  | 'char'
  | 'uuid'
  | 'date'
  | 'time'
  | 'timestamp'
  | 'json'
  | 'bytes'
  | 'enum'
  | 'custom'

/**
 * How a column's values are stored where the database has no native type for them (SQLite); every
 * value bound against or into the column is sent in this form. Native types ignore it.
 * - numeric: `'sortable'` (default: Quarry's order-preserving text key), `'text'` (plain decimal
 *   text), `'number'` (INTEGER/REAL, as a `NUMERIC`/`DECIMAL` column of another tool holds them);
 * - timestamp: `'seconds'` (default: `'YYYY-MM-DD HH:MM:SS'`, `.SSS` only when there are
 *   milliseconds, as SQLite's `CURRENT_TIMESTAMP` and most tools write), `'milliseconds'`
 *   (always `.SSS`, as Quarry wrote before).
 */
export type StoredForm = 'sortable' | 'text' | 'number' | 'milliseconds' | 'seconds'

/** The stored forms each column type may declare. */
export const STORED_FORMS: Readonly<Partial<Record<ColumnType, readonly StoredForm[]>>> = {
  numeric: ['sortable', 'text', 'number'],
  timestamp: ['seconds', 'milliseconds'],
}

export type FkAction = 'cascade' | 'restrict' | 'set null' | 'set default' | 'no action'

/** Everything known about one column at run time. */
export interface ColumnMeta {
  /** The key in the schema literal (`createdAt`). */
  readonly key: string
  /** The SQL name (`created_at` under snake_case). */
  readonly name: string
  readonly type: ColumnType
  readonly nullable: boolean
  readonly primaryKey: boolean
  /** True for the single integer primary key of a table. */
  readonly autoIncrement: boolean
  readonly unique: boolean
  readonly length?: number
  readonly precision?: number
  readonly scale?: number
  readonly withTimezone?: boolean
  /** How values are stored where the database has no native type for them (see {@link StoredForm}). */
  readonly stored?: StoredForm
  readonly values?: readonly string[]
  /** A client-side default value, or a function producing one. */
  readonly default?: unknown
  readonly hasDefault: boolean
  readonly serverDefault?: RawNode
  readonly onUpdate?: RawNode
  /** `{ table: key, column: key }` of the referenced column. */
  readonly references?: { readonly table: string; readonly column: string; readonly onDelete?: FkAction; readonly onUpdate?: FkAction; readonly name?: string }
  readonly renamedFrom?: string
  /** Custom type: SQL type name per dialect, and the codec. */
  readonly sqlType?: string | Readonly<Record<string, string>>
  readonly toDriver?: (value: unknown) => unknown
  readonly fromDriver?: (value: unknown) => unknown
  /** A computed field: builds its SQL from the table's column refs; selected, never stored. */
  readonly computed?: (columns: any) => object
  /**
   * The declared zod (or Standard Schema) schema: a json column's values are checked against it
   * before they are sent; on other columns it only types the value (a brand) for `@quarry/zod`.
   */
  readonly schema?: unknown
}

export interface IndexMeta {
  readonly name: string
  readonly columns: readonly string[]
  readonly unique: boolean
}

export interface CheckMeta {
  readonly name: string
  readonly expr: RawNode
}

export interface ForeignKeyMeta {
  readonly name: string
  readonly columns: readonly string[]
  readonly table: string
  readonly references: readonly string[]
  readonly onDelete?: FkAction
  readonly onUpdate?: FkAction
}

export interface RelationMeta {
  readonly key: string
  readonly kind: 'one' | 'many'
  /** Target table key. */
  readonly target: string
  /** Association table key for many-to-many. */
  readonly through?: string
  readonly backPopulates?: string
  /** Column keys on the source side and target side of the join (resolved by defineSchema). */
  readonly sourceColumns: readonly string[]
  readonly targetColumns: readonly string[]
  /** For `through`: columns of the association table pointing to source and to target. */
  readonly throughSourceColumns?: readonly string[]
  readonly throughTargetColumns?: readonly string[]
  readonly cascade: readonly ('save-update' | 'delete' | 'delete-orphan')[]
}

/** Everything known about one table at run time. */
export interface TableMeta {
  readonly kind: 'tableMeta'
  /** Key in the schema (`postTags`). */
  readonly key: string
  /** SQL name (`post_tags`). */
  readonly name: string
  readonly columns: Readonly<Record<string, ColumnMeta>>
  readonly columnList: readonly ColumnMeta[]
  readonly primaryKey: readonly string[]
  readonly indexes: readonly IndexMeta[]
  readonly uniques: readonly IndexMeta[]
  readonly checks: readonly CheckMeta[]
  readonly foreignKeys: readonly ForeignKeyMeta[]
  readonly relations: Readonly<Record<string, RelationMeta>>
  readonly softDelete?: string
  readonly renamedFrom?: string
}

/** The runtime schema: tables by key. */
export interface SchemaMeta {
  readonly kind: 'schemaMeta'
  readonly tables: Readonly<Record<string, TableMeta>>
  readonly casing: 'snake_case' | 'preserve'
}
