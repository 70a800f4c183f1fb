/**
 * Entities are the plain objects users hold. Beside each one the session keeps its state as
 * data: status, identity key, column snapshot, which relations are loaded and what they held.
 * A relation that is not loaded is a non-enumerable accessor that throws `RelationNotLoadedError`
 * (inherited from the table's entity prototype for rows read from the database, on the object
 * itself for objects passed to `add()`); loading or assigning it puts an ordinary enumerable
 * property on the object itself.
 */
import type { ColumnMeta } from '@quarry/core'
import { generated } from '@quarry/core/internal'
import { RelationNotLoadedError, SessionError } from './errors.js'
import type { Binding } from './flush-plan.js'
import type { Snapshot } from './snapshot.js'
import type { ResolvedRelation, TableInfo } from './tables.js'

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
  /** Identity-map key (within the table), once the primary key is known. */
  key: IdentityKey | undefined
  /** Column values at the last load or flush (undefined while pending). */
  snapshot: Snapshot | undefined
  /** Column values at the last commit or load: what a rollback restores. */
  committed: Snapshot | undefined
  /** Relations that hold a value on the object itself (often a set shared between entities: change it with `markRelationLoaded`). */
  loaded: ReadonlySet<string>
  /** What each loaded relation held at the last load or flush (shared and empty until set with `setRelSnapshot`). */
  relSnapshot: ReadonlyMap<string, RelationValue>
  /** What each loaded relation held at the last commit or load. */
  relCommitted: ReadonlyMap<string, RelationValue>
  /** Columns a flush filled in from the database, undone when a rollback expunges a new row (shared: change it with `markGenerated`). */
  generated: GeneratedKeys | undefined
  /** The foreign-key bindings a flush plan gave this entity (valid while `boundBy` is that plan's token). */
  bound: Binding | Binding[] | undefined
  boundBy: object | undefined
}

/**
 * Where an entity's state lives: a non-enumerable symbol property of the object. (A process-wide
 * WeakMap was the obvious choice, but a large, long-lived WeakMap makes every insertion and every
 * garbage collection slow: in V8 each entry is an ephemeron.)
 */
const STATE = Symbol('quarry.entity')
let sequence = 0
/** One descriptor object for every `STATE` property (its value is set just before use). */
const STATE_PROPERTY: PropertyDescriptor = { value: undefined, writable: true, enumerable: false, configurable: true }

/** The state of an entity, if some session ever tracked it. */
export function stateOf(obj: unknown): EntityState | undefined {
  if (typeof obj !== 'object' || obj === null) return undefined
  const state = (obj as { [STATE]?: EntityState })[STATE]
  // Own only: an object whose prototype is an entity is not that entity.
  return state !== undefined && state.obj === obj ? state : undefined
}

// Most entities never load a relation: they share these until they do.
const NO_RELATIONS: ReadonlySet<string> = new Set()
const NO_VALUES: ReadonlyMap<string, RelationValue> = new Map()

/** Starts tracking `obj` as an entity of `info` (relation accessors are the caller's business: see `entityFromRow`, `installAccessors`). */
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
    loaded: NO_RELATIONS,
    relSnapshot: NO_VALUES,
    relCommitted: NO_VALUES,
    generated: undefined,
    bound: undefined,
    boundBy: undefined,
  }
  STATE_PROPERTY.value = state
  Object.defineProperty(obj, STATE, STATE_PROPERTY)
  STATE_PROPERTY.value = undefined
  return state
}

/**
 * Sets of loaded relations shared between entities, never changed: most entities of a table
 * load the same few relations, in the same order. Going from one to the next adds one key
 * (like V8's hidden-class transitions); sets above `MAX_SHARED` keys are each entity's own.
 */
const sharedLoaded = new Map<ReadonlySet<string>, Map<string, ReadonlySet<string>>>([[NO_RELATIONS, new Map()]])
const MAX_SHARED = 4

/** Records that `key` holds a value on the object itself. */
export function markRelationLoaded(state: EntityState, key: string): void {
  const current = state.loaded
  if (current.has(key)) return
  const next = sharedLoaded.get(current)
  if (!next) {
    ;(current as Set<string>).add(key)
    return
  }
  let set = next.get(key)
  if (!set) {
    set = new Set(current).add(key)
    if (set.size <= MAX_SHARED) {
      next.set(key, set)
      sharedLoaded.set(set, new Map())
    }
  }
  state.loaded = set
}

/** Records that `key` no longer holds a value on the object. */
export function markRelationUnloaded(state: EntityState, key: string): void {
  if (!state.loaded.has(key)) return
  if (sharedLoaded.has(state.loaded)) {
    const own = new Set(state.loaded)
    own.delete(key)
    state.loaded = own
  } else (state.loaded as Set<string>).delete(key)
}

/** Records what a loaded relation holds now (at a load or flush). */
export function setRelSnapshot(state: EntityState, key: string, value: RelationValue): void {
  // A commit shares the snapshot with `relCommitted`, and some maps are shared between entities: copy before changing.
  if (sharedValues.has(state.relSnapshot) || state.relSnapshot === state.relCommitted) state.relSnapshot = new Map(state.relSnapshot).set(key, value)
  else (state.relSnapshot as Map<string, RelationValue>).set(key, value)
}

/** Relation maps shared between entities (never changed). */
const sharedValues = new WeakSet<ReadonlyMap<string, RelationValue>>([NO_VALUES])
const emptyByLoaded = new WeakMap<ReadonlySet<string>, ReadonlyMap<string, RelationValue>>()
const NO_ENTITIES: readonly Entity[] = Object.freeze([])

/**
 * Records what the loaded relations hold now, after a flush. A new entity whose loaded relations
 * are all empty (a post's `tags: []`) shares one map with the others like it.
 */
export function snapshotRelations(state: EntityState): void {
  let empty = state.relSnapshot.size === 0 && sharedLoaded.has(state.loaded)
  for (const key of state.loaded) {
    const value = state.obj[key]
    if (empty && (state.info.relationsByKey[key].many ? Array.isArray(value) && value.length === 0 : value === null)) continue
    if (empty) {
      // Not all empty after all: record the keys passed over.
      empty = false
      for (const before of state.loaded) {
        if (before === key) break
        const v = state.obj[before]
        setRelSnapshot(state, before, Array.isArray(v) ? NO_ENTITIES : null)
      }
    }
    const had = state.relSnapshot.get(key)
    if (!Array.isArray(value)) {
      if (had !== value || !state.relSnapshot.has(key)) setRelSnapshot(state, key, value as Entity | null)
    } else if (!Array.isArray(had) || !sameList(had, value)) setRelSnapshot(state, key, value.length ? value.slice() : NO_ENTITIES)
  }
  if (!empty) return
  let shared = emptyByLoaded.get(state.loaded)
  if (!shared) {
    const map = new Map<string, RelationValue>()
    for (const key of state.loaded) map.set(key, state.info.relationsByKey[key].many ? NO_ENTITIES : null)
    sharedValues.add(map)
    emptyByLoaded.set(state.loaded, (shared = map))
  }
  state.relSnapshot = shared
}

/** True when two lists hold the same members in the same order. */
export function sameList(a: readonly unknown[], b: readonly unknown[]): boolean {
  if (a.length !== b.length) return false
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false
  return true
}

/** A copy of a relation map (the shared empty one stays shared). */
export function copyRelations(values: ReadonlyMap<string, RelationValue>): ReadonlyMap<string, RelationValue> {
  return values.size === 0 ? NO_VALUES : new Map(values)
}

/**
 * The object a row read from the database becomes: the row itself for a table without relations,
 * else a new instance of the table's entity prototype holding the row's values. (Creating it from
 * the prototype is far cheaper than `Object.setPrototypeOf` on the row, which also leaves V8
 * storing to the object on a slow path.)
 */
export function entityFromRow(row: Entity, info: TableInfo): Entity {
  if (info.relations.length === 0) return row
  if (info !== lastInfo) {
    lastInfo = info
    let build = builders.get(info)
    if (!build) builders.set(info, (build = entityBuilder(info)))
    lastBuild = build
  }
  return lastBuild!(row)
}

// Rows come in runs of one table: the last builder is kept at hand.
const builders = new WeakMap<TableInfo, (row: Entity) => Entity>()
let lastInfo: TableInfo | undefined
let lastBuild: ((row: Entity) => Entity) | undefined

/**
 * A table's entity constructor, generated once: a plain function used with `new`, whose
 * `prototype` is the entity prototype, assigning every column by name in declaration order (so
 * all entities of the table share one V8 shape). A computed field the row lacks stays absent.
 */
function entityBuilder(info: TableInfo): (row: Entity) => Entity {
  const proto = entityPrototype(info)
  const columns = info.meta.columnList
  const body = columns.map((c) => {
    const key = JSON.stringify(c.key)
    return c.computed ? `if (${key} in r) this[${key}] = r[${key}]` : `this[${key}] = r[${key}]`
  })
  const Entity = columns.some((c) => c.key === '__proto__')
    ? undefined
    : generated<{ new (row: Entity): Entity; prototype: object }>(`function Entity(r) {\n${body.join('\n')}\n}`)
  if (Entity) {
    Entity.prototype = proto
    return (row) => new Entity(row)
  }
  return (row) => {
    const obj = Object.create(proto) as Entity
    for (const c of columns) if (!c.computed || c.key in row) obj[c.key] = row[c.key]
    return obj
  }
}

/**
 * The columns a flush filled in, as a node shared between entities and never changed: the rows
 * of one insert get the same columns filled in the same order, so each node leads on to the
 * next by one key (one map lookup per filled column).
 */
export interface GeneratedKeys {
  readonly keys: readonly string[]
  readonly next: Map<string, GeneratedKeys>
}

const NO_GENERATED: GeneratedKeys = { keys: Object.freeze([]), next: new Map() }

/** Records that the flush filled in `key` (a rollback that drops the new row deletes it again). */
export function markGenerated(state: EntityState, key: string): void {
  const current = state.generated ?? NO_GENERATED
  let next = current.next.get(key)
  if (next === undefined) current.next.set(key, (next = { keys: Object.freeze([...current.keys, key]), next: new Map() }))
  state.generated = next
}

/** Marks the state as loaded from the database: snapshot taken, identity known. */
export function markLoaded(state: EntityState): void {
  state.snapshot = state.info.takeSnapshot(state.obj)
  state.committed = state.snapshot
  state.key = entityKey(state.info, state.obj)
}

const prototypes = new WeakMap<TableInfo, object>()
const accessors = new WeakMap<TableInfo, readonly PropertyDescriptor[]>()

/** The prototype of a table's entities: one throwing accessor per relation, nothing enumerable. */
function entityPrototype(info: TableInfo): object {
  let proto = prototypes.get(info)
  if (proto) return proto
  proto = Object.create(Object.prototype) as object
  const descriptors = relationAccessors(info)
  info.relations.forEach((rel, i) => Object.defineProperty(proto, rel.key, descriptors[i]))
  prototypes.set(info, proto)
  return proto
}

/** One throwing accessor per relation of the table, in `info.relations` order. */
function relationAccessors(info: TableInfo): readonly PropertyDescriptor[] {
  let out = accessors.get(info)
  if (!out) accessors.set(info, (out = info.relations.map((rel) => relationAccessor(info, rel))))
  return out
}

function relationAccessor(info: TableInfo, rel: ResolvedRelation): PropertyDescriptor {
  return {
    configurable: true,
    enumerable: false,
    get() {
      throw new RelationNotLoadedError(info.meta.key, rel.key)
    },
    set(this: Entity, value: unknown) {
      const state = stateOf(this)
      if (rel.many && state && state.status !== 'pending') {
        throw new SessionError(
          `cannot replace ${info.meta.key}.${rel.key} before it is loaded: load it with selectinload(${info.meta.key}.${rel.key}) first, so the session knows what to remove`,
        )
      }
      setRelation(this, rel.key, value)
      if (state) markRelationLoaded(state, rel.key)
    },
  }
}

/**
 * Gives an object passed to `add()` a throwing accessor for each relation it does not hold. They
 * go on the object itself, non-enumerable: changing the prototype of an existing object is slow
 * in V8 and leaves every later store to it slow too.
 */
export function installAccessors(obj: Entity, info: TableInfo): void {
  if (info.relations.length === 0 || Object.getPrototypeOf(obj) === prototypes.get(info)) return
  const descriptors = relationAccessors(info)
  info.relations.forEach((rel, i) => {
    if (!hasOwn(obj, rel.key)) Object.defineProperty(obj, rel.key, descriptors[i])
  })
}

const hasOwn = (obj: object, key: string): boolean => Object.prototype.hasOwnProperty.call(obj, key)

/**
 * Readies an object passed to `add()` in one pass over its table's relations: a relation it holds
 * is loaded, a missing collection becomes `[]` (loaded), a missing to-one relation gets the
 * throwing accessor (as `installAccessors` does). `fresh`: the object was never tracked, so an
 * own relation property is a value (the session's accessors are only on tracked objects).
 */
export function prepareAdded(state: EntityState, fresh: boolean): void {
  const { obj, info } = state
  const relations = info.relations
  if (relations.length === 0) return
  const proto = Object.getPrototypeOf(obj)
  const plain = proto === Object.prototype
  const accessorsNeeded = !plain && proto === prototypes.get(info) ? undefined : relationAccessors(info)
  const byMask = state.loaded === NO_RELATIONS && relations.length <= 31
  let mask = 0
  for (let i = 0; i < relations.length; i++) {
    const rel = relations[i]
    const own = hasOwn(obj, rel.key)
    if (own && ((fresh && plain) || hasOwnRelation(obj, rel.key))) {
      if (byMask) mask |= 1 << i
      else markRelationLoaded(state, rel.key)
    } else if (rel.many) {
      // A plain object has no accessor to shadow yet: an assignment makes the same property, faster.
      if (plain) obj[rel.key] = []
      else setRelation(obj, rel.key, [])
      if (byMask) mask |= 1 << i
      else markRelationLoaded(state, rel.key)
    } else if (!own && accessorsNeeded) Object.defineProperty(obj, rel.key, accessorsNeeded[i])
  }
  if (byMask && mask !== 0) state.loaded = loadedSet(state, mask)
}

/** Per table, the shared set of loaded relations each mask of relation indexes stands for. */
const loadedByMask = new WeakMap<TableInfo, Map<number, ReadonlySet<string>>>()

/** The loaded set of `mask` (relation indexes of the state's table), reached by the shared transitions of `markRelationLoaded`. */
function loadedSet(state: EntityState, mask: number): ReadonlySet<string> {
  let byMask = loadedByMask.get(state.info)
  if (!byMask) loadedByMask.set(state.info, (byMask = new Map()))
  let set = byMask.get(mask)
  if (set) return set
  state.loaded = NO_RELATIONS
  state.info.relations.forEach((rel, i) => {
    if (mask & (1 << i)) markRelationLoaded(state, rel.key)
  })
  // Only a shared set may be handed to other entities (a larger one is each entity's own).
  if (sharedLoaded.has(state.loaded)) byMask.set(mask, state.loaded)
  return state.loaded
}

/** Takes a relation value off the object: reading the relation throws again. */
export function unloadRelation(state: EntityState, key: string): void {
  delete state.obj[key]
  markRelationUnloaded(state, key)
  installAccessors(state.obj, state.info)
}

/** Puts a relation value on the object itself (shadowing the throwing accessor). */
export function setRelation(obj: Entity, key: string, value: unknown): void {
  RELATION_PROPERTY.value = value
  Object.defineProperty(obj, key, RELATION_PROPERTY)
  RELATION_PROPERTY.value = undefined
}

/** One descriptor object for every relation value put on an object. */
const RELATION_PROPERTY: PropertyDescriptor = { value: undefined, writable: true, enumerable: true, configurable: true }

/** True when the object holds the relation itself (loaded or assigned). */
export function hasOwnRelation(obj: Entity, key: string): boolean {
  if (!hasOwn(obj, key)) return false
  const desc = Object.getOwnPropertyDescriptor(obj, key)
  return desc !== undefined && 'value' in desc
}

/** Marks a relation loaded with `value`, recording what it held. */
export function loadRelation(state: EntityState, rel: ResolvedRelation, value: Entity[] | Entity | null): void {
  setRelation(state.obj, rel.key, value)
  markRelationLoaded(state, rel.key)
  const copy = Array.isArray(value) ? (value.length ? value.slice() : NO_ENTITIES) : value
  if (state.committed && state.relCommitted === state.relSnapshot) {
    // Both records agree (a row just loaded): they go on sharing one map (see setRelSnapshot).
    state.relSnapshot = state.relCommitted = new Map(state.relSnapshot).set(rel.key, copy)
    return
  }
  setRelSnapshot(state, rel.key, copy)
  if (state.committed) {
    if (sharedValues.has(state.relCommitted) || state.relCommitted === state.relSnapshot) state.relCommitted = new Map(state.relCommitted).set(rel.key, copy)
    else (state.relCommitted as Map<string, RelationValue>).set(rel.key, copy)
  }
}

/** The current members of a loaded relation, as a list. */
export function members(value: unknown): readonly Entity[] {
  if (value === null || value === undefined) return NO_ENTITIES
  return Array.isArray(value) ? (value as Entity[]) : [value as Entity]
}

/** The primary-key values of an entity. */
export function pkValues(info: TableInfo, obj: Entity): unknown[] {
  return info.pk.map((c) => obj[c.key])
}

/** An identity-map key, unique within one table: the key value itself for a one-column integer or string key. */
export type IdentityKey = string | number

function keyPart(value: unknown, column: ColumnMeta): string {
  if (column.type === 'integer' || column.type === 'smallint') return String(Number(value))
  if (typeof value === 'bigint') return value.toString()
  if (value instanceof Date) return 'd' + value.getTime()
  return typeof value === 'string' ? value : JSON.stringify(value)
}

/** The key of one primary-key value (numbers and strings key a Map without building a string). */
function singleKey(value: unknown, column: ColumnMeta): IdentityKey {
  if (column.type === 'integer' || column.type === 'smallint') return typeof value === 'number' ? value : Number(value)
  return typeof value === 'string' ? value : keyPart(value, column)
}

/** The identity-map key of a row of `info` within its table (undefined when the key is incomplete). */
export function identityKey(info: TableInfo, values: readonly unknown[]): IdentityKey | undefined {
  if (values.length === 1) {
    const value = values[0]
    return value === null || value === undefined ? undefined : singleKey(value, info.pk[0])
  }
  let key = ''
  for (let i = 0; i < values.length; i++) {
    const value = values[i]
    if (value === null || value === undefined) return undefined
    key += (i ? '\u0001' : '') + keyPart(value, info.pk[i])
  }
  return key
}

/** The identity-map key of an object's current primary key. */
export function entityKey(info: TableInfo, obj: Entity): IdentityKey | undefined {
  if (info.pk.length !== 1) return identityKey(info, pkValues(info, obj))
  const value = obj[info.pk[0].key]
  return value === null || value === undefined ? undefined : singleKey(value, info.pk[0])
}
