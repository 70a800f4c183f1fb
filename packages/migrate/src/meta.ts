/**
 * Model tables as the core's table metadata, so the dialect's own DDL compilers (CREATE TABLE,
 * column definitions, foreign-key clauses, indexes) write the migrations' SQL: one SQL generator.
 */
import { node } from '@quarry/core/internal'
import type { ColumnMeta, ModelColumn, ModelSchema, ModelTable, RawNode, SchemaMeta, TableMeta } from '@quarry/core'
import { stripParens } from './normalize.js'

const raw = (text: string): RawNode => node({ kind: 'raw', parts: Object.freeze([text]), args: Object.freeze([]) })

/** A model column as column metadata (its key is its SQL name). */
export function columnMeta(column: ModelColumn, primaryKey: readonly string[] = []): ColumnMeta {
  return {
    key: column.name,
    name: column.name,
    type: column.type,
    nullable: column.nullable,
    primaryKey: primaryKey.includes(column.name),
    autoIncrement: column.autoIncrement,
    unique: false,
    length: column.length,
    precision: column.precision,
    scale: column.scale,
    withTimezone: column.withTimezone,
    values: column.values,
    hasDefault: false,
    // DDL puts an expression back in parentheses; the model holds it as the catalog gave it.
    serverDefault: column.default === undefined ? undefined : raw(stripParens(column.default)),
    sqlType: column.sqlType,
  }
}

/** A model table as table metadata (keys are SQL names). */
export function tableMeta(table: ModelTable): TableMeta {
  const columnList = table.columns.map((c) => columnMeta(c, table.primaryKey))
  return {
    kind: 'tableMeta',
    key: table.name,
    name: table.name,
    columns: Object.fromEntries(columnList.map((c) => [c.name, c])),
    columnList,
    primaryKey: table.primaryKey,
    indexes: table.indexes,
    uniques: table.uniques,
    checks: table.checks.map((c) => ({ name: c.name, expr: raw(c.expr) })),
    foreignKeys: table.foreignKeys.map((fk) => ({ ...fk })),
    relations: {},
  }
}

/**
 * Schema metadata holding `tables`, plus a stand-in for each other table their foreign keys
 * reference (a foreign-key clause needs only the target's name and column names).
 */
export function schemaMeta(tables: readonly ModelTable[], model?: ModelSchema): SchemaMeta {
  const out: Record<string, TableMeta> = {}
  for (const table of tables) out[table.name] = tableMeta(table)
  for (const table of tables) {
    for (const fk of table.foreignKeys) {
      if (out[fk.table]) continue
      const known = model?.tables.find((t) => t.name === fk.table)
      out[fk.table] = tableMeta(known ?? { name: fk.table, columns: fk.references.map((name) => ({ name, type: 'integer', nullable: false, autoIncrement: false })), primaryKey: [], indexes: [], uniques: [], checks: [], foreignKeys: [] })
    }
  }
  return { kind: 'schemaMeta', tables: out, casing: 'preserve' }
}
