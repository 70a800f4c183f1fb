/**
 * What running a flush's steps shares: the runner statements go through, the record of what
 * was done, and the small helpers every step uses (bindings, events, read-backs).
 */
import type { Dialect, Executable, ExecuteResult } from '@quarry/core'
import { andNode, columnOf, eqNode, runnable, selectNode, type Node } from '@quarry/core/internal'
import { markGenerated, pkValues, type Entity, type EntityState } from './entity.js'
import { SessionError } from './errors.js'
import type { EventBus, TableEventName } from './events.js'
import type { Binding, FlushPlan } from './flush-plan.js'
import { chunks, inTuples, tupleKey } from './load-context.js'
import type { TableInfo } from './tables.js'

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

/** A table's column refs, looked up by key at run time. */
/** Sets a value the flush decided, remembering keys that were empty (a rollback clears them on new rows). */
export function assign(state: EntityState, key: string, value: unknown): void {
  if (state.obj[key] === undefined && state.status === 'pending') markGenerated(state, key)
  state.obj[key] = value
}

/**
 * Applies the foreign-key values `state` takes from related objects; a `deferred` one (left to
 * the post-update) is NULL on a new row until then.
 */
export function applyBindings(state: EntityState, plan: FlushPlan, deferred: ReadonlySet<Binding>): void {
  if (state.boundBy !== plan.token) return
  const found = state.bound
  if (found === undefined) return
  if (!Array.isArray(found)) applyBinding(state, found as Binding, deferred)
  else for (const b of found as readonly Binding[]) applyBinding(state, b, deferred)
}

function applyBinding(state: EntityState, b: Binding, deferred: ReadonlySet<Binding>): void {
  if (deferred.size && deferred.has(b)) {
    if (state.status === 'pending') assign(state, b.column, null)
    return
  }
  const value = b.parent ? b.parent.obj[b.parentColumn] : null
  if (b.parent && (value === undefined || value === null)) {
    throw new SessionError(`cannot set ${state.info.meta.key}.${b.column}: the ${b.parent.info.meta.key} it refers to has no ${b.parentColumn} yet`)
  }
  if (state.obj[b.column] !== value) assign(state, b.column, value)
}

/** Fires a table event for each row (nothing to do without listeners). */
export async function fire(r: FlushRunner, event: TableEventName, info: TableInfo, states: readonly EntityState[]): Promise<void> {
  if (!r.events.has(event, info.meta)) return
  for (const s of states) await r.events.fireTable(event, info.meta, s.obj, r.session)
}

/** Reads `keys` back for rows the dialect cannot return from the statement itself. */
export async function reselect(info: TableInfo, states: readonly EntityState[], keys: readonly string[], r: FlushRunner): Promise<void> {
  const pk = info.pk.map((c) => c.key)
  const byKey = new Map(states.map((s) => [tupleKey(pkValues(info, s.obj)), s]))
  for (const chunk of chunks(states, pk.length, r.maxParams)) {
    const query = runnable(selectNode(info.ref, inTuples(info, pk, chunk.map((s) => pkValues(info, s.obj)))))
    for (const row of (await r.all(query)) as Entity[]) {
      const s = byKey.get(tupleKey(pkValues(info, row)))
      if (s) for (const k of keys) assign(s, k, row[k])
    }
  }
}

/** `pk = values` (each column of a composite key). */
export function pkCondition(info: TableInfo, values: readonly unknown[]): Node {
  return andNode(info.pk.map((c, i) => eqNode(columnOf(info.ref, c.key), values[i])))
}
