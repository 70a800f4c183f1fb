/**
 * The unit of work as data (after SQLAlchemy's unitofwork.py). From the registry a flush
 * derives, per table, the rows to insert, update and delete; the foreign-key values each row
 * takes from a related object (bindings); the association rows to add and remove (links);
 * and the tables' dependency order, with cycles grouped for row-level ordering.
 */
import { members, sameList, stateOf, type EntityState } from './entity.js'
import { SessionError } from './errors.js'
import type { Registry } from './registry.js'
import { unchanged } from './snapshot.js'
import { tableInfo, type ResolvedRelation, type TableInfo } from './tables.js'
import { sortComponents, type Component } from './topo-sort.js'

/** A foreign-key column of `child` that takes its value from `parent` (or NULL). */
export interface Binding {
  readonly child: EntityState
  readonly column: string
  readonly parent: EntityState | null
  readonly parentColumn: string
  /** Which intent wins on the same column: a to-one assignment (3) over a collection add (2) over a collection removal (1). */
  readonly rank: number
  readonly rel: ResolvedRelation
  /** The entity whose relation changed. */
  readonly origin: EntityState
}

/** One row of an association table, between two entities. */
export interface Link {
  readonly key: string
  readonly through: TableInfo
  readonly rel: ResolvedRelation
  readonly source: EntityState
  readonly target: EntityState
}

/** All association rows of some entities, deleted together (deleted entities of a many-to-many). */
export interface LinkPurge {
  readonly through: TableInfo
  readonly columns: readonly string[]
  readonly entityColumns: readonly string[]
  readonly states: EntityState[]
}

/** The work on one table. */
export interface TableWork {
  readonly info: TableInfo
  readonly inserts: EntityState[]
  /** Persistent rows to compare with their snapshot (and update when changed). */
  readonly updates: EntityState[]
  readonly deletes: EntityState[]
  readonly linkInserts: Link[]
  readonly linkDeletes: Link[]
  readonly purges: LinkPurge[]
}

/** A whole flush, before anything runs. */
export interface FlushPlan {
  /** Tables in dependency order (referenced tables first); cyclic components need row-level order. */
  readonly order: readonly Component<TableWork>[]
  /**
   * The children with bindings. Each child holds its own in `bound` (one binding alone, or a
   * list: read them with `bindingsOf`), valid while its `boundBy` is this plan's `token`.
   */
  readonly bound: readonly EntityState[]
  readonly token: object
  readonly linksAdded: readonly Link[]
  readonly linksRemoved: readonly Link[]
  readonly deleted: readonly EntityState[]
}

function linkKey(rel: ResolvedRelation, source: EntityState, target: EntityState): string {
  const a = `${rel.meta.throughSourceColumns!.join(',')}=${source.seq}`
  const b = `${rel.meta.throughTargetColumns!.join(',')}=${target.seq}`
  return `${rel.through!.key}|${a < b ? a + '|' + b : b + '|' + a}`
}

/** Builds the plan of a flush from the registry (cascades have already run). */
export function planFlush(reg: Registry): FlushPlan {
  const works = new Map<string, TableWork>()
  let last: TableWork | undefined
  const work = (info: TableInfo): TableWork => {
    if (last?.info === info) return last
    let w = works.get(info.meta.key)
    if (!w) works.set(info.meta.key, (w = { info, inserts: [], updates: [], deletes: [], linkInserts: [], linkDeletes: [], purges: [] }))
    return (last = w)
  }
  // Per child, one binding per column (a row has few foreign-key columns: a list beats a map),
  // kept on the child itself: most children have one binding, stored alone without a list.
  const token = {}
  const bound: EntityState[] = []
  const bind = (child: EntityState, parent: EntityState | null, columns: readonly string[], parentColumns: readonly string[], rank: number, rel: ResolvedRelation, origin: EntityState) => {
    if (child.status === 'deleted' || child.status === 'detached') return
    const had = child.boundBy === token ? child.bound : undefined
    if (had === undefined) {
      child.boundBy = token
      bound.push(child)
      if (columns.length === 1) {
        child.bound = { child, column: columns[0], parent, parentColumn: parentColumns[0], rank, rel, origin }
        return
      }
    }
    let list: Binding[]
    if (had === undefined) child.bound = list = []
    else if (Array.isArray(had)) list = had
    else child.bound = list = [had as Binding]
    for (let i = 0; i < columns.length; i++) {
      const column = columns[i]
      let at = list.length - 1
      while (at >= 0 && list[at].column !== column) at--
      const binding: Binding = { child, column, parent, parentColumn: parentColumns[i], rank, rel, origin }
      if (at < 0) list.push(binding)
      else if (rank >= list[at].rank) list[at] = binding
    }
  }
  const added = new Map<string, Link>()
  const removed = new Map<string, Link>()

  const visit = (state: EntityState): void => {
    refuseComputedWrites(state)
    if (state.status === 'pending') work(state.info).inserts.push(state)
    else work(state.info).updates.push(state)
    for (const rel of state.info.relations) {
      if (!state.loaded.has(rel.key)) continue
      const value = state.obj[rel.key]
      const had = state.status === 'pending' ? undefined : state.relSnapshot.get(rel.key)
      if (!rel.many) {
        const known = state.status !== 'pending' && state.relSnapshot.has(rel.key)
        if (known && had === value) continue
        if (state.status === 'pending' && (value === null || value === undefined)) continue
        const parent = value === null || value === undefined ? null : related(reg, value, state, rel)
        bind(state, parent, rel.meta.sourceColumns, rel.meta.targetColumns, 3, rel, state)
        continue
      }
      if (!Array.isArray(value)) throw new SessionError(`${state.info.meta.key}.${rel.key} must be an array`)
      const previous = members(had)
      if (sameList(previous, value)) continue
      // Most collections are new (nothing to remove) or unchanged: sets only when both sides have members.
      const before = previous.length ? new Set(previous) : NO_MEMBERS
      const now = previous.length ? new Set(value) : NO_MEMBERS
      for (const m of value) {
        if (before.has(m)) continue
        const target = related(reg, m, state, rel)
        if (rel.through) {
          const link: Link = { key: linkKey(rel, state, target), through: tableInfo(rel.through), rel, source: state, target }
          added.set(link.key, link)
        } else bind(target, state, rel.meta.targetColumns, rel.meta.sourceColumns, 2, rel, state)
      }
      for (const m of before) {
        if (now.has(m)) continue
        const target = stateOf(m)
        if (!target || target.owner !== reg.owner) continue
        if (rel.through) {
          const link: Link = { key: linkKey(rel, state, target), through: tableInfo(rel.through), rel, source: state, target }
          removed.set(link.key, link)
        } else bind(target, null, rel.meta.targetColumns, rel.meta.sourceColumns, 1, rel, state)
      }
    }
  }
  for (const state of reg.pending) visit(state)
  for (const table of reg.identity.values()) for (const state of table.values()) if (state.status === 'persistent') visit(state)

  const deleted = [...reg.deleted]
  const dead = new Set(deleted)
  for (const state of deleted) {
    work(state.info).deletes.push(state)
    for (const rel of state.info.relations) {
      if (rel.through) {
        const through = tableInfo(rel.through)
        const w = work(through)
        let purge = w.purges.find((p) => p.columns === rel.meta.throughSourceColumns)
        if (!purge) w.purges.push((purge = { through, columns: rel.meta.throughSourceColumns!, entityColumns: rel.meta.sourceColumns, states: [] }))
        purge.states.push(state)
      } else if (rel.many && state.loaded.has(rel.key)) {
        for (const m of members(state.obj[rel.key])) {
          const child = stateOf(m)
          if (child && child.owner === reg.owner && !dead.has(child)) bind(child, null, rel.meta.targetColumns, rel.meta.sourceColumns, 1, rel, state)
        }
      }
    }
  }

  for (const [key, link] of added) {
    if (removed.has(key)) {
      removed.delete(key)
      added.delete(key)
    } else if (dead.has(link.source) || dead.has(link.target)) added.delete(key)
    else work(link.through).linkInserts.push(link)
  }
  for (const [key, link] of removed) {
    if (dead.has(link.source) || dead.has(link.target)) removed.delete(key)
    else work(link.through).linkDeletes.push(link)
  }

  const nodes = [...works.values()]
  const order = sortComponents(nodes, (w) => w.info.meta.foreignKeys.map((fk) => works.get(fk.table)!).filter(Boolean))
  return { order, bound, token, linksAdded: [...added.values()], linksRemoved: [...removed.values()], deleted }
}

const NO_MEMBERS: ReadonlySet<unknown> = new Set()
const NO_BINDINGS: readonly Binding[] = Object.freeze([])

/** The bindings of one child in a plan, as a list. */
export function bindingsOf(plan: FlushPlan, child: EntityState): readonly Binding[] {
  const found = child.boundBy === plan.token ? child.bound : undefined
  return found === undefined ? NO_BINDINGS : Array.isArray(found) ? found : [found as Binding]
}

/** A computed field is never written: a value set on a new object, or changed on a loaded one, is a mistake to report. */
function refuseComputedWrites(state: EntityState): void {
  if (state.info.computed.length === 0) return
  const { info, obj, snapshot } = state
  info.computed.forEach((c, i) => {
    const value = obj[c.key]
    if (value === undefined) return
    if (state.status === 'persistent' && snapshot && unchanged(value, snapshot[info.stored.length + i], c)) return
    throw new SessionError(`${info.meta.key}.${c.key} is computed and cannot be written; change the columns it is computed from`)
  })
}

/** The tracked entity behind a related object (cascades have added it, unless save-update is off). */
function related(reg: Registry, value: unknown, from: EntityState, rel: ResolvedRelation): EntityState {
  const state = stateOf(value)
  if (!state || state.owner !== reg.owner || state.status === 'detached') {
    throw new SessionError(
      `${from.info.meta.key}.${rel.key} holds an object that is not in the session (the relation has no save-update cascade): add it with session.add(${rel.target.key}, …)`,
    )
  }
  return state
}
