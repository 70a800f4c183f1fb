/**
 * From recorded ops to the steps that run: partial ops (a drop or alter by name) are completed from
 * the current schema model, then rendered by the dialect.
 */
import type { Dialect, ModelColumn, ModelSchema } from '@quarry/core'
import { MigrationError } from './errors.js'
import type { ColumnChanges, Planned } from './migration.js'
import type { Op } from './ops.js'
import { renderOp, type Step } from './render.js'

/** An op with what it names by name read from the model (the dropped column's definition, the altered column's old state). */
export function resolveOp(op: Op, partial: boolean, changes: ColumnChanges | undefined, model: ModelSchema): Op {
  if (!partial) return op
  if (op.kind === 'execute' || op.kind === 'renameTable') return op
  const name = op.kind === 'createTable' || op.kind === 'dropTable' ? op.table.name : op.table
  const table = model.tables.find((t) => t.name === name)
  if (!table) throw new MigrationError(`${op.kind}: table '${name}' does not exist`)
  const missing = (what: string, n: string) => new MigrationError(`${op.kind}: table '${name}' has no ${what} '${n}'`)
  switch (op.kind) {
    case 'dropTable':
      return { ...op, table }
    case 'dropColumn': {
      const column = table.columns.find((c) => c.name === op.column.name)
      if (!column) throw missing('column', op.column.name)
      return { ...op, column }
    }
    case 'alterColumn': {
      const from = table.columns.find((c) => c.name === op.from.name)
      if (!from) throw missing('column', op.from.name)
      const { default: value, ...rest } = changes ?? {}
      const to: ModelColumn = { ...from, ...rest }
      if (value === null) delete (to as { default?: string }).default
      else if (value !== undefined) (to as { default?: string }).default = value
      return { ...op, from, to }
    }
    case 'dropIndex':
    case 'dropUnique': {
      const wanted = op.kind === 'dropIndex' ? op.index.name : op.unique.name
      const index = [...table.indexes, ...table.uniques].find((i) => i.name === wanted)
      if (!index) throw missing('index or unique constraint', wanted)
      return op.kind === 'dropIndex' ? { ...op, index } : { ...op, unique: index }
    }
    case 'dropCheck': {
      const check = table.checks.find((c) => c.name === op.check.name)
      if (!check) throw missing('check constraint', op.check.name)
      return { ...op, check }
    }
    case 'dropForeignKey': {
      const foreignKey = table.foreignKeys.find((fk) => fk.name === op.foreignKey.name)
      if (!foreignKey) throw missing('foreign key', op.foreignKey.name)
      return { ...op, foreignKey }
    }
    default:
      return op
  }
}

/** A short description of a planned step, for progress lines and the journal. */
export function describe(item: Planned): string {
  if (item.kind === 'run') return `data migration: ${item.description}`
  if (item.kind === 'warn') return `warning: ${item.message}`
  const op = item.op
  switch (op.kind) {
    case 'createTable':
    case 'dropTable':
      return `${op.kind} ${op.table.name}`
    case 'renameTable':
      return `renameTable ${op.from} → ${op.to}`
    case 'addColumn':
    case 'dropColumn':
      return `${op.kind} ${op.table}.${op.column.name}`
    case 'alterColumn':
      return `alterColumn ${op.table}.${op.from.name}`
    case 'renameColumn':
      return `renameColumn ${op.table}.${op.from} → ${op.to}`
    case 'createIndex':
    case 'dropIndex':
      return `${op.kind} ${op.index.name} on ${op.table}`
    case 'addUnique':
    case 'dropUnique':
      return `${op.kind} ${op.unique.name} on ${op.table}`
    case 'addCheck':
    case 'dropCheck':
      return `${op.kind} ${op.check.name} on ${op.table}`
    case 'addForeignKey':
    case 'dropForeignKey':
      return `${op.kind} ${op.foreignKey.name} on ${op.table}`
    case 'validateConstraint':
      return `validateConstraint ${op.name} on ${op.table}`
    case 'setPrimaryKey':
      return `setPrimaryKey ${op.table} (${op.to.join(', ')})`
    case 'execute':
      return `execute ${op.sql.length > 60 ? op.sql.slice(0, 57) + '…' : op.sql}`
  }
}

/** The steps of one recorded op on a database shaped like `model`. */
export function stepsOf(item: Extract<Planned, { kind: 'op' }>, dialect: Dialect, model: ModelSchema): { op: Op; steps: Step[] } {
  const op = resolveOp(item.op, !!item.partial, item.changes, model)
  return { op, steps: renderOp(op, dialect, model) }
}
