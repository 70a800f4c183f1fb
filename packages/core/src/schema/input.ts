/**
 * The shapes a schema literal may take. Everything here is plain data.
 */
import type { RawNode } from '../ast/nodes.js'
import type { DialectName } from '../dialects/dialect.js'
import type { ColumnType, FkAction, StoredForm } from './meta.js'

/** A reference with foreign-key actions: `{ to: 'users.id', onDelete: 'cascade' }`. */
export interface ReferenceInput {
  readonly to: string
  /** The foreign-key constraint's name (default `<table>_<column>_fkey`), for a database whose keys are named otherwise. */
  readonly name?: string
  readonly onDelete?: FkAction
  readonly onUpdate?: FkAction
}

/** One column of a table literal. */
export interface ColumnInput {
  readonly type: ColumnType
  readonly nullable?: boolean
  readonly primaryKey?: boolean
  readonly unique?: boolean
  readonly index?: boolean
  readonly length?: number
  readonly precision?: number
  readonly scale?: number
  readonly withTimezone?: boolean
  /**
   * How the values are stored where the database has no native type (SQLite): numeric
   * `'sortable'` (default) | `'text'` | `'number'`, timestamp `'seconds'` (default) | `'milliseconds'`.
   * Declare it for tables Quarry did not create.
   */
  readonly stored?: StoredForm
  readonly values?: readonly string[]
  readonly default?: unknown
  readonly serverDefault?: RawNode
  /** SQL evaluated on every UPDATE that does not set the column itself. */
  readonly onUpdate?: RawNode
  /** `'table.column'`, checked at compile time, or `{ to, onDelete, onUpdate }`. */
  readonly references?: string | ReferenceInput
  /** Foreign-key ON DELETE action (shorthand for the object form of `references`). */
  readonly onDelete?: FkAction
  readonly renamedFrom?: string
  /** Custom type: the SQL type, or one per dialect. */
  readonly sqlType?: string | Readonly<Partial<Record<DialectName, string>>>
  readonly toDriver?: (value: never) => unknown
  readonly fromDriver?: (value: never) => unknown
  /**
   * A zod schema (`{ _output: T }` or zod 4's `{ _zod: { output: T } }`): types a json column and
   * checks its values before they are sent; on any other column it types the value, so a brand
   * (`z.number().brand<'UserId'>()`) reaches `Row` and `@quarry/zod`.
   */
  readonly schema?: unknown
  /** Phantom type of a json column: `$type: typed<Settings>()`. */
  readonly $type?: unknown
  /** A computed field: SQL over the row's own columns (`(t) => concat(t.first, ' ', t.last)`), selected, never stored. */
  readonly computed?: (columns: any) => object
}

/** A relation of a table literal. */
export type RelationInput =
  | {
      readonly one: string
      readonly backPopulates?: string
      /** The local foreign-key column (inferred when there is only one to the target). */
      readonly foreignKey?: string
      readonly cascade?: readonly ('save-update' | 'delete' | 'delete-orphan')[]
    }
  | {
      readonly many: string
      readonly through?: string
      readonly backPopulates?: string
      /** The target's foreign-key column pointing here (inferred when there is only one). */
      readonly foreignKey?: string
      readonly cascade?: readonly ('save-update' | 'delete' | 'delete-orphan')[]
    }

/** A check constraint with its own name: `{ name: 'price_ok', expr: sql`price > 0` }`. */
export interface NamedCheckInput {
  readonly name: string
  readonly expr: RawNode
}

/** A check constraint of a table literal: its SQL, or its SQL with the constraint's name. */
export type CheckInput = RawNode | NamedCheckInput

/** A unique constraint with its own name: `{ columns: ['a', 'b'], name: 'ab_unique' }`. */
export interface UniqueInput {
  readonly columns: readonly string[]
  readonly name: string
}

export interface IndexInput {
  readonly columns: readonly string[]
  readonly unique?: boolean
  readonly name?: string
}

/** One table literal. */
export interface TableInput {
  /** The SQL name, when it differs from the key (after casing). */
  readonly name?: string
  readonly columns: Readonly<Record<string, ColumnInput>>
  /** A composite primary key, by column key (single keys use `primaryKey: true` on the column). */
  readonly primaryKey?: readonly string[]
  readonly indexes?: readonly IndexInput[]
  /** Composite unique constraints: `[['a', 'b']]` (named `<table>_a_b_key`) or `[{ columns: ['a', 'b'], name }]`. */
  readonly uniques?: readonly (readonly string[] | UniqueInput)[]
  /**
   * Check constraints by key: `{ positive: sql`…` }` is named `<table>_positive_check`;
   * `{ positive: { name: 'price_ok', expr: sql`…` } }` carries the constraint's own name.
   */
  readonly checks?: Readonly<Record<string, CheckInput>>
  readonly relations?: Readonly<Record<string, RelationInput>>
  /** The column marking a row as deleted (a nullable timestamp). */
  readonly softDelete?: string
  readonly renamedFrom?: string
}

export type SchemaInput = Readonly<Record<string, TableInput>>

export interface SchemaOptions {
  /** `snake_case` turns `createdAt` into `created_at` in SQL (tables and columns). */
  readonly casing?: 'snake_case' | 'preserve'
}
