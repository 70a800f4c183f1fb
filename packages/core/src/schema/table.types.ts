/**
 * Type-level view of tables: row types inferred from the literal by key remapping, column refs
 * carrying (value, scope), and relation refs. Computed once per table and read through indexed access.
 */
import type { ColumnNode } from '../ast/nodes.js'
import type { DecimalMark, Expr } from '../expr/expr.types.js'
import type { ColumnInput, SchemaInput, TableInput } from './input.js'
import type { TableMeta, RelationMeta } from './meta.js'
import type { ALIAS, TABLE } from './symbols.js'

/** Phantom: the table's column literal (type level only). */
export declare const COLUMNS: unique symbol

/** JS type of each portable column type. */
export interface ColumnTypeMap {
  integer: number
  smallint: number
  bigint: bigint
  real: number
  double: number
  numeric: string
  boolean: boolean
  text: string
  varchar: string
  char: string
  uuid: string
  date: string
  time: string
  timestamp: Date
  json: unknown
  bytes: Uint8Array
  enum: string
  custom: unknown
}

type ZodOutput<Z> = Z extends { _zod: { output: infer O } } ? O : Z extends { _output: infer O } ? O : unknown

/** The JS value of a column, before nullability. */
export type BaseValue<C> = C extends { schema: infer Z }
  ? ZodOutput<Z>
  : C extends { type: 'enum'; values: readonly (infer V)[] }
    ? V
    : C extends { type: 'json' }
      ? C extends { $type: infer T } ? T : unknown
      : C extends { type: 'custom'; fromDriver: (value: never) => infer T }
        ? T
        : C extends { type: infer K extends keyof ColumnTypeMap } ? ColumnTypeMap[K] : never

/** The JS value of a column, `| null` when nullable. */
export type ColumnValue<C> = C extends { nullable: true } ? BaseValue<C> | null : BaseValue<C>

/** A column reference: an expression of type `TValue` in scope `TScope`. */
export type Column<TValue, TScope extends string> = ColumnNode & Expr<TValue, TScope>

/**
 * A relation reference, used by `any` / `has` and by the session's loaders. `TKey` is the
 * relation's property name, so two relations with the same source, target and cardinality
 * (`author` and `editor`, both `one: 'users'`) stay distinct types; `TForeignKey` is the local
 * foreign-key column a to-one relation declares with `foreignKey` (`never` when inferred).
 */
export interface RelationRef<TSource extends string, TTarget extends AnyTable, TMany extends boolean, TKey extends string = string, TForeignKey extends string = string> {
  readonly kind: 'relationRef'
  readonly scope: string
  readonly qualifier: string
  readonly table: TableMeta
  readonly relation: RelationMeta
  readonly target: TableMeta
  /** The association table of a many-to-many relation. */
  readonly through?: TableMeta
  /** Phantom (never assigned). */
  readonly $source?: TSource
  readonly $target?: TTarget
  readonly $many?: TMany
  readonly $key?: TKey
  readonly $foreignKey?: TForeignKey
}

/** What every table object has besides its columns and relations. */
export interface TableBase<TScope extends string, TDef extends TableInput> {
  readonly [TABLE]: TableMeta
  readonly [ALIAS]?: string
  /** Phantom (never assigned): the column literal and the scope name. */
  readonly [COLUMNS]?: TDef['columns']
  readonly $scope?: TScope
}

/** Any table object. */
export type AnyTable = TableBase<string, TableInput>

type ColumnRefs<TScope extends string, TCols> = {
  readonly [K in keyof TCols]: TCols[K] extends { type: 'numeric' } ? Column<ColumnValue<TCols[K]>, TScope> & DecimalMark : Column<ColumnValue<TCols[K]>, TScope>
}

type RelationTarget<R> = R extends { one: infer T } ? T : R extends { many: infer T } ? T : never

type ForeignKeyOf<R> = R extends { foreignKey: infer F extends string } ? F : never

type RelationRefs<TScope extends string, TRels, TSchema extends SchemaInput> = {
  readonly [K in keyof TRels]: RelationRef<
    TScope,
    TableOf<RelationTarget<TRels[K]> & string, TSchema[RelationTarget<TRels[K]> & string], TSchema>,
    TRels[K] extends { many: string } ? true : false,
    K & string,
    ForeignKeyOf<TRels[K]>
  >
}

/** The table object for key `TKey` of schema `TSchema`, seen under scope `TScope`. */
export type TableOf<TScope extends string, TDef extends TableInput, TSchema extends SchemaInput> = TableBase<TScope, TDef> &
  ColumnRefs<TScope, TDef['columns']> &
  (TDef extends { relations: infer R } ? RelationRefs<TScope, R, TSchema> : unknown)

/** The same table under another scope name (self-joins). */
export type Aliased<TTable extends AnyTable, TAlias extends string> = TableBase<TAlias, { columns: NonNullable<TTable[typeof COLUMNS]> }> &
  ColumnRefs<TAlias, NonNullable<TTable[typeof COLUMNS]>>

/** The scope name of a table object. */
export type ScopeOf<TTable> = TTable extends { $scope?: infer S extends string } ? S : never

type ColsOf<TTable> = TTable extends { [COLUMNS]?: infer C } ? NonNullable<C> : never

type IsGenerated<C> = C extends { computed: object } ? true : false

type OptionalOnInsert<C> = C extends { default: unknown } | { serverDefault: object } | { nullable: true } ? true : false

type PrimaryKeys<TCols> = { [K in keyof TCols]: TCols[K] extends { primaryKey: true } ? K : never }[keyof TCols]

type IsSingle<K, TAll = K> = K extends unknown ? ([TAll] extends [K] ? true : false) : never

/** The auto-increment column, as at run time: the only primary key, integer, not a foreign key. */
type AutoIncrementKey<TCols> =
  PrimaryKeys<TCols> extends infer K extends keyof TCols
    ? IsSingle<K> extends true
      ? TCols[K] extends { type: 'integer' | 'bigint' } ? (TCols[K] extends { references: unknown } ? never : K) : never
      : never
    : never

/** Keys optional on insert: defaults, server defaults, nullable, and the auto-increment primary key. */
type InsertOptionalKeys<TCols> = {
  [K in keyof TCols]: IsGenerated<TCols[K]> extends true
    ? never
    : OptionalOnInsert<TCols[K]> extends true
      ? K
      : K extends AutoIncrementKey<TCols>
        ? K
        : never
}[keyof TCols]

type InsertRequiredKeys<TCols> = {
  [K in keyof TCols]: IsGenerated<TCols[K]> extends true ? never : K extends InsertOptionalKeys<TCols> ? never : K
}[keyof TCols]

type StoredKeys<TCols> = { [K in keyof TCols]: IsGenerated<TCols[K]> extends true ? never : K }[keyof TCols]

/** The row a table returns: `Row<typeof users>`. */
export type Row<TTable> = ColsOf<TTable> extends infer C ? { -readonly [K in keyof C]: ColumnValue<C[K]> } : never

/** What inserting a row takes: required columns required, defaulted ones optional. */
export type NewRow<TTable> = {
  -readonly [K in InsertRequiredKeys<ColsOf<TTable>>]: ColumnValue<ColsOf<TTable>[K]>
} & { -readonly [K in InsertOptionalKeys<ColsOf<TTable>>]?: ColumnValue<ColsOf<TTable>[K]> } extends infer O
  ? { [K in keyof O]: O[K] }
  : never

/** What an update may set: every stored column, optional. */
export type RowPatch<TTable> = ColsOf<TTable> extends infer C ? { -readonly [K in StoredKeys<C>]?: ColumnValue<C[K]> } : never

/** The schema object returned by `defineSchema`: one table object per key. */
export type Schema<TSchema extends SchemaInput> = { readonly [K in keyof TSchema & string]: TableOf<K, TSchema[K], TSchema> }

/** Column literal of a table, for type helpers elsewhere. */
export type ColumnsOf<TTable> = ColsOf<TTable>

/** Any column input (re-export for helpers). */
export type AnyColumnInput = ColumnInput
