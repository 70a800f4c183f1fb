/**
 * Running a flush plan: saves table by table in dependency order (one multi-row INSERT per
 * table and column set, reading generated values back), then deletes in reverse order (one
 * DELETE … IN per table). Cycles are ordered row by row, and broken with a post-update when a
 * nullable foreign key allows it.
 */
import { and, caseWhen, deleteFrom, eq, inArray, insert, select, update, type ColumnMeta, type ColumnNode, type Dialect, type Executable, type ExecuteResult, type InsertNode, type RowsNode, type UpdateNode } from '@quarry/core'
import { identityKey, markGenerated, pkValues, sameList, type Entity, type EntityState } from './entity.js'
import { generated } from './codegen.js'
import { SessionError, StaleDataError } from './errors.js'
import type { EventBus, TableEventName } from './events.js'
import { bindingsOf, type Binding, type FlushPlan, type Link, type TableWork } from './flush-plan.js'
import { chunks, inTuples, tupleKey } from './load-context.js'
import { ascending, comparePk } from './pk-order.js'
import { changedColumns, restored } from './snapshot.js'
import type { TableInfo } from './tables.js'
import type { Component } from './topo-sort.js'

/** What a flush runs statements through. */
export interface FlushRunner {
  execute(query: Executable): Promise<ExecuteResult>
  all(query: Executable): Promise<unknown[]>
  readonly dialect: Dialect
  readonly maxParams: number
  readonly events: EventBus
  readonly session: unknown
  /** Entities soft-deleted in this flush (their UPDATE fires the delete events). */
  readonly softDeleted: ReadonlySet<EntityState>
}

/** What a successful run did, for the bookkeeping that follows. */
export interface FlushDone {
  readonly inserted: EntityState[]
  readonly updated: EntityState[]
  readonly deleted: EntityState[]
}

type Refs = Record<string, never>

function refs(info: TableInfo): Refs {
  return info.ref as unknown as Refs
}

/** Sets a value the flush decided, remembering keys that were empty (a rollback clears them on new rows). */
function assign(state: EntityState, key: string, value: unknown): void {
  if (state.obj[key] === undefined && state.status === 'pending') markGenerated(state, key)
  state.obj[key] = value
}

/** Executes `plan`; throws the first database error unchanged. */
export async function runPlan(plan: FlushPlan, r: FlushRunner): Promise<FlushDone> {
  const done: FlushDone = { inserted: [], updated: [], deleted: [] }
  const deferred: Binding[] = []
  for (const component of plan.order) {
    if (component.cyclic) await saveCycle(component, plan, r, done, deferred)
    else {
      const work = component.nodes[0]
      await insertRows(work.info, work.inserts, plan, r, done, deferred)
      await updateRows(work, plan, r, done)
    }
    for (const work of component.nodes) await insertLinks(work.linkInserts, r)
  }
  await postUpdate(deferred, r)
  for (const component of [...plan.order].reverse()) {
    for (const work of component.nodes) await deleteLinks(work, r)
    await deleteRows(component, r, done)
  }
  return done
}

function applyBindings(state: EntityState, plan: FlushPlan, deferred: readonly Binding[]): void {
  if (state.boundBy !== plan.token) return
  const found = state.bound
  if (found === undefined) return
  if (!Array.isArray(found)) applyBinding(state, found as Binding, deferred)
  else for (const b of found as readonly Binding[]) applyBinding(state, b, deferred)
}

function applyBinding(state: EntityState, b: Binding, deferred: readonly Binding[]): void {
  if (deferred.length && deferred.includes(b)) return
  const value = b.parent ? b.parent.obj[b.parentColumn] : null
  if (b.parent && (value === undefined || value === null)) {
    throw new SessionError(`cannot set ${state.info.meta.key}.${b.column}: the ${b.parent.info.meta.key} it refers to has no ${b.parentColumn} yet`)
  }
  if (state.obj[b.column] !== value) assign(state, b.column, value)
}

async function fire(r: FlushRunner, event: TableEventName, info: TableInfo, states: readonly EntityState[]): Promise<void> {
  if (!r.events.has(event, info.meta)) return
  for (const s of states) await r.events.fireTable(event, info.meta, s.obj, r.session)
}

/** Inserts new rows of one table: bindings, events, client defaults, then one INSERT per column set. */
async function insertRows(info: TableInfo, states: readonly EntityState[], plan: FlushPlan, r: FlushRunner, done: FlushDone, deferred: readonly Binding[]): Promise<void> {
  if (states.length === 0) return
  for (const s of states) applyBindings(s, plan, deferred)
  for (const b of deferred) if (states.includes(b.child)) assign(b.child, b.column, null)
  await fire(r, 'beforeInsert', info, states)
  // Rows mostly come in runs of one shape: a group is looked up only when the shape changes.
  const shapeOf = insertShape(info)
  const groups = new Map<number | string, { columns: string[]; states: EntityState[] }>()
  let last: { columns: string[]; states: EntityState[] } | undefined
  let lastShape: number | string | undefined
  for (const s of states) {
    const shape = shapeOf(s, assign)
    if (shape !== lastShape || last === undefined) {
      lastShape = shape
      last = groups.get(shape)
      if (!last) groups.set(shape, (last = { columns: info.stored.filter((c) => s.obj[c.key] !== undefined).map((c) => c.key), states: [] }))
    }
    last.states.push(s)
  }
  for (const group of groups.values()) await insertGroup(info, group.columns, group.states, r)
  for (const s of states) done.inserted.push(s)
  await fire(r, 'afterInsert', info, states)
}

/**
 * Fills in a new row's client defaults and says which stored columns it has: a bit mask (or a
 * string of them past 31 columns), equal for rows that insert the same columns.
 */
type InsertShape = (state: EntityState, fill: (state: EntityState, key: string, value: unknown) => void) => number | string

const insertShapes = new WeakMap<TableInfo, InsertShape>()

/**
 * A table's `InsertShape`, generated once: each column read by name (V8 sees one property per
 * site instead of a key that changes with every column).
 */
function insertShape(info: TableInfo): InsertShape {
  let shape = insertShapes.get(info)
  if (shape) return shape
  const { stored } = info
  const fallback: InsertShape = (s, fill) => {
    let out = ''
    for (const c of stored) {
      if (s.obj[c.key] === undefined && c.hasDefault) fill(s, c.key, defaultOf(c))
      out += s.obj[c.key] === undefined ? '0' : '1'
    }
    return out
  }
  shape = fallback
  if (stored.length <= 31 && !stored.some((c) => c.key === '__proto__')) {
    const lines = stored.map((c, i) => {
      const key = JSON.stringify(c.key)
      const fillIn = c.hasDefault ? `if (o[${key}] === undefined) fill(s, ${key}, defaultOf(c[${i}]))\n` : ''
      return `${fillIn}if (o[${key}] !== undefined) m |= ${1 << i}`
    })
    shape = generated<InsertShape>(`function insertShape(s, fill) { const o = s.obj; let m = 0\n${lines.join('\n')}\nreturn m }`, { defaultOf, c: stored }) ?? fallback
  }
  insertShapes.set(info, shape)
  return shape
}

/** A column's client default: its value, or what its function returns. */
function defaultOf(column: ColumnMeta): unknown {
  return typeof column.default === 'function' ? (column.default as () => unknown)() : column.default
}

/** What an INSERT of `columns` reads back: the primary key and the columns the database fills (computed, server defaults left out). */
function readBack(info: TableInfo, columns: readonly string[]): ColumnMeta[] {
  const out = info.pk.slice()
  for (const c of info.serverFilled) if (!columns.includes(c.key) && !out.includes(c)) out.push(c)
  return out
}

/** One INSERT row's cells (plain values, in `columns` order) read from an entity. */
type CellsOf = (obj: Entity) => unknown[]

/** What inserting one column set of a table takes: the row reader and the statement without its rows. */
interface InsertPlan {
  readonly cells: CellsOf
  /** What the INSERT reads back (`readBack`). */
  readonly back: readonly ColumnMeta[]
  /** The INSERT (with or without RETURNING) as the builder makes it, its one placeholder row to be replaced. */
  readonly plain: InsertNode
  readonly returning: InsertNode
}

const insertPlans = new WeakMap<TableInfo, Map<string, InsertPlan>>()

/**
 * The `InsertPlan` of a table and column set, made once. The statement comes from the builder
 * (with a row of NULLs); a flush swaps in its own rows, read by a function generated to copy
 * `columns` of an entity into an array literal (no row object, no key scan per row).
 */
function insertPlan(info: TableInfo, columns: readonly string[]): InsertPlan {
  let byColumns = insertPlans.get(info)
  if (!byColumns) insertPlans.set(info, (byColumns = new Map()))
  const key = columns.join(',')
  let plan = byColumns.get(key)
  if (plan) return plan
  const base = insert(info.ref).values([Object.fromEntries(columns.map((c) => [c, null]))] as never)
  // The statement's own column order (client defaults were filled in on the entities before).
  const keys = nodeOf(base).columns.map((c) => c.key)
  const cells =
    generated<CellsOf>(`function insertCells(o) { return [${keys.map((c) => `o[${JSON.stringify(c)}]`).join(', ')}] }`) ?? ((obj: Entity) => keys.map((c) => obj[c]))
  const back = readBack(info, columns)
  const returning = base.returning(Object.fromEntries(back.map((c) => [c.key, refs(info)[c.key]])) as never)
  plan = { cells, back, plain: nodeOf(base), returning: nodeOf(returning) }
  byColumns.set(key, plan)
  return plan
}

function nodeOf(builder: unknown): InsertNode {
  return (builder as { ast: InsertNode }).ast
}

async function insertGroup(info: TableInfo, columns: readonly string[], states: readonly EntityState[], r: FlushRunner): Promise<void> {
  const plan = insertPlan(info, columns)
  const rows = new Array<unknown[]>(states.length)
  for (let i = 0; i < states.length; i++) rows[i] = plan.cells(states[i].obj)
  const auto = info.autoPk && !columns.includes(info.autoPk.key) ? info.autoPk : undefined
  const { back } = plan
  // Values the rows were given stay as given: only the key and what the database filled come back.
  const returning = auto !== undefined || (r.dialect.capabilities.returning && back.length > info.pk.length)
  const ast: InsertNode = { ...(returning ? plan.returning : plan.plain), values: Object.freeze(rows) }
  const result = await r.execute({ ast } as unknown as Executable)
  // Columns left out without a default are NULL in the database.
  const absent = info.stored.filter((c) => !columns.includes(c.key) && !(returning && back.includes(c)))
  const fill = filler(info, returning ? back : [], absent)
  if (returning) {
    const returned = (result.rows ?? []) as Entity[]
    if (returned.length !== states.length) throw new SessionError(`inserting ${states.length} ${info.meta.key} rows returned ${returned.length}`)
    if (auto) {
      if (!ascending(returned, auto.key)) returned.sort((a, b) => comparePk(a[auto.key], b[auto.key]))
      for (let i = 0; i < states.length; i++) fill(states[i], returned[i])
    } else {
      const byKey = new Map(returned.map((row) => [identityKey(info, pkValues(info, row)), row]))
      for (const s of states) {
        const row = byKey.get(identityKey(info, pkValues(info, s.obj)))
        if (!row) throw new SessionError(`an inserted ${info.meta.key} row did not come back`)
        fill(s, row)
      }
    }
  } else {
    const missing = info.serverFilled.filter((c) => !columns.includes(c.key))
    if (missing.length) await reselect(info, states, missing.map((c) => c.key), r)
    if (absent.length) for (const s of states) fill(s, NO_ROW)
  }
}

/** Writes what an INSERT read back (`back`) and NULL for the `absent` columns into a new row. */
type Filler = (state: EntityState, row: Entity) => void

const NO_ROW: Entity = Object.freeze({})
const fillers = new WeakMap<TableInfo, Map<string, Filler>>()

/**
 * The `Filler` of one table and column lists, generated once: each column read and written by
 * name. Columns that were empty are recorded as generated (a rollback takes them off again), as
 * one mask per row: rows of one insert mostly fill the same columns after the same ones.
 */
function filler(info: TableInfo, back: readonly ColumnMeta[], absent: readonly ColumnMeta[]): Filler {
  let byColumns = fillers.get(info)
  if (!byColumns) fillers.set(info, (byColumns = new Map()))
  const key = `${back.map((c) => c.key).join(',')}|${absent.map((c) => c.key).join(',')}`
  let fill = byColumns.get(key)
  if (fill) return fill
  fill = (s, row) => {
    for (const c of back) {
      const v = row[c.key]
      if (s.obj[c.key] !== v) assign(s, c.key, v)
    }
    for (const c of absent) if (s.obj[c.key] === undefined) assign(s, c.key, null)
  }
  const keys = [...back, ...absent].map((c) => c.key)
  if (keys.length <= 31 && !keys.includes('__proto__')) {
    const lines = back.map((c, i) => {
      const k = JSON.stringify(c.key)
      return `v = row[${k}]; if (o[${k}] !== v) { if (o[${k}] === undefined) m |= ${1 << i}; o[${k}] = v }`
    })
    absent.forEach((c, i) => {
      const k = JSON.stringify(c.key)
      lines.push(`if (o[${k}] === undefined) { m |= ${1 << (back.length + i)}; o[${k}] = null }`)
    })
    const source = `function fill(s, row) { const o = s.obj; let v, m = 0\n${lines.join('\n')}\nif (m !== 0) mark(s, m)\n}`
    fill = generated<Filler>(source, { mark: generatedBy(keys) }) ?? fill
  }
  byColumns.set(key, fill)
  return fill
}

/** Records the columns of `mask` (bits of `keys`) as generated, reusing the last row's result when it started alike. */
function generatedBy(keys: readonly string[]): (state: EntityState, mask: number) => void {
  let lastFrom: EntityState['generated'] | null = null
  let lastMask = 0
  let lastTo: EntityState['generated']
  return (state, mask) => {
    if (state.generated === lastFrom && mask === lastMask) {
      state.generated = lastTo
      return
    }
    lastFrom = state.generated
    lastMask = mask
    for (let i = 0; i < keys.length; i++) if (mask & (1 << i)) markGenerated(state, keys[i])
    lastTo = state.generated
  }
}

/** Reads `keys` back for rows the dialect cannot return from the statement itself. */
async function reselect(info: TableInfo, states: readonly EntityState[], keys: readonly string[], r: FlushRunner): Promise<void> {
  const pk = info.pk.map((c) => c.key)
  const byKey = new Map(states.map((s) => [tupleKey(pkValues(info, s.obj)), s]))
  for (const chunk of chunks(states, pk.length, r.maxParams)) {
    const query = select(info.ref).where(inTuples(info, pk, chunk.map((s) => pkValues(info, s.obj))) as never)
    for (const row of (await r.all(query as Executable)) as Entity[]) {
      const s = byKey.get(tupleKey(pkValues(info, row)))
      if (s) for (const k of keys) assign(s, k, row[k])
    }
  }
}

function pkCondition(info: TableInfo, values: readonly unknown[]): never {
  return and(...info.pk.map((c, i) => eq(refs(info)[c.key], values[i] as never))) as never
}

/** The primary key a row has in the database (its snapshot's, when it was changed in memory). */
function storedPk(state: EntityState): unknown[] {
  const { info, snapshot } = state
  return info.pk.map((c) => (snapshot ? restored(snapshot[info.stored.indexOf(c)], c) : state.obj[c.key]))
}

/** Rows of one table changing the same columns: one statement for all of them. */
interface UpdateGroup {
  readonly keys: readonly string[]
  readonly states: EntityState[]
}

/**
 * Updates changed rows of one table, writing only the changed columns. Rows changing the same
 * columns share one statement (`SET col = CASE WHEN pk = ? THEN ? … END WHERE pk IN (…)`, cut under
 * the parameter limit) when the key is a single column; otherwise one statement per row.
 */
async function updateRows(work: TableWork, plan: FlushPlan, r: FlushRunner, done: FlushDone, deferred: readonly Binding[] = []): Promise<void> {
  const { info } = work
  const groups = new Map<string, UpdateGroup>()
  const changedRows: EntityState[] = []
  let last: { changed: readonly number[]; group: UpdateGroup } | undefined
  for (const s of work.updates) {
    applyBindings(s, plan, deferred)
    let changed = changedColumns(s.obj, s.snapshot!, info.stored)
    if (changed.length === 0) continue
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
  let query = update(info.ref).set(set as never).where(pkCondition(info, storedPk(s))) as unknown as { returning(sel: object): unknown }
  if (returning) query = query.returning(Object.fromEntries(back.map((c) => [c.key, refs(info)[c.key]]))) as typeof query
  const result = await r.execute(query as unknown as Executable)
  if (result.rowsAffected === 0) throw staleError(info, storedPk(s))
  if (returning) for (const c of back) s.obj[c.key] = (result.rows![0] as Entity)[c.key]
  else if (back.length) reread.push(s)
}

/** A bound value cast to its column's type, so CASE branches type alike on every dialect. */
function typedValue(value: unknown, column: ColumnMeta): never {
  return Object.freeze({ kind: 'cast', expr: Object.freeze({ kind: 'value', value, type: column }), type: column }) as never
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
function rowsUpdates(info: TableInfo, group: UpdateGroup, r: FlushRunner, returned: object | undefined): UpdateStatement[] | undefined {
  const source = r.dialect.rowsSource
  if (source === undefined) return undefined
  const t = refs(info)
  const pk = info.pk[0]
  const columns: ColumnNode[] = [t[pk.key], ...group.keys.map((key) => t[key])]
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
  const from = (c: ColumnNode, name: string): ColumnNode => Object.freeze({ kind: 'column', scope: alias, qualifier: alias, key: c.key, meta: Object.freeze({ ...c.meta, name }) })
  const set: Record<string, unknown> = {}
  for (let i = 1; i < columns.length; i++) set[columns[i].key] = from(columns[i], names[i])
  let query = update(info.ref).set(set as never).where(eq(t[pk.key], from(columns[0], key) as never)) as unknown as { returning(sel: object): unknown; ast: UpdateNode }
  if (returned) query = query.returning(returned) as typeof query
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
    const node: RowsNode = Object.freeze({ kind: 'rows', alias, columns, names, rows })
    out.push({ states, ids, query: { ast: { ...query.ast, from: node } } as unknown as Executable })
  }
  return out
}

/** The alias of the rows an update reads its new values from, and the name of their key there. */
const ROWS = 'v'
const KEY = 'key'
const NEW = 'new_'

/** The update group as CASE batches (`SET c = CASE WHEN pk = ? THEN ? … END WHERE pk IN (…)`), at most 100 rows each. */
function caseUpdates(info: TableInfo, group: UpdateGroup, r: FlushRunner, returned: object | undefined): UpdateStatement[] {
  const pkRef = refs(info)[info.pk[0].key]
  const perRow = 1 + 2 * group.keys.length
  const size = Math.max(1, Math.min(UPDATE_BATCH_ROWS, Math.floor(r.maxParams / perRow)))
  const out: UpdateStatement[] = []
  for (let start = 0; start < group.states.length; start += size) {
    const states = group.states.slice(start, start + size)
    const ids = states.map((s) => storedPk(s)[0])
    const set: Record<string, unknown> = {}
    for (const key of group.keys) {
      const column = info.meta.columns[key]
      set[key] = caseWhen(states.map((s, i) => [eq(pkRef, ids[i] as never), typedValue(s.obj[key], column)] as const) as never)
    }
    let query = update(info.ref).set(set as never).where(inArray(pkRef, ids as never)) as unknown as { returning(sel: object): unknown }
    if (returned) query = query.returning(returned) as typeof query
    out.push({ states, ids, query: query as unknown as Executable })
  }
  return out
}

async function updateBatch(info: TableInfo, group: UpdateGroup, r: FlushRunner, reread: EntityState[]): Promise<void> {
  const pk = info.pk[0]
  const back = filledBack(info, group.keys)
  const returning = back.length > 0 && r.dialect.capabilities.returning
  // RETURNING: the key, to match rows, and the columns the database fills.
  const t = refs(info)
  const returned = returning ? Object.fromEntries([[pk.key, t[pk.key]], ...back.map((c) => [c.key, t[c.key]])]) : undefined
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

/**
 * Saves the tables of a dependency cycle (or a self-referencing table): inserts go in waves,
 * each row after the rows it points to; when only a cycle of new rows is left, one nullable
 * foreign key is written afterwards by a post-update.
 */
async function saveCycle(component: Component<TableWork>, plan: FlushPlan, r: FlushRunner, done: FlushDone, deferred: Binding[]): Promise<void> {
  const waiting = new Set(component.nodes.flatMap((w) => w.inserts))
  const dependsOn = (s: EntityState): EntityState[] =>
    bindingsOf(plan, s).filter((b) => b.parent && waiting.has(b.parent) && b.parent !== s && !deferred.includes(b)).map((b) => b.parent!)
  const selfRefs = [...waiting].flatMap((s) => bindingsOf(plan, s).filter((b) => b.parent === s))
  deferred.push(...selfRefs)
  while (waiting.size) {
    const ready = [...waiting].filter((s) => dependsOn(s).length === 0)
    if (ready.length === 0) {
      const breakable = [...waiting].flatMap((s) => bindingsOf(plan, s)).find((b) => b.parent && waiting.has(b.parent) && !deferred.includes(b) && b.child.info.meta.columns[b.column].nullable)
      if (!breakable) {
        throw new SessionError(`cannot order the inserts of ${component.nodes.map((w) => w.info.meta.key).join(', ')}: their rows refer to each other through NOT NULL foreign keys`)
      }
      deferred.push(breakable)
      continue
    }
    for (const work of component.nodes) {
      const batch = ready.filter((s) => s.info === work.info)
      if (batch.length) await insertRows(work.info, batch, plan, r, done, deferred)
    }
    for (const s of ready) waiting.delete(s)
  }
  for (const work of component.nodes) await updateRows(work, plan, r, done, deferred)
}

/** Writes the foreign keys that a cycle forced to be left NULL at insert time. */
async function postUpdate(deferred: readonly Binding[], r: FlushRunner): Promise<void> {
  for (const b of deferred) {
    const value = b.parent ? b.parent.obj[b.parentColumn] : null
    const { info } = b.child
    await r.execute(update(info.ref).set({ [b.column]: value } as never).where(pkCondition(info, pkValues(info, b.child.obj))) as unknown as Executable)
    b.child.obj[b.column] = value
  }
}

function linkRow(link: Link): Record<string, unknown> {
  const row: Record<string, unknown> = {}
  const { meta } = link.rel
  meta.throughSourceColumns!.forEach((c, i) => (row[c] = link.source.obj[meta.sourceColumns[i]]))
  meta.throughTargetColumns!.forEach((c, i) => (row[c] = link.target.obj[meta.targetColumns[i]]))
  return row
}

async function insertLinks(links: readonly Link[], r: FlushRunner): Promise<void> {
  if (links.length === 0) return
  const byShape = new Map<string, Record<string, unknown>[]>()
  for (const link of links) {
    const row = linkRow(link)
    const shape = Object.keys(row).join(',')
    byShape.set(shape, [...(byShape.get(shape) ?? []), row])
  }
  for (const rows of byShape.values()) await r.execute(insert(links[0].through.ref).values(rows as never) as unknown as Executable)
}

async function deleteLinks(work: TableWork, r: FlushRunner): Promise<void> {
  const { info } = work
  if (work.linkDeletes.length) {
    const rows = work.linkDeletes.map(linkRow)
    const columns = Object.keys(rows[0])
    for (const chunk of chunks(rows, columns.length, r.maxParams)) {
      const tuples = chunk.map((row) => columns.map((c) => row[c]))
      await r.execute(deleteFrom(info.ref).where(inTuples(info, columns, tuples) as never) as unknown as Executable)
    }
  }
  for (const purge of work.purges) {
    const tuples = purge.states.map((s) => purge.entityColumns.map((c) => s.obj[c]))
    for (const chunk of chunks(tuples, purge.columns.length, r.maxParams)) {
      await r.execute(deleteFrom(info.ref).where(inTuples(info, purge.columns, chunk) as never) as unknown as Executable)
    }
  }
}

/** Deletes rows by primary key; within a cycle, rows that others still point at wait for them. */
async function deleteRows(component: Component<TableWork>, r: FlushRunner, done: FlushDone): Promise<void> {
  let remaining = component.nodes.flatMap((w) => w.deletes)
  if (remaining.length === 0) return
  if (!component.cyclic) {
    await deleteBatch(component.nodes[0].info, remaining, r)
    done.deleted.push(...remaining)
    return
  }
  const cleared = new Set<string>()
  while (remaining.length) {
    const pointers = cyclePointers(remaining, component, cleared)
    const referenced = new Set(pointers.map((p) => p.target))
    let ready = remaining.filter((s) => !referenced.has(s))
    if (ready.length === 0) {
      // Only a cycle of rows is left: clear its nullable foreign keys first (a pre-delete post-update).
      const nullable = pointers.filter((p) => p.column.nullable)
      if (nullable.length) {
        for (const p of nullable) {
          const { info } = p.source
          await r.execute(update(info.ref).set({ [p.column.key]: null } as never).where(pkCondition(info, storedPk(p.source))) as unknown as Executable)
          cleared.add(`${p.source.seq}:${p.column.key}`)
        }
        continue
      }
      ready = remaining
    }
    for (const work of component.nodes) {
      const batch = ready.filter((s) => s.info === work.info)
      if (batch.length) await deleteBatch(work.info, batch, r)
    }
    done.deleted.push(...ready)
    remaining = remaining.filter((s) => !ready.includes(s))
  }
}

interface Pointer {
  readonly source: EntityState
  readonly column: ColumnMeta
  readonly target: EntityState
}

/** Which rows about to be deleted still point at which others (by their stored foreign keys). */
function cyclePointers(rows: readonly EntityState[], component: Component<TableWork>, cleared: ReadonlySet<string>): Pointer[] {
  // Rows of several tables: keys within a table are qualified by it.
  const byKey = new Map(rows.map((s) => [`${s.info.meta.key}\u0001${identityKey(s.info, storedPk(s))}`, s]))
  const out: Pointer[] = []
  for (const s of rows) {
    for (const fk of s.info.meta.foreignKeys) {
      const target = component.nodes.find((w) => w.info.meta.key === fk.table)?.info
      if (!target || fk.columns.some((c) => cleared.has(`${s.seq}:${c}`))) continue
      const values = fk.columns.map((c) => restored(s.snapshot![s.info.stored.findIndex((x) => x.key === c)], s.info.meta.columns[c]))
      const key = identityKey(target, values)
      const other = key === undefined ? undefined : byKey.get(`${target.meta.key}\u0001${key}`)
      if (other && other !== s) out.push({ source: s, column: s.info.meta.columns[fk.columns[0]], target: other })
    }
  }
  return out
}

async function deleteBatch(info: TableInfo, states: readonly EntityState[], r: FlushRunner): Promise<void> {
  await fire(r, 'beforeDelete', info, states)
  const pk = info.pk.map((c) => c.key)
  for (const chunk of chunks(states, pk.length, r.maxParams)) {
    await r.execute(deleteFrom(info.ref).where(inTuples(info, pk, chunk.map(storedPk)) as never) as unknown as Executable)
  }
  await fire(r, 'afterDelete', info, states)
}
