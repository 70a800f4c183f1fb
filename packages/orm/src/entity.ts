/**
 * Entities are the plain objects users hold. Beside each one the session keeps its state as
 * data: status, identity key, column snapshot, which relations are loaded and what they held.
 * A relation that is not loaded is an inherited accessor that throws `RelationNotLoadedError`;
 * loading or assigning it puts an ordinary enumerable property on the object itself.
 */
import type { ColumnMeta } from '@quarry/core'
import { RelationNotLoadedError, SessionError } from './errors'
import { takeSnapshot, type Snapshot } from './snapshot'
import type { ResolvedRelation, TableInfo } from './tables'

/** An entity as the runtime sees it. */
export type Entity = Record<string, unknown>

/** What a loaded relation held: the members of a collection, or the related object (or null). */
export type RelationValue = readonly Entity[] | Entity | null

/** pending: added, not flushed; persistent: in the database and the identity map; deleted: marked, not flushed; detached: no longer tracked. */
export type Status = 'pending' | 'persistent' | 'deleted' | 'detached'

/** The session's record of one entity. */
export interface EntityState {
  /** A process-wide sequence number (stable keys for association rows). */
  readonly seq: number
  readonly info: TableInfo
  readonly obj: Entity
  /** The session tracking the entity. */
  owner: object | undefined
  status: Status
  /** Identity-map key, once the primary key is known. */
  key: string | undefined
  /** Column values at the last load or flush (undefined while pending). */
  snapshot: Snapshot | undefined
  /** Column values at the last commit or load: what a rollback restores. */
  committed: Snapshot | undefined
  /** Relations that hold a value on the object itself. */
  readonly loaded: Set<string>
  /** What each loaded relation held at the last load or flush. */
  readonly relSnapshot: Map<string, RelationValue>
  /** What each loaded relation held at the last commit or load. */
  relCommitted: Map<string, RelationValue>
  /** Columns a flush filled in from the database, undone when a rollback expunges a new row. */
  generated: string[] | undefined
}

const states = new WeakMap<object, EntityState>()
let sequence = 0

/** The state of an entity, if some session ever tracked it. */
export function stateOf(obj: unknown): EntityState | undefined {
  return typeof obj === 'object' && obj !== null ? states.get(obj) : undefined
}

/** Starts tracking `obj` as an entity of `info` (it becomes an instance of the table's entity prototype). */
export function track(obj: Entity, info: TableInfo, owner: object, status: Status): EntityState {
  const state: EntityState = {
    seq: ++sequence,
    info,
    obj,
    owner,
    status,
    key: undefined,
    snapshot: undefined,
    committed: undefined,
    loaded: new Set(),
    relSnapshot: new Map(),
    relCommitted: new Map(),
    generated: undefined,
  }
  states.set(obj, state)
  installAccessors(obj, info)
  return state
}

/** Marks the state as loaded from the database: snapshot taken, identity known. */
export function markLoaded(state: EntityState): void {
  state.snapshot = takeSnapshot(state.obj, state.info.tracked)
  state.committed = state.snapshot
  state.key = identityKey(state.info, pkValues(state.info, state.obj))
}

const prototypes = new WeakMap<TableInfo, object>()

/** The prototype of a table's entities: one throwing accessor per relation, nothing enumerable. */
function entityPrototype(info: TableInfo): object {
  let proto = prototypes.get(info)
  if (proto) return proto
  proto = Object.create(Object.prototype) as object
  for (const rel of info.relations) Object.defineProperty(proto, rel.key, relationAccessor(info, rel))
  prototypes.set(info, proto)
  return proto
}

function relationAccessor(info: TableInfo, rel: ResolvedRelation): PropertyDescriptor {
  return {
    configurable: true,
    enumerable: false,
    get() {
      throw new RelationNotLoadedError(info.meta.key, rel.key)
    },
    set(this: Entity, value: unknown) {
      const state = states.get(this)
      if (rel.many && state && state.status !== 'pending') {
        throw new SessionError(
          `cannot replace ${info.meta.key}.${rel.key} before it is loaded: load it with selectinload(${info.meta.key}.${rel.key}) first, so the session knows what to remove`,
        )
      }
      setRelation(this, rel.key, value)
      state?.loaded.add(rel.key)
    },
  }
}

function installAccessors(obj: Entity, info: TableInfo): void {
  if (info.relations.length === 0) return
  const current = Object.getPrototypeOf(obj)
  if (current === Object.prototype) {
    Object.setPrototypeOf(obj, entityPrototype(info))
    return
  }
  if (current === entityPrototype(info)) return
  // Objects with their own prototype keep it; the accessors go on the object.
  for (const rel of info.relations) {
    if (!Object.prototype.hasOwnProperty.call(obj, rel.key)) Object.defineProperty(obj, rel.key, relationAccessor(info, rel))
  }
}

/** Puts a relation value on the object itself (shadowing the throwing accessor). */
export function setRelation(obj: Entity, key: string, value: unknown): void {
  Object.defineProperty(obj, key, { value, writable: true, enumerable: true, configurable: true })
}

/** True when the object holds the relation itself (loaded or assigned). */
export function hasOwnRelation(obj: Entity, key: string): boolean {
  const desc = Object.getOwnPropertyDescriptor(obj, key)
  return desc !== undefined && 'value' in desc
}

/** Marks a relation loaded with `value`, recording what it held. */
export function loadRelation(state: EntityState, rel: ResolvedRelation, value: Entity[] | Entity | null): void {
  setRelation(state.obj, rel.key, value)
  state.loaded.add(rel.key)
  const copy = Array.isArray(value) ? value.slice() : value
  state.relSnapshot.set(rel.key, copy)
  if (state.committed) state.relCommitted.set(rel.key, copy)
}

/** The current members of a loaded relation, as a list. */
export function members(value: unknown): readonly Entity[] {
  if (value === null || value === undefined) return []
  return Array.isArray(value) ? (value as Entity[]) : [value as Entity]
}

/** The primary-key values of an entity. */
export function pkValues(info: TableInfo, obj: Entity): unknown[] {
  return info.pk.map((c) => obj[c.key])
}

function keyPart(value: unknown, column: ColumnMeta): string {
  if (column.type === 'integer' || column.type === 'smallint') return String(Number(value))
  if (typeof value === 'bigint') return value.toString()
  if (value instanceof Date) return 'd' + value.getTime()
  return typeof value === 'string' ? value : JSON.stringify(value)
}

/** The identity-map key of a row of `info`: table and primary key (undefined when incomplete). */
export function identityKey(info: TableInfo, values: readonly unknown[]): string | undefined {
  let key = info.meta.key
  for (let i = 0; i < values.length; i++) {
    const value = values[i]
    if (value === null || value === undefined) return undefined
    key += '\u0001' + keyPart(value, info.pk[i])
  }
  return key
}
