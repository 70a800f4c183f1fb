/**
 * The order of a flush as data (after SQLAlchemy's unitofwork.py): from a `FlushPlan`, the
 * complete list of steps to run, cycles included. Inserts and updates go table by table,
 * dependencies first; inside a cycle rows are inserted in waves, each row after the rows it
 * points to, and a cycle of new rows is broken by leaving one nullable foreign key for a
 * post-update; deletes go in reverse, a cycle of rows to delete cleared of its nullable keys
 * first. Nothing here does I/O: values the database generates are read when a step runs.
 */
import type { ColumnMeta } from '@quarry/core'
import { identityKey, type EntityState, type IdentityKey } from './entity.js'
import { SessionError } from './errors.js'
import { bindingsOf, type Binding, type FlushPlan, type Link, type LinkPurge, type TableWork } from './flush-plan.js'
import { changedColumns, restored } from './snapshot.js'
import type { TableInfo } from './tables.js'
import type { Component } from './topo-sort.js'

/** A row about to be deleted that still points at another row about to be deleted. */
export interface Pointer {
  readonly source: EntityState
  readonly column: ColumnMeta
  readonly target: EntityState
}

/** One step of a flush, run in list order. */
export type Step =
  /** New rows of one table: bindings applied (all but the deferred ones), then one INSERT per column set. */
  | { readonly kind: 'insert'; readonly info: TableInfo; readonly rows: readonly EntityState[] }
  /**
   * Persistent rows of one table that changed, or take a foreign key from a related object;
   * `changed` holds each row's changed columns (indexes into `info.stored`) as planned, or
   * `null` where a binding is still to be applied (compared when the step runs).
   */
  | { readonly kind: 'update'; readonly info: TableInfo; readonly rows: readonly EntityState[]; readonly changed: readonly (readonly number[] | null)[] }
  /** Association rows to insert. */
  | { readonly kind: 'insertLinks'; readonly info: TableInfo; readonly links: readonly Link[] }
  /** Foreign keys a cycle of new rows left NULL at insert time, written now. */
  | { readonly kind: 'postUpdate'; readonly bindings: readonly Binding[] }
  /** Association rows to delete. */
  | { readonly kind: 'deleteLinks'; readonly info: TableInfo; readonly links: readonly Link[] }
  /** Every association row of some deleted entities. */
  | { readonly kind: 'purgeLinks'; readonly info: TableInfo; readonly purge: LinkPurge }
  /** Nullable foreign keys of a cycle of rows to delete, set to NULL first. */
  | { readonly kind: 'clearKeys'; readonly pointers: readonly Pointer[] }
  /** Rows of one table to delete by primary key. */
  | { readonly kind: 'delete'; readonly info: TableInfo; readonly rows: readonly EntityState[] }

/** The steps of a plan, and the bindings they leave to the post-update. */
export interface FlushSteps {
  readonly steps: readonly Step[]
  /** Bindings not applied at insert time (the post-update writes them). */
  readonly deferred: ReadonlySet<Binding>
}

/** Orders the whole flush of `plan` into steps; every cycle is decided here, before anything runs. */
export function flushSteps(plan: FlushPlan): FlushSteps {
  const steps: Step[] = []
  const deferred = new Set<Binding>()
  for (const component of plan.order) {
    if (component.cyclic) insertCycle(component, plan, deferred, steps)
    else if (component.nodes[0].inserts.length) steps.push({ kind: 'insert', info: component.nodes[0].info, rows: component.nodes[0].inserts })
    for (const work of component.nodes) updateStep(work, plan, steps)
    for (const work of component.nodes) if (work.linkInserts.length) steps.push({ kind: 'insertLinks', info: work.info, links: work.linkInserts })
  }
  if (deferred.size) steps.push({ kind: 'postUpdate', bindings: [...deferred] })
  for (let i = plan.order.length - 1; i >= 0; i--) {
    const component = plan.order[i]
    for (const work of component.nodes) {
      if (work.linkDeletes.length) steps.push({ kind: 'deleteLinks', info: work.info, links: work.linkDeletes })
      for (const purge of work.purges) steps.push({ kind: 'purgeLinks', info: work.info, purge })
    }
    if (!component.cyclic) {
      const work = component.nodes[0]
      if (work.deletes.length) steps.push({ kind: 'delete', info: work.info, rows: work.deletes })
    } else deleteCycle(component, steps)
  }
  return { steps, deferred }
}

/** The rows to update: changed since their snapshot, or bound to a related object. */
function updateStep(work: TableWork, plan: FlushPlan, steps: Step[]): void {
  const rows: EntityState[] = []
  const changed: (readonly number[] | null)[] = []
  const { stored } = work.info
  for (const s of work.updates) {
    if (s.boundBy === plan.token) {
      rows.push(s)
      changed.push(null)
      continue
    }
    const columns = changedColumns(s.obj, s.snapshot!, stored)
    if (columns.length === 0) continue
    rows.push(s)
    changed.push(columns)
  }
  if (rows.length) steps.push({ kind: 'update', info: work.info, rows, changed })
}

/** Pushes one step per table of `component` for the rows of `rows` (in the component's table order). */
function perTable(component: Component<TableWork>, rows: readonly EntityState[], make: (info: TableInfo, rows: EntityState[]) => Step, steps: Step[]): void {
  if (component.nodes.length === 1) {
    if (rows.length) steps.push(make(component.nodes[0].info, rows.slice()))
    return
  }
  const byTable = new Map<TableInfo, EntityState[]>()
  for (const s of rows) {
    let list = byTable.get(s.info)
    if (!list) byTable.set(s.info, (list = []))
    list.push(s)
  }
  for (const work of component.nodes) {
    const list = byTable.get(work.info)
    if (list) steps.push(make(work.info, list))
  }
}

/**
 * The inserts of a cycle (or a self-referencing table) in waves: a row waits for the new rows it
 * takes a foreign key from. When only rows waiting on each other are left, the first binding
 * over a nullable column among them is deferred to the post-update (a self-reference always is).
 * Linear in rows and bindings: waiting rows count what they wait for (Kahn's algorithm).
 */
function insertCycle(component: Component<TableWork>, plan: FlushPlan, deferred: Set<Binding>, steps: Step[]): void {
  const rows = component.nodes.length === 1 ? component.nodes[0].inserts : component.nodes.flatMap((w) => w.inserts)
  if (rows.length === 0) return
  const order = new Map<EntityState, number>()
  rows.forEach((s, i) => order.set(s, i))
  const waitsFor = new Map<EntityState, number>()
  const dependents = new Map<EntityState, Binding[]>()
  const candidates: Binding[] = []
  for (const s of rows) {
    let count = 0
    for (const b of bindingsOf(plan, s)) {
      if (!b.parent || !order.has(b.parent)) continue
      if (b.parent === s) {
        deferred.add(b)
        continue
      }
      count++
      candidates.push(b)
      let list = dependents.get(b.parent)
      if (!list) dependents.set(b.parent, (list = []))
      list.push(b)
    }
    waitsFor.set(s, count)
  }
  let wave = rows.filter((s) => waitsFor.get(s) === 0)
  let left = rows.length
  let cursor = 0
  const inserted = new Set<EntityState>()
  const waiting = (s: EntityState) => !inserted.has(s)
  while (left > 0) {
    if (wave.length === 0) {
      // Conditions only ever turn false, so a binding passed over once never qualifies later: one cursor.
      while (cursor < candidates.length) {
        const b = candidates[cursor++]
        if (waiting(b.child) && waiting(b.parent!) && !deferred.has(b) && b.child.info.meta.columns[b.column].nullable) {
          deferred.add(b)
          if (release(b)) wave.push(b.child)
          break
        }
      }
      if (wave.length === 0) {
        throw new SessionError(`cannot order the inserts of ${component.nodes.map((w) => w.info.meta.key).join(', ')}: their rows refer to each other through NOT NULL foreign keys`)
      }
      continue
    }
    perTable(component, wave, (info, batch) => ({ kind: 'insert', info, rows: batch }), steps)
    for (const s of wave) inserted.add(s)
    left -= wave.length
    const next: EntityState[] = []
    for (const s of wave) for (const b of dependents.get(s) ?? []) if (!deferred.has(b) && release(b)) next.push(b.child)
    wave = next.length > 1 ? next.sort((a, b) => order.get(a)! - order.get(b)!) : next
  }

  function release(b: Binding): boolean {
    const count = waitsFor.get(b.child)! - 1
    waitsFor.set(b.child, count)
    return count === 0
  }
}

/**
 * The deletes of a cycle in waves: a row goes once no other row to delete points at it (by its
 * stored foreign keys). When only a cycle of rows is left, its nullable foreign keys are cleared
 * first; with none, the rest goes at once (the database decides).
 */
function deleteCycle(component: Component<TableWork>, steps: Step[]): void {
  const rows = component.nodes.flatMap((w) => w.deletes)
  if (rows.length === 0) return
  const order = new Map<EntityState, number>()
  rows.forEach((s, i) => order.set(s, i))
  const pointers = cyclePointers(rows, component)
  const from = new Map<EntityState, Pointer[]>()
  const pointedAt = new Map<EntityState, number>()
  for (const p of pointers) {
    let list = from.get(p.source)
    if (!list) from.set(p.source, (list = []))
    list.push(p)
    pointedAt.set(p.target, (pointedAt.get(p.target) ?? 0) + 1)
  }
  const gone = new Set<Pointer>()
  const deleted = new Set<EntityState>()
  const drop = (p: Pointer, ready: EntityState[]) => {
    if (gone.has(p)) return
    gone.add(p)
    const count = pointedAt.get(p.target)! - 1
    pointedAt.set(p.target, count)
    if (count === 0 && !deleted.has(p.target)) ready.push(p.target)
  }
  let remaining = rows.length
  let wave = rows.filter((s) => !pointedAt.get(s))
  while (remaining > 0) {
    if (wave.length === 0) {
      const left = rows.filter((s) => !deleted.has(s))
      const nullable = pointers.filter((p) => !gone.has(p) && p.column.nullable && !deleted.has(p.source))
      if (nullable.length === 0) wave = left
      else {
        steps.push({ kind: 'clearKeys', pointers: nullable })
        const ready: EntityState[] = []
        for (const p of nullable) drop(p, ready)
        wave = left.filter((s) => !pointedAt.get(s))
      }
      continue
    }
    perTable(component, wave, (info, batch) => ({ kind: 'delete', info, rows: batch }), steps)
    const ready: EntityState[] = []
    for (const s of wave) deleted.add(s)
    for (const s of wave) for (const p of from.get(s) ?? []) drop(p, ready)
    remaining -= wave.length
    wave = ready.filter((s) => !deleted.has(s)).sort((a, b) => order.get(a)! - order.get(b)!)
  }
}

/** Which rows about to be deleted point at which others (by their stored foreign keys). */
function cyclePointers(rows: readonly EntityState[], component: Component<TableWork>): Pointer[] {
  // Rows of several tables: keys within a table are qualified by it.
  const byKey = new Map<string, EntityState>()
  for (const s of rows) byKey.set(`${s.info.meta.key}\u0001${identityKey(s.info, storedPk(s))}`, s)
  const out: Pointer[] = []
  for (const s of rows) {
    for (const fk of s.info.meta.foreignKeys) {
      const target = component.nodes.find((w) => w.info.meta.key === fk.table)?.info
      if (!target) continue
      const values = fk.columns.map((c) => restored(s.snapshot![s.info.stored.findIndex((x) => x.key === c)], s.info.meta.columns[c]))
      const key: IdentityKey | undefined = identityKey(target, values)
      const other = key === undefined ? undefined : byKey.get(`${target.meta.key}\u0001${key}`)
      if (other && other !== s) out.push({ source: s, column: s.info.meta.columns[fk.columns[0]], target: other })
    }
  }
  return out
}

/** The primary key a row has in the database (its snapshot's, when it was changed in memory). */
export function storedPk(state: EntityState): unknown[] {
  const { info, snapshot } = state
  return info.pk.map((c) => (snapshot ? restored(snapshot[info.stored.indexOf(c)], c) : state.obj[c.key]))
}
