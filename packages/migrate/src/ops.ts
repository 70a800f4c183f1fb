/**
 * Migration operations as plain data: what a diff produces, what `op.*` in a migration records,
 * and what the dialect's DDL renders. Each op carries what its reverse needs (a dropped column's
 * definition), so a downgrade can be written from it.
 */
import type { ModelCheck, ModelColumn, ModelForeignKey, ModelIndex, ModelTable } from '@quarry/core'

/** One schema change. */
export type Op =
  | { readonly kind: 'createTable'; readonly table: ModelTable }
  | { readonly kind: 'dropTable'; readonly table: ModelTable }
  | { readonly kind: 'renameTable'; readonly from: string; readonly to: string }
  | { readonly kind: 'addColumn'; readonly table: string; readonly column: ModelColumn }
  | { readonly kind: 'dropColumn'; readonly table: string; readonly column: ModelColumn }
  | { readonly kind: 'alterColumn'; readonly table: string; readonly from: ModelColumn; readonly to: ModelColumn }
  | { readonly kind: 'renameColumn'; readonly table: string; readonly from: string; readonly to: string }
  | { readonly kind: 'createIndex'; readonly table: string; readonly index: ModelIndex; readonly concurrently?: boolean }
  | { readonly kind: 'dropIndex'; readonly table: string; readonly index: ModelIndex; readonly concurrently?: boolean }
  | { readonly kind: 'addUnique'; readonly table: string; readonly unique: ModelIndex }
  | { readonly kind: 'dropUnique'; readonly table: string; readonly unique: ModelIndex }
  | { readonly kind: 'addCheck'; readonly table: string; readonly check: ModelCheck; readonly notValid?: boolean }
  | { readonly kind: 'dropCheck'; readonly table: string; readonly check: ModelCheck }
  | { readonly kind: 'addForeignKey'; readonly table: string; readonly foreignKey: ModelForeignKey; readonly notValid?: boolean }
  | { readonly kind: 'dropForeignKey'; readonly table: string; readonly foreignKey: ModelForeignKey }
  | { readonly kind: 'validateConstraint'; readonly table: string; readonly name: string }
  | { readonly kind: 'setPrimaryKey'; readonly table: string; readonly from: readonly string[]; readonly to: readonly string[] }
  | { readonly kind: 'execute'; readonly sql: string }

/** The kind of an op. */
export type OpKind = Op['kind']

/** The reverse of an op: what a downgrade runs. `execute` and `validateConstraint` have none. */
export function reverse(op: Op): Op | undefined {
  switch (op.kind) {
    case 'createTable':
      return { kind: 'dropTable', table: op.table }
    case 'dropTable':
      return { kind: 'createTable', table: op.table }
    case 'renameTable':
      return { kind: 'renameTable', from: op.to, to: op.from }
    case 'addColumn':
      return { kind: 'dropColumn', table: op.table, column: op.column }
    case 'dropColumn':
      return { kind: 'addColumn', table: op.table, column: op.column }
    case 'alterColumn':
      return { kind: 'alterColumn', table: op.table, from: op.to, to: op.from }
    case 'renameColumn':
      return { kind: 'renameColumn', table: op.table, from: op.to, to: op.from }
    case 'createIndex':
      return { kind: 'dropIndex', table: op.table, index: op.index, concurrently: op.concurrently }
    case 'dropIndex':
      return { kind: 'createIndex', table: op.table, index: op.index, concurrently: op.concurrently }
    case 'addUnique':
      return { kind: 'dropUnique', table: op.table, unique: op.unique }
    case 'dropUnique':
      return { kind: 'addUnique', table: op.table, unique: op.unique }
    case 'addCheck':
      return { kind: 'dropCheck', table: op.table, check: op.check }
    case 'dropCheck':
      return { kind: 'addCheck', table: op.table, check: op.check }
    case 'addForeignKey':
      return { kind: 'dropForeignKey', table: op.table, foreignKey: op.foreignKey }
    case 'dropForeignKey':
      return { kind: 'addForeignKey', table: op.table, foreignKey: op.foreignKey }
    case 'setPrimaryKey':
      return { kind: 'setPrimaryKey', table: op.table, from: op.to, to: op.from }
    default:
      return undefined
  }
}

/** The table an op changes, if any. */
export function opTable(op: Op): string | undefined {
  switch (op.kind) {
    case 'createTable':
    case 'dropTable':
      return op.table.name
    case 'renameTable':
      return op.to
    case 'execute':
      return undefined
    default:
      return op.table
  }
}
