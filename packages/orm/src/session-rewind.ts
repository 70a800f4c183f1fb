/**
 * Putting tracked objects back as they were at an earlier point: the last commit (`rollback()`)
 * or a savepoint (`nested()`). Column values, loaded relations and statuses return to that
 * point; objects the session did not hold then leave it, without the values the database
 * generated for them since.
 */
import { copyRelations, entityKey, hasOwnRelation, setRelation, unloadRelation, type EntityState, type GeneratedKeys, type RelationValue, type Status } from './entity.js'
import { createRegistry, forget, identityStates, putIdentity, type Registry } from './registry.js'
import { changedColumns, restored, type Snapshot } from './snapshot.js'

/** What one object was at a point: its column values, loaded relations and status. */
export interface Point {
  readonly snapshot: Snapshot
  readonly relations: ReadonlyMap<string, RelationValue>
  readonly generated: GeneratedKeys | undefined
  /** `persistent`, or `deleted` for a row a flush had deleted by then. */
  readonly status: Status
}

/** Every object a registry tracks, whatever its status. */
export function trackedStates(reg: Registry): Set<EntityState> {
  return new Set<EntityState>([...identityStates(reg), ...reg.pending, ...reg.deleted, ...reg.removed])
}

/** The last commit (or load) of an object, or `undefined` for an object new since. */
export function committedPoint(state: EntityState): Point | undefined {
  return state.committed ? { snapshot: state.committed, relations: state.relCommitted, generated: undefined, status: 'persistent' } : undefined
}

/**
 * Every object of `reg` as it is now, after a flush (a savepoint's mark): nothing is pending or
 * marked for deletion then, so snapshots are the values.
 */
export function markPoints(reg: Registry): Map<EntityState, Point> {
  const out = new Map<EntityState, Point>()
  for (const state of identityStates(reg)) out.set(state, { snapshot: state.snapshot!, relations: state.relSnapshot, generated: state.generated, status: 'persistent' })
  for (const state of reg.removed) out.set(state, { snapshot: state.snapshot!, relations: state.relSnapshot, generated: state.generated, status: 'deleted' })
  return out
}

/** Puts every object of `reg` back at its point (`pointOf`); returns the registry that results. */
export function rewind(reg: Registry, pointOf: (state: EntityState) => Point | undefined): Registry {
  const fresh = createRegistry(reg.owner)
  for (const state of trackedStates(reg)) {
    const point = pointOf(state)
    if (!point) {
      for (const key of state.generated?.keys ?? []) delete state.obj[key]
      state.generated = undefined
      forget(reg, state)
      continue
    }
    // Rows untouched since the point keep their values (no copies to make).
    const untouched = state.snapshot === point.snapshot && changedColumns(state.obj, point.snapshot, state.info.tracked).length === 0
    if (!untouched) {
      state.info.tracked.forEach((c, i) => {
        // A computed field that was never read stays absent.
        if (!c.computed || point.snapshot[i] !== undefined) state.obj[c.key] = restored(point.snapshot[i], c)
      })
    }
    if (state.loaded.size) {
      for (const key of [...state.loaded]) {
        if (point.relations.has(key)) {
          const value = point.relations.get(key)!
          setRelation(state.obj, key, Array.isArray(value) ? value.slice() : value)
        } else if (hasOwnRelation(state.obj, key)) unloadRelation(state, key)
      }
    }
    if (point.relations.size) {
      const relations = new Map<string, RelationValue>()
      for (const [key, value] of point.relations) relations.set(key, Array.isArray(value) ? value.slice() : value)
      state.relSnapshot = relations
    } else state.relSnapshot = copyRelations(point.relations)
    state.snapshot = point.snapshot
    state.generated = point.generated
    state.status = point.status
    state.key = entityKey(state.info, state.obj)
    if (point.status === 'deleted') fresh.removed.add(state)
    else putIdentity(fresh, state)
  }
  return fresh
}
