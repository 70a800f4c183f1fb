/**
 * @quarry/core: schema as plain objects, typed expressions, immutable builders, one compiler with
 * a module per dialect, and the engine that runs it all on SQLite, PostgreSQL and MySQL/MariaDB.
 */
export type * from './ast/nodes'
export type { ColumnMeta, ColumnType, FkAction, IndexMeta, RelationMeta, SchemaMeta, TableMeta } from './schema/meta'
export type { ColumnInput, RelationInput, SchemaInput, SchemaOptions, TableInput } from './schema/input'
export type { AnyTable, Column, ColumnsOf, ColumnTypeMap, NewRow, RelationRef, Row, RowPatch, Schema } from './schema/table.types'
export { alias, defineSchema, isTable, schemaMetaOf, table, tableMetaOf, tableOf } from './schema/define'
export { typed } from './schema/typed'
export { TABLE } from './schema/symbols'
export { checkName, constraintName } from './schema/names'

export type { Condition, Expr } from './expr/expr.types'
export { sql, type Sql } from './expr/sql'
export * from './expr/operators'
export * from './expr/functions'
export { over, rowNumber, rank, denseRank, lag, lead } from './expr/window'
export { any, has } from './expr/relations'

export { select } from './builder/select'
export type { CompoundBuilder, DerivedTable, ResultRow, SelectBuilder } from './builder/select.types'
export { insert, update, deleteFrom, excluded, type InsertBuilder, type UpdateBuilder, type DeleteBuilder } from './builder/mutations'
export { recursiveCte } from './builder/cte'
export { prepare, type Prepared } from './builder/prepare'
export type { Executable, RowOf } from './builder/executable'

export { compile } from './compile/compile'
export type { CompiledQuery, ResultShape, ResultField } from './compile/compiled'
export { getDialect, mysqlDialect, postgresDialect, sqliteDialect, type Dialect, type DialectName } from './dialects'
export * from './errors'
export * from './engine'
