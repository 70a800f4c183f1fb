/**
 * @quarry/core: schema as plain objects, typed expressions, immutable builders, one compiler with
 * a module per dialect, and the engine that runs it all on SQLite, PostgreSQL and MySQL/MariaDB.
 */
export type * from './ast/nodes.js'
export type { CheckMeta, ColumnMeta, ColumnType, FkAction, ForeignKeyMeta, IndexMeta, RelationMeta, SchemaMeta, StoredForm, TableMeta } from './schema/meta.js'
export type { CheckInput, ColumnInput, NamedCheckInput, ReferenceInput, RelationInput, SchemaInput, SchemaOptions, TableInput, UniqueInput } from './schema/input.js'
export type { AnyTable, BaseValue, Column, ColumnsOf, ColumnTypeMap, ColumnValue, NewRow, RelationRef, Row, RowPatch, Schema } from './schema/table.types.js'
export { alias, defineSchema, isTable, schemaMetaOf, table, tableMetaOf, tableOf } from './schema/define.js'
export { typed } from './schema/typed.js'
export { TABLE } from './schema/symbols.js'
export { checkName, constraintName } from './schema/names.js'

export type { Condition, ConditionOf, DecimalExpr, DecimalMark, DecimalOperand, Expr } from './expr/expr.types.js'
export { sql, type Sql, type SqlValueType } from './expr/sql.js'
export * from './expr/operators.js'
export * from './expr/functions.js'
export * from './expr/like.js'
export * from './expr/scalar.js'
export * from './expr/dates.js'
export * from './expr/aggregates.js'
export { currentRow, following, preceding, range, rows, tuple, unboundedFollowing, unboundedPreceding } from './expr/rows.js'
export { over, rowNumber, rank, denseRank, lag, lead } from './expr/window.js'
export { any, has } from './expr/relations.js'

export { select } from './builder/select.js'
export type { CompoundBuilder, DerivedTable, ResultRow, SelectBuilder } from './builder/select.types.js'
export { insert, update, deleteFrom, excluded, type InsertBuilder, type UpdateBuilder, type DeleteBuilder, type SetOptions } from './builder/mutations.js'
export { recursiveCte } from './builder/cte.js'
export { prepare, type Prepared } from './builder/prepare.js'
export type { Executable, RowOf } from './builder/executable.js'

export { compile } from './compile/compile.js'
export type { CompiledQuery, ResultShape, ResultField } from './compile/compiled.js'
export { getDialect, mysqlDialect, postgresDialect, sqliteDialect, type Dialect, type DialectName, type StoredDetection } from './dialects/index.js'
export * from './errors.js'
export * from './engine/index.js'

export type { CatalogQuery, ModelCheck, ModelColumn, ModelForeignKey, ModelIndex, ModelSchema, ModelTable, ModelType } from './model/model.js'
export { modelSchema, sortedTable } from './model/model.js'
export { columnModel, schemaModel, tableModel } from './model/from-schema.js'
export { columnDefinition, createIndexStatements, createTableStatement, defaultValue, foreignKeyClause, indexParts, physicalName, renderDdlSql } from './ddl/index.js'
export { enumCheckName } from './ddl/index.js'
