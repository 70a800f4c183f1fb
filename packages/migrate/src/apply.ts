/**
 * Applying ops to a schema model, without a database: what a table looks like after a change
 * (for a SQLite rebuild), and what a chain of migrations builds (for offline SQL).
 */
import { modelSchema, type ModelSchema, type ModelTable } from '@quarry/core'
import { MigrationError } from './errors.js'
import type { Op } from './ops.js'

const without = <T extends { readonly name: string }>(list: readonly T[], name: string) => list.filter((x) => x.name !== name)

/**
 * One table after an op that changes it (a column, an index or a constraint).
 * @example applyToTable(users, { kind: 'dropColumn', table: 'users', column: bio }).columns // no bio
 */
export function applyToTable(table: ModelTable, op: Op): ModelTable {
  const rename = (names: readonly string[], from: string, to: string) => names.map((n) => (n === from ? to : n))
  switch (op.kind) {
    case 'addColumn':
      return { ...table, columns: [...table.columns, op.column] }
    case 'dropColumn':
      return {
        ...table,
        columns: without(table.columns, op.column.name),
        indexes: table.indexes.filter((i) => !i.columns.includes(op.column.name)),
        uniques: table.uniques.filter((i) => !i.columns.includes(op.column.name)),
        foreignKeys: table.foreignKeys.filter((fk) => !fk.columns.includes(op.column.name)),
      }
    case 'alterColumn':
      return { ...table, columns: table.columns.map((c) => (c.name === op.from.name ? op.to : c)) }
    case 'renameColumn':
      return {
        ...table,
        columns: table.columns.map((c) => (c.name === op.from ? { ...c, name: op.to } : c)),
        primaryKey: rename(table.primaryKey, op.from, op.to),
        indexes: table.indexes.map((i) => ({ ...i, columns: rename(i.columns, op.from, op.to) })),
        uniques: table.uniques.map((i) => ({ ...i, columns: rename(i.columns, op.from, op.to) })),
        foreignKeys: table.foreignKeys.map((fk) => ({ ...fk, columns: rename(fk.columns, op.from, op.to), references: fk.table === table.name ? rename(fk.references, op.from, op.to) : fk.references })),
      }
    case 'createIndex':
      return { ...table, indexes: [...without(table.indexes, op.index.name), op.index] }
    case 'dropIndex':
      return { ...table, indexes: without(table.indexes, op.index.name) }
    case 'addUnique':
      return { ...table, uniques: [...without(table.uniques, op.unique.name), op.unique] }
    case 'dropUnique':
      return { ...table, uniques: without(table.uniques, op.unique.name) }
    case 'addCheck':
      return { ...table, checks: [...without(table.checks, op.check.name), op.check] }
    case 'dropCheck':
      return { ...table, checks: without(table.checks, op.check.name) }
    case 'addForeignKey':
      return { ...table, foreignKeys: [...without(table.foreignKeys, op.foreignKey.name), op.foreignKey] }
    case 'dropForeignKey':
      return { ...table, foreignKeys: without(table.foreignKeys, op.foreignKey.name) }
    case 'setPrimaryKey':
      return { ...table, primaryKey: op.to }
    default:
      return table
  }
}

/**
 * The schema after an op. `execute` cannot be followed offline and leaves the model as it was.
 * @example applyOp(empty, { kind: 'createTable', table: users }).tables // [users]
 */
export function applyOp(schema: ModelSchema, op: Op): ModelSchema {
  switch (op.kind) {
    case 'createTable':
      return modelSchema([...without(schema.tables, op.table.name), op.table])
    case 'dropTable':
      return modelSchema(without(schema.tables, op.table.name))
    case 'renameTable':
      return modelSchema(
        schema.tables.map((t) => ({
          ...t,
          name: t.name === op.from ? op.to : t.name,
          foreignKeys: t.foreignKeys.map((fk) => (fk.table === op.from ? { ...fk, table: op.to } : fk)),
        })),
      )
    case 'execute':
    case 'validateConstraint':
      return schema
    default: {
      const table = schema.tables.find((t) => t.name === op.table)
      if (!table) throw new MigrationError(`${op.kind}: no table '${op.table}' in the schema`)
      return modelSchema([...without(schema.tables, op.table), applyToTable(table, op)])
    }
  }
}
