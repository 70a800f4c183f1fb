/**
 * `diff(from, to)`: the operations that turn one schema model into another. Pure: no database,
 * no I/O. Renames come only from `renamedFrom` hints on the target; a drop plus an add is never
 * guessed to be a rename (autogenerate flags it instead).
 */
import type { ModelColumn, ModelIndex, ModelSchema, ModelTable } from '@quarry/core'
import { expressionKey, sameAction, sameColumn } from './normalize.js'
import type { Op } from './ops.js'

const same = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((x, i) => x === b[i])

/**
 * The operations taking a database shaped like `from` to the shape of `to`, in an order that runs:
 * constraints dropped first, tables created parents first, foreign keys added last.
 * @example diff(introspected, schemaModel(meta, dialect)) // [{ kind: 'addColumn', table: 'users', column: {…} }]
 */
export function diff(from: ModelSchema, to: ModelSchema): Op[] {
  const renames: Op[] = []
  const drops: Op[] = []
  const changes: Op[] = []
  const adds: Op[] = []
  // Keys in `from` follow their target's rename, as the database makes them do.
  const renamedTo = new Map<string, string>()
  for (const t of to.tables) if (t.renamedFrom && !from.tables.some((f) => f.name === t.name) && from.tables.some((f) => f.name === t.renamedFrom)) renamedTo.set(t.renamedFrom, t.name)
  const followed = from.tables.map((t) => (t.foreignKeys.some((fk) => renamedTo.has(fk.table)) ? { ...t, foreignKeys: t.foreignKeys.map((fk) => ({ ...fk, table: renamedTo.get(fk.table) ?? fk.table })) } : t))
  const left = new Map(followed.map((t) => [t.name, t]))
  const created: ModelTable[] = []
  for (const target of to.tables) {
    let source = left.get(target.name)
    if (!source && target.renamedFrom && left.has(target.renamedFrom)) {
      source = left.get(target.renamedFrom)!
      renames.push({ kind: 'renameTable', from: source.name, to: target.name })
      source = { ...source, name: target.name }
      left.delete(target.renamedFrom)
    } else left.delete(target.name)
    if (!source) created.push(target)
    else tableDiff(source, target, drops, changes, adds)
  }
  const dropped = [...left.values()]
  const out: Op[] = [...renames]
  for (const table of dropped) for (const foreignKey of table.foreignKeys) if (dropped.some((t) => t.name === foreignKey.table) && foreignKey.table !== table.name) out.push({ kind: 'dropForeignKey', table: table.name, foreignKey })
  out.push(...drops)
  for (const table of parentsFirst(dropped).reverse()) out.push({ kind: 'dropTable', table: out.some((o) => o.kind === 'dropForeignKey' && o.table === table.name) ? { ...table, foreignKeys: table.foreignKeys.filter((fk) => !dropped.some((t) => t.name === fk.table) || fk.table === table.name) } : table })
  out.push(...changes)
  const later: Op[] = []
  const made = new Set<string>()
  for (const table of parentsFirst(created)) {
    // A key to a table created later (a cycle) is added once both exist.
    const now = table.foreignKeys.filter((fk) => fk.table === table.name || made.has(fk.table) || !created.some((t) => t.name === fk.table))
    for (const foreignKey of table.foreignKeys) if (!now.includes(foreignKey)) later.push({ kind: 'addForeignKey', table: table.name, foreignKey })
    out.push({ kind: 'createTable', table: now.length === table.foreignKeys.length ? table : { ...table, foreignKeys: now } })
    made.add(table.name)
  }
  out.push(...adds, ...later)
  return out
}

/** Tables ordered so each comes after the tables its foreign keys reference (cycles keep declaration order). */
function parentsFirst(tables: readonly ModelTable[]): ModelTable[] {
  const out: ModelTable[] = []
  const seen = new Set<string>()
  const visit = (table: ModelTable, path: Set<string>) => {
    if (seen.has(table.name) || path.has(table.name)) return
    path.add(table.name)
    for (const fk of table.foreignKeys) {
      const parent = tables.find((t) => t.name === fk.table)
      if (parent && parent !== table) visit(parent, path)
    }
    seen.add(table.name)
    out.push(table)
  }
  for (const table of tables) visit(table, new Set())
  return out
}

/** Unique constraints and unique indexes are one thing on some dialects (MySQL): matched together by name. */
function keyed(table: ModelTable): Map<string, { index: ModelIndex; constraint: boolean }> {
  const map = new Map<string, { index: ModelIndex; constraint: boolean }>()
  for (const index of table.indexes) map.set(index.name, { index, constraint: false })
  for (const index of table.uniques) map.set(index.name, { index, constraint: true })
  return map
}

function tableDiff(from: ModelTable, to: ModelTable, drops: Op[], changes: Op[], adds: Op[]): void {
  const table = to.name
  const oldColumns = new Map(from.columns.map((c) => [c.name, c]))
  const renamed = new Map<string, string>()
  const added: ModelColumn[] = []
  for (const column of to.columns) {
    let source = oldColumns.get(column.name)
    if (!source && column.renamedFrom && oldColumns.has(column.renamedFrom)) {
      source = oldColumns.get(column.renamedFrom)!
      changes.push({ kind: 'renameColumn', table, from: source.name, to: column.name })
      renamed.set(source.name, column.name)
      oldColumns.delete(column.renamedFrom)
      source = { ...source, name: column.name }
    } else oldColumns.delete(column.name)
    if (!source) added.push(column)
    else if (!sameColumn(source, column)) changes.push({ kind: 'alterColumn', table, from: source, to: stripHint(column) })
  }
  const rename = (names: readonly string[]) => names.map((n) => renamed.get(n) ?? n)

  // Drops: foreign keys before the indexes they may use; adds: indexes before the keys that use them.
  const dropFks: Op[] = []
  const addFks: Op[] = []
  const oldFks = new Map(from.foreignKeys.map((fk) => [fk.name, fk]))
  for (const fk of to.foreignKeys) {
    const old = oldFks.get(fk.name)
    oldFks.delete(fk.name)
    if (old && same(rename(old.columns), fk.columns) && old.table === fk.table && same(old.references, fk.references) && sameAction(old.onDelete, fk.onDelete) && sameAction(old.onUpdate, fk.onUpdate)) continue
    if (old) dropFks.push({ kind: 'dropForeignKey', table: from.name, foreignKey: old })
    addFks.push({ kind: 'addForeignKey', table, foreignKey: fk })
  }
  for (const old of oldFks.values()) dropFks.push({ kind: 'dropForeignKey', table: from.name, foreignKey: old })
  drops.push(...dropFks)

  const oldKeys = keyed(from)
  for (const [name, { index, constraint }] of keyed(to)) {
    const old = oldKeys.get(name)
    oldKeys.delete(name)
    if (old && same(rename(old.index.columns), index.columns) && old.index.unique === index.unique) continue
    if (old) drops.push(dropKey(from.name, old.index, old.constraint))
    adds.push(constraint ? { kind: 'addUnique', table, unique: index } : { kind: 'createIndex', table, index })
  }
  for (const old of oldKeys.values()) drops.push(dropKey(from.name, old.index, old.constraint))

  const oldChecks = new Map(from.checks.map((c) => [c.name, c]))
  for (const check of to.checks) {
    const old = oldChecks.get(check.name)
    oldChecks.delete(check.name)
    if (old && expressionKey(old.expr) === expressionKey(check.expr)) continue
    if (old) drops.push({ kind: 'dropCheck', table: from.name, check: old })
    adds.push({ kind: 'addCheck', table, check })
  }
  for (const old of oldChecks.values()) drops.push({ kind: 'dropCheck', table: from.name, check: old })

  adds.push(...addFks)
  if (!same(rename(from.primaryKey), to.primaryKey)) changes.push({ kind: 'setPrimaryKey', table, from: from.primaryKey, to: to.primaryKey })
  for (const column of oldColumns.values()) changes.push({ kind: 'dropColumn', table, column })
  for (const column of added) changes.push({ kind: 'addColumn', table, column: stripHint(column) })
}

function dropKey(table: string, index: ModelIndex, constraint: boolean): Op {
  return constraint ? { kind: 'dropUnique', table, unique: index } : { kind: 'dropIndex', table, index }
}

function stripHint(column: ModelColumn): ModelColumn {
  if (column.renamedFrom === undefined) return column
  const { renamedFrom: _, ...rest } = column
  return rest
}
