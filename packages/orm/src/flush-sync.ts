/**
 * After a flush succeeds: new rows enter the identity map, snapshots are retaken, and both
 * sides of every `backPopulates` pair are brought into agreement where they are loaded.
 */
import { entityKey, identityKey, members, setRelation, snapshotRelations, stateOf, type Entity, type EntityState, type IdentityKey } from './entity.js'
import type { FlushDone, } from './flush-run.js'
import type { Binding, FlushPlan, Link } from './flush-plan.js'
import { dropIdentity, findIdentity, identityTable, putIdentity, type Registry } from './registry.js'
import { restored } from './snapshot.js'
import { tableInfo, type ResolvedRelation, type TableInfo } from './tables.js'

function removeFrom(list: unknown, item: Entity): void {
  if (!Array.isArray(list)) return
  const i = list.indexOf(item)
  if (i >= 0) list.splice(i, 1)
}

function addTo(list: unknown, item: Entity): void {
  if (Array.isArray(list) && !list.includes(item)) list.push(item)
}

/** The parent a child pointed at before the flush: its loaded reference, or its old foreign key. */
function formerParent(reg: Registry, child: EntityState, rel: ResolvedRelation): EntityState | undefined {
  if (child.relSnapshot.has(rel.key)) return stateOf(child.relSnapshot.get(rel.key)) ?? undefined
  if (!child.snapshot) return undefined
  const target = tableInfo(rel.target)
  const targetIsPk = rel.meta.targetColumns.length === target.pk.length && target.pk.every((c, i) => c.key === rel.meta.targetColumns[i])
  if (!targetIsPk) return undefined
  const values = rel.meta.sourceColumns.map((c) => restored(child.snapshot![child.info.stored.findIndex((s) => s.key === c)], child.info.meta.columns[c]))
  return findIdentity(reg, target, identityKey(target, values))
}

function syncBinding(reg: Registry, b: Binding): void {
  const { rel } = b
  if (!rel.many) {
    // A to-one assignment on the child: move it between the parents' collections.
    const back = rel.back
    if (!back) return
    const before = formerParent(reg, b.child, rel)
    if (before && before !== b.parent && before.loaded.has(back)) removeFrom(before.obj[back], b.child.obj)
    if (b.parent?.loaded.has(back)) addTo(b.parent.obj[back], b.child.obj)
    return
  }
  // A collection change on the parent: set the child's reference, leave the old parent's collection.
  const back = rel.back
  const childRel = back ? tableInfo(rel.target).relationsByKey[back] : undefined
  if (b.parent) {
    if (childRel) {
      const before = formerParent(reg, b.child, childRel)
      if (before && before !== b.parent && before.loaded.has(rel.key)) removeFrom(before.obj[rel.key], b.child.obj)
      if (b.child.loaded.has(childRel.key)) setRelation(b.child.obj, childRel.key, b.parent.obj)
    }
  } else if (childRel && b.child.loaded.has(childRel.key) && b.child.obj[childRel.key] === b.origin.obj) {
    setRelation(b.child.obj, childRel.key, null)
  }
}

function syncLink(link: Link, added: boolean): void {
  const back = link.rel.back
  if (!back || !link.target.loaded.has(back)) return
  if (added) addTo(link.target.obj[back], link.source.obj)
  else removeFrom(link.target.obj[back], link.source.obj)
}

/** Takes deleted entities out of the loaded relations that point back at them. */
function detachDeleted(reg: Registry, state: EntityState): void {
  for (const rel of state.info.relations) {
    if (!rel.back) continue
    const others = state.loaded.has(rel.key) ? members(state.obj[rel.key]).map(stateOf) : !rel.many ? [formerParent(reg, state, rel)] : []
    for (const other of others) {
      if (!other || !other.loaded.has(rel.back)) continue
      const value = other.obj[rel.back]
      if (Array.isArray(value)) removeFrom(value, state.obj)
      else if (value === state.obj) setRelation(other.obj, rel.back, null)
    }
  }
}

/** Records a successful flush: identity map, statuses, snapshots, both sides of relations. */
export function finishFlush(reg: Registry, plan: FlushPlan, done: FlushDone): void {
  for (const child of plan.bound) {
    const found = child.bound!
    // The bindings have served: drop them, so the child no longer holds its parent's state.
    child.bound = child.boundBy = undefined
    if (!Array.isArray(found)) syncBinding(reg, found as Binding)
    else if (found.length === 1) syncBinding(reg, found[0])
    else {
      const seen = new Set<ResolvedRelation>()
      for (const b of found as readonly Binding[]) {
        if (seen.has(b.rel)) continue
        seen.add(b.rel)
        syncBinding(reg, b)
      }
    }
  }
  for (const link of plan.linksAdded) syncLink(link, true)
  for (const link of plan.linksRemoved) syncLink(link, false)
  for (const state of done.deleted) detachDeleted(reg, state)

  // Inserted rows come table by table: the identity map of the last table is kept at hand.
  let info: TableInfo | undefined
  let table: Map<IdentityKey, EntityState> | undefined
  let wasPending = 0
  for (const state of done.inserted) {
    // Pending objects of this session are exactly those in `reg.pending`.
    if (state.status === 'pending' && state.owner === reg.owner) wasPending++
    state.status = 'persistent'
    const key = (state.key = entityKey(state.info, state.obj))
    if (key !== undefined) {
      if (state.info !== info) table = identityTable(reg, (info = state.info))
      table!.set(key, state)
    }
    state.snapshot = state.info.takeSnapshot(state.obj)
  }
  // Usually the flush inserted every pending object: emptying the set costs less than deleting each.
  if (wasPending === reg.pending.size) reg.pending.clear()
  else for (const state of done.inserted) reg.pending.delete(state)
  for (const state of done.updated) {
    state.snapshot = state.info.takeSnapshot(state.obj)
    const key = entityKey(state.info, state.obj)
    if (key !== state.key) {
      dropIdentity(reg, state)
      state.key = key
      putIdentity(reg, state)
    }
  }
  for (const state of done.deleted) {
    reg.deleted.delete(state)
    dropIdentity(reg, state)
    reg.removed.add(state)
  }
  reg.softDeleted.clear()
  for (const table of reg.identity.values()) for (const state of table.values()) if (state.loaded.size) snapshotRelations(state)
}
