/**
 * The model of a schema declared with `defineSchema`, as one dialect would create it: types are
 * the dialect's DDL types read back by its own type parser, defaults and checks are the DDL text,
 * so a model of the declaration and a model introspected from the database compare field by field.
 */
import type { Dialect } from '../dialects/dialect.js'
import { defaultValue } from '../ddl/create.js'
import { physicalName } from '../ddl/constraint-names.js'
import { renderDdlSql } from '../ddl/literal.js'
import { toSnakeCase } from '../schema/casing.js'
import type { ColumnMeta, SchemaMeta, TableMeta } from '../schema/meta.js'
import { modelSchema, type ModelColumn, type ModelSchema, type ModelTable, type ModelType } from './model.js'

/**
 * The model of a declared schema on one dialect.
 * @example schemaModel(schemaMetaOf(schema), postgresDialect).tables[0].columns[0] // { name: 'id', type: 'integer', nullable: false, autoIncrement: true }
 */
export function schemaModel(schema: SchemaMeta, dialect: Dialect): ModelSchema {
  return modelSchema(Object.values(schema.tables).map((table) => tableModel(table, schema, dialect)))
}

/** The model of one declared table on one dialect. */
export function tableModel(table: TableMeta, schema: SchemaMeta, dialect: Dialect): ModelTable {
  const names = (keys: readonly string[]) => keys.map((k) => table.columns[k].name)
  // `renamedFrom` names the former key; the model holds SQL names.
  const sqlName = (key: string) => (schema.casing === 'snake_case' ? toSnakeCase(key) : key)
  return {
    name: table.name,
    columns: table.columnList.filter((c) => !c.computed).map((c) => columnModel(c, dialect, sqlName)),
    primaryKey: names(table.primaryKey),
    indexes: table.indexes.map((i) => ({ name: physicalName(i.name), columns: names(i.columns), unique: i.unique })),
    uniques: table.uniques.map((u) => ({ name: physicalName(u.name), columns: names(u.columns), unique: true })),
    checks: table.checks.map((c) => ({ name: physicalName(c.name), expr: renderDdlSql(c.expr, dialect, dialect.ddl) })),
    foreignKeys: table.foreignKeys.map((fk) => {
      const target = schema.tables[fk.table]
      return {
        name: physicalName(fk.name),
        columns: names(fk.columns),
        table: target.name,
        references: fk.references.map((k) => target.columns[k].name),
        ...(fk.onDelete ? { onDelete: fk.onDelete } : {}),
        ...(fk.onUpdate ? { onUpdate: fk.onUpdate } : {}),
      }
    }),
    ...(table.renamedFrom ? { renamedFrom: sqlName(table.renamedFrom) } : {}),
  }
}

/** One declared column as the dialect stores it. */
export function columnModel(column: ColumnMeta, dialect: Dialect, sqlName: (key: string) => string = (key) => key): ModelColumn {
  const numbered = column.autoIncrement ? dialect.ddl.autoIncrement.type : undefined
  const type: ModelType = column.type === 'enum' ? { type: 'enum', values: [...(column.values ?? [])] } : dialect.parseType(numbered ?? dialect.columnType(column))
  const value = column.autoIncrement ? undefined : defaultValue(column, dialect)
  return {
    name: column.name,
    ...type,
    nullable: column.nullable && !column.primaryKey,
    ...(value !== undefined ? { default: value } : {}),
    autoIncrement: column.autoIncrement,
    ...(column.renamedFrom ? { renamedFrom: sqlName(column.renamedFrom) } : {}),
  }
}
