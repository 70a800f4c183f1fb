/**
 * The update step of a flush: changed rows of one table, writing only the changed columns.
 * Rows changing the same columns share statements: rows given as data (`UPDATE … FROM`) where
 * the dialect reads them, else CASE batches; rows with a composite key get one UPDATE each.
 */
import { node, withNode } from '@quarry/core/internal'
import type { ColumnMeta, Executable } from '@quarry/core'
import { caseNode, castNode, columnOf, eqNode, inNode, rowsNode, runnable, selectionOf, updateNode, type ColumnNode, type SelectionNode } from '@quarry/core/internal'
import { sameList, type Entity, type EntityState } from './entity.js'
import { StaleDataError } from './errors.js'
import { applyBindings, pkCondition, reselect, type FlushDone, type FlushRunner } from './flush-context.js'
import type { Binding, FlushPlan } from './flush-plan.js'
import { storedPk } from './flush-steps.js'
import { changedColumns } from './snapshot.js'
import type { TableInfo } from './tables.js'

/** Rows of one table changing the same columns: one statement for all of them. */
interface UpdateGroup {
  readonly keys: readonly string[]
  readonly states: EntityState[]
}

/**
 * Updates changed rows of one table, writing only the changed columns (as planned, or compared
 * now where a binding was applied or a listener ran). Rows changing the same columns share
 * statements when the key is a single column; otherwise one statement per row.
 */
export async function updateRows(
  info: TableInfo,
  rows: readonly EntityState[],
  planned: readonly (readonly number[] | null)[],
  plan: FlushPlan,
  r: FlushRunner,
  done: FlushDone,
  deferred: ReadonlySet<Binding>,
): Promise<void> {
  const groups = new Map<string, UpdateGroup>()
  const changedRows: EntityState[] = []
  let last: { changed: readonly number[]; group: UpdateGroup } | undefined
  for (let n = 0; n < rows.length; n++) {
    const s = rows[n]
    let changed = planned[n]
    if (changed === null) {
      applyBindings(s, plan, deferred)
      changed = changedColumns(s.obj, s.snapshot!, info.stored)
      if (changed.length === 0) continue
    }
    const soft = r.softDeleted.size > 0 && r.softDeleted.has(s)
    if (r.events.has(soft ? 'beforeDelete' : 'beforeUpdate', info.meta)) {
      await r.events.fireTable(soft ? 'beforeDelete' : 'beforeUpdate', info.meta, s.obj, r.session)
      changed = changedColumns(s.obj, s.snapshot!, info.stored)
      if (changed.length === 0) continue
    }
    // Rows mostly change the same columns as the row before: no key to build then.
    if (!last || !sameList(last.changed, changed)) {
      const keys = changed.map((i) => info.stored[i].key)
      const signature = keys.join(',')
      let group = groups.get(signature)
      if (!group) groups.set(signature, (group = { keys, states: [] }))
      last = { changed, group }
    }
    last.group.states.push(s)
    changedRows.push(s)
  }
  const reread: EntityState[] = []
  for (const group of groups.values()) {
    if (info.pk.length === 1 && group.states.length > 1) await updateBatch(info, group, r, reread)
    else for (const s of group.states) await updateOne(info, group.keys, s, r, reread)
  }
  for (const s of changedRows) {
    done.updated.push(s)
    const soft = r.softDeleted.size > 0 && r.softDeleted.has(s)
    if (r.events.has(soft ? 'afterDelete' : 'afterUpdate', info.meta)) await r.events.fireTable(soft ? 'afterDelete' : 'afterUpdate', info.meta, s.obj, r.session)
  }
  if (reread.length) await reselect(info, reread, info.updateFilled.map((c) => c.key), r)
}

function staleError(info: TableInfo, keys: readonly unknown[]): StaleDataError {
  return new StaleDataError(`UPDATE of ${info.meta.key} ${JSON.stringify(keys)} matched no row: it was deleted, or its key changed, in another transaction`)
}

/** Columns the database fills on UPDATE that this statement does not set (read back after it). */
function filledBack(info: TableInfo, keys: readonly string[]): readonly ColumnMeta[] {
  return info.updateFilled.filter((c) => !keys.includes(c.key))
}

async function updateOne(info: TableInfo, keys: readonly string[], s: EntityState, r: FlushRunner, reread: EntityState[]): Promise<void> {
  const set: Record<string, unknown> = {}
  for (const key of keys) set[key] = s.obj[key]
  const back = filledBack(info, keys)
  const returning = back.length > 0 && r.dialect.capabilities.returning
  const query = updateNode(info.ref, { set, where: pkCondition(info, storedPk(s)), returning: returning ? selectionOf(info.ref, back.map((c) => c.key)) : undefined })
  const result = await r.execute(runnable(query))
  if (result.rowsAffected === 0) throw staleError(info, storedPk(s))
  if (returning) for (const c of back) s.obj[c.key] = (result.rows![0] as Entity)[c.key]
  else if (back.length) reread.push(s)
}

/**
 * Rows per batched UPDATE. Each row's new value is found by walking the CASE branches, so one
 * statement of n rows costs O(n²) in the database: updating 1,000 rows in one statement took 2–3
 * times as long as in ten statements of 100, on SQLite and PostgreSQL alike (50 or 200 were no better).
 */
const UPDATE_BATCH_ROWS = 100

/** One UPDATE of a batch: the rows it writes, their keys, the statement. */
interface UpdateStatement {
  readonly states: readonly EntityState[]
  readonly ids: readonly unknown[]
  readonly query: Executable
}

/**
 * The rows of an update group as data to update from (`UPDATE t SET c = v.c FROM … AS v WHERE
 * t.pk = v.pk`), where the dialect reads rows given as data: PostgreSQL one array per column (one
 * statement whatever the size), SQLite a VALUES list (cut under the parameter limit). `undefined`
 * where the dialect cannot (MySQL) or the columns cannot be sent so.
 */
function rowsUpdates(info: TableInfo, group: UpdateGroup, r: FlushRunner, returned: readonly SelectionNode[] | undefined): UpdateStatement[] | undefined {
  const source = r.dialect.rowsSource
  if (source === undefined) return undefined
  const pk = info.pk[0]
  const columns: ColumnNode[] = [columnOf(info.ref, pk.key), ...group.keys.map((key) => columnOf(info.ref, key))]
  const alias = info.meta.name === ROWS ? ROWS + '_' : ROWS
  // The rows' columns are named apart from the table's: the key may be among the columns set (a
  // changed key), and an onUpdate expression may name a column being set, unqualified.
  const taken = new Set(info.meta.columnList.map((c) => c.name))
  const apart = (name: string) => {
    while (taken.has(name)) name += '_'
    taken.add(name)
    return name
  }
  const names = [apart(KEY), ...columns.slice(1).map((c) => apart(NEW + c.meta.name))]
  const key = names[0]
  if (source.sql(columns, names, 1, 1, alias) === undefined) return undefined
  // Nodes are frozen (an unfrozen object with a node's kind is a value).
  const from = (c: ColumnNode, name: string): ColumnNode => node({ kind: 'column', scope: alias, qualifier: alias, key: c.key, meta: Object.freeze({ ...c.meta, name }) })
  const set: Record<string, unknown> = {}
  for (let i = 1; i < columns.length; i++) set[columns[i].key] = from(columns[i], names[i])
  const query = updateNode(info.ref, { set, where: eqNode(columns[0], from(columns[0], key)), returning: returned })
  const size = source.arrays ? group.states.length : Math.max(1, Math.floor(r.maxParams / columns.length))
  const out: UpdateStatement[] = []
  for (let start = 0; start < group.states.length; start += size) {
    const states = group.states.slice(start, start + size)
    const ids = states.map((s) => storedPk(s)[0])
    const rows = states.map((s, i) => {
      const row = [ids[i]]
      for (const key of group.keys) row.push(s.obj[key])
      return row
    })
    out.push({ states, ids, query: runnable(withNode(query, { from: rowsNode(alias, columns, names, rows) })) })
  }
  return out
}

/** The alias of the rows an update reads its new values from, and the name of their key there. */
const ROWS = 'v'
const KEY = 'key'
const NEW = 'new_'

/** The update group as CASE batches (`SET c = CASE WHEN pk = ? THEN ? … END WHERE pk IN (…)`), at most 100 rows each. */
function caseUpdates(info: TableInfo, group: UpdateGroup, r: FlushRunner, returned: readonly SelectionNode[] | undefined): UpdateStatement[] {
  const pkRef = columnOf(info.ref, info.pk[0].key)
  const perRow = 1 + 2 * group.keys.length
  const size = Math.max(1, Math.min(UPDATE_BATCH_ROWS, Math.floor(r.maxParams / perRow)))
  const out: UpdateStatement[] = []
  for (let start = 0; start < group.states.length; start += size) {
    const states = group.states.slice(start, start + size)
    const ids = states.map((s) => storedPk(s)[0])
    const set: Record<string, unknown> = {}
    for (const key of group.keys) {
      const column = info.meta.columns[key]
      set[key] = caseNode(states.map((s, i) => [eqNode(pkRef, ids[i]), castNode(s.obj[key], column)] as const))
    }
    out.push({ states, ids, query: runnable(updateNode(info.ref, { set, where: inNode(pkRef, ids), returning: returned })) })
  }
  return out
}

async function updateBatch(info: TableInfo, group: UpdateGroup, r: FlushRunner, reread: EntityState[]): Promise<void> {
  const pk = info.pk[0]
  const back = filledBack(info, group.keys)
  const returning = back.length > 0 && r.dialect.capabilities.returning
  // RETURNING: the key, to match rows, and the columns the database fills.
  const returned = returning ? selectionOf(info.ref, [pk.key, ...back.map((c) => c.key)]) : undefined
  const batches = rowsUpdates(info, group, r, returned) ?? caseUpdates(info, group, r, returned)
  // Sent together: on a connection that answers in order (PostgreSQL) the batches share one round trip.
  const results = await Promise.all(batches.map((b) => r.execute(b.query)))
  const keyChanged = group.keys.includes(pk.key)
  batches.forEach(({ states, ids }, n) => {
    const result = results[n]
    // RETURNING gives each row's key as it is now: the new one where the key was changed.
    const keys = keyChanged ? states.map((s) => s.obj[pk.key]) : ids
    if (result.rowsAffected < states.length) {
      const found = new Set(((result.rows ?? []) as Entity[]).map((row) => row[pk.key]))
      const missing = returning ? ids[keys.findIndex((key) => !found.has(key))] : ids[0]
      throw staleError(info, [missing])
    }
    if (returning) {
      const byKey = new Map(((result.rows ?? []) as Entity[]).map((row) => [row[pk.key], row]))
      states.forEach((s, i) => {
        const row = byKey.get(keys[i])
        if (row) for (const c of back) s.obj[c.key] = row[c.key]
      })
    } else if (back.length) reread.push(...states)
  })
}

