/**
 * The session's bookkeeping as plain data: the identity map, what was added or marked for
 * deletion, and what the open transaction has flushed (so a rollback can undo it in memory).
 */
import { entityFromRow, entityKey, markLoaded, prepareAdded, stateOf, track, type Entity, type EntityState, type IdentityKey } from './entity.js'
import { SessionError } from './errors.js'
import { tableInfo, type ResolvedRelation, type TableInfo } from './tables.js'

/** Everything one session tracks. */
export interface Registry {
  /** The session object, recorded on each entity it tracks. */
  readonly owner: object
  /** The identity map: per table key, entities by `identityKey` (use `findIdentity`, `putIdentity`, `dropIdentity`, `identityStates`). */
  readonly identity: Map<string, Map<IdentityKey, EntityState>>
  /** Added, not yet inserted. */
  readonly pending: Set<EntityState>
  /** Marked for deletion, not yet deleted. */
  readonly deleted: Set<EntityState>
  /** Soft-deleted (the marker column set), not yet flushed. */
  readonly softDeleted: Set<EntityState>
  /**
   * Deleted by a flush of the open transaction. (Rows inserted by it need no set of their own:
   * they are the entities without a `committed` snapshot, in the identity map or in `removed`.)
   */
  readonly removed: Set<EntityState>
}

/** An empty registry for a session. */
export function createRegistry(owner: object): Registry {
  return { owner, identity: new Map(), pending: new Set(), deleted: new Set(), softDeleted: new Set(), removed: new Set() }
}

/** The entity of `info` with identity-map key `key`, if the session holds one. */
export function findIdentity(reg: Registry, info: TableInfo, key: IdentityKey | undefined): EntityState | undefined {
  return key === undefined ? undefined : reg.identity.get(info.meta.key)?.get(key)
}

/** The identity map of one table (made on first use). */
export function identityTable(reg: Registry, info: TableInfo): Map<IdentityKey, EntityState> {
  let table = reg.identity.get(info.meta.key)
  if (!table) reg.identity.set(info.meta.key, (table = new Map()))
  return table
}

/** Puts an entity in the identity map under its `key`. */
export function putIdentity(reg: Registry, state: EntityState): void {
  if (state.key === undefined) return
  identityTable(reg, state.info).set(state.key, state)
}

/** Takes an entity out of the identity map (when it is the one its key maps to). */
export function dropIdentity(reg: Registry, state: EntityState): void {
  if (state.key === undefined) return
  const table = reg.identity.get(state.info.meta.key)
  if (table?.get(state.key) === state) table.delete(state.key)
}

/** Every entity in the identity map. */
export function identityStates(reg: Registry): EntityState[] {
  const out: EntityState[] = []
  for (const table of reg.identity.values()) for (const state of table.values()) out.push(state)
  return out
}

function checkObject(value: unknown, info: TableInfo): Entity {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new SessionError(`add(${info.meta.key}): expected a plain object, got ${Array.isArray(value) ? 'an array' : value === null ? 'null' : typeof value}`)
  }
  // A frozen or sealed object is not extensible either: one check on the way in.
  if (!Object.isExtensible(value)) {
    const what = Object.isFrozen(value) ? 'is frozen' : 'is not extensible'
    throw new SessionError(`add(${info.meta.key}): the object ${what}; the session needs to write generated values into it`)
  }
  return value as Entity
}

/** Adds an object to the session (new, or detached and known), cascading along its relations. */
export function addObject(reg: Registry, value: unknown, info: TableInfo): EntityState {
  const obj = checkObject(value, info)
  const existing = stateOf(obj)
  let state: EntityState
  if (existing === undefined) {
    state = track(obj, info, reg.owner, 'pending')
    reg.pending.add(state)
    prepareAdded(state, true)
  } else {
    if (existing.info !== info) throw new SessionError(`add(${info.meta.key}): the object is a ${existing.info.meta.key} entity`)
    if (existing.owner !== reg.owner && existing.status !== 'detached') {
      throw new SessionError(`add(${info.meta.key}): the object belongs to another session; expunge it there first`)
    }
    state = existing
    if (existing.owner === reg.owner && existing.status !== 'detached') {
      if (state.status === 'deleted' && reg.deleted.has(state)) {
        reg.deleted.delete(state)
        state.status = 'persistent'
      }
      return state
    }
    if (existing.snapshot && existing.key !== undefined) {
      const clash = findIdentity(reg, info, existing.key)
      if (clash && clash !== existing) throw new SessionError(`add(${info.meta.key}): another object with the same primary key is already in this session`)
      existing.owner = reg.owner
      existing.status = 'persistent'
      putIdentity(reg, existing)
    } else {
      state.owner = reg.owner
      state.status = 'pending'
      reg.pending.add(state)
      prepareAdded(state, false)
    }
  }
  cascadeAdd(reg, state)
  return state
}

/** Adds the objects reachable through `state`'s loaded save-update relations. */
export function cascadeAdd(reg: Registry, state: EntityState): void {
  const { relations } = state.info
  for (let i = 0; i < relations.length; i++) {
    const rel = relations[i]
    if (!rel.saveUpdate || !state.loaded.has(rel.key)) continue
    const value = state.obj[rel.key]
    if (!rel.many && !Array.isArray(value)) {
      if (value !== null && value !== undefined) addMember(reg, value, rel)
      continue
    }
    if (!Array.isArray(value)) throw new SessionError(`${state.info.meta.key}.${rel.key} must be an array`)
    for (let j = 0; j < value.length; j++) addMember(reg, value[j], rel)
  }
}

/** Adds one related object unless the session already tracks it. */
function addMember(reg: Registry, member: unknown, rel: ResolvedRelation): void {
  const m = stateOf(member)
  if (m && m.owner === reg.owner && m.status !== 'detached') return
  addObject(reg, member, tableInfo(rel.target))
}

/** Tracks a row read from the database, or returns the entity already in the identity map. */
export function adopt(reg: Registry, row: Entity, info: TableInfo): EntityState {
  const key = entityKey(info, row)
  if (key === undefined) throw new SessionError(`a ${info.meta.key} row came back without its primary key`)
  let table = reg.identity.get(info.meta.key)
  if (!table) reg.identity.set(info.meta.key, (table = new Map()))
  const known = table.get(key)
  if (known) return known
  const state = track(entityFromRow(row, info), info, reg.owner, 'persistent')
  markLoaded(state)
  table.set(key, state)
  return state
}

/** Stops tracking an entity (its object stays as it is). */
export function forget(reg: Registry, state: EntityState): void {
  reg.pending.delete(state)
  reg.deleted.delete(state)
  reg.softDeleted.delete(state)
  reg.removed.delete(state)
  dropIdentity(reg, state)
  state.status = 'detached'
  state.owner = undefined
}

/** The tracked state of an object, or an error naming what is wrong with it. */
export function ownState(reg: Registry, obj: unknown, what: string): EntityState {
  const state = stateOf(obj)
  if (!state || state.owner !== reg.owner || state.status === 'detached') {
    throw new SessionError(`${what}: the object is not in this session (add it, or load it through this session)`)
  }
  return state
}
