/**
 * Cascades run at the start of a flush: save-update pulls new objects reachable from tracked
 * ones into the session; delete-orphan marks children removed from their parent's collection;
 * delete follows relations of deleted rows (loading unloaded ones with one query per level).
 */
import { hasOwnRelation, members, stateOf, type Entity, type EntityState } from './entity.js'
import type { LoadContext } from './load-context.js'
import type { ResolvedRelation } from './tables.js'
import { cascadeAdd, forget, identityStates, type Registry } from './registry.js'
import { selectinLevel } from './selectin.js'

/** Pulls every object reachable through loaded save-update relations into the session. */
export function cascadeSaves(reg: Registry): void {
  // Objects a cascade adds join `pending` during the loop; they have been cascaded from already.
  for (const state of reg.pending) cascadeAdd(reg, state)
  for (const table of reg.identity.values()) for (const state of table.values()) if (state.status !== 'deleted') cascadeAdd(reg, state)
}

/** Marks an entity for deletion (a pending one is simply dropped). */
export function markDeleted(reg: Registry, state: EntityState): void {
  if (state.status === 'pending') {
    forget(reg, state)
    return
  }
  if (state.status !== 'persistent') return
  state.status = 'deleted'
  reg.deleted.add(state)
  reg.softDeleted.delete(state)
}

/** Marks children removed from a delete-orphan collection (or whose parent reference was cleared). */
export function markOrphans(reg: Registry): void {
  if (!mayOrphan(reg)) return
  const live = [...identityStates(reg), ...reg.pending].filter((s) => s.status === 'persistent' || s.status === 'pending')
  // Children held by some loaded collection of a relation (moved, not orphaned), computed once per relation.
  const held = new Map<ResolvedRelation, Set<Entity>>()
  const heldBy = (rel: ResolvedRelation): Set<Entity> => {
    let set = held.get(rel)
    if (!set) {
      held.set(rel, (set = new Set()))
      for (const s of live) if (s.info.relationsByKey[rel.key] === rel && s.loaded.has(rel.key)) for (const m of members(s.obj[rel.key])) set.add(m)
    }
    return set
  }
  for (const state of live) {
    if (state.status !== 'persistent') continue
    for (const rel of state.info.relations) {
      if (!state.loaded.has(rel.key)) continue
      if (rel.many && !rel.through && rel.deleteOrphan) {
        const current = new Set(members(state.obj[rel.key]))
        for (const old of members(state.relSnapshot.get(rel.key))) {
          if (current.has(old) || heldBy(rel).has(old)) continue
          const child = stateOf(old)
          if (child && child.status === 'persistent' && !reparented(child, rel.back, state.obj)) markDeleted(reg, child)
        }
      } else if (!rel.many && rel.backDeleteOrphan) {
        if (state.obj[rel.key] === null && state.relSnapshot.get(rel.key)) markDeleted(reg, state)
      }
    }
  }
}

/** True when some persistent entity's table has a relation that can orphan a row. */
function mayOrphan(reg: Registry): boolean {
  for (const table of reg.identity.values()) {
    // One table's entities share their TableInfo: the first one answers for all.
    for (const state of table.values()) {
      if (state.info.orphans) return true
      break
    }
  }
  return false
}

/** True when the child now points at a parent other than `from` (moved, not orphaned). */
function reparented(child: EntityState, back: string | undefined, from: Entity): boolean {
  if (!back || !hasOwnRelation(child.obj, back)) return false
  const parent = child.obj[back]
  return parent !== null && parent !== undefined && parent !== from
}

/** Follows delete cascades from every marked entity, loading unloaded relations level by level. */
export async function cascadeDeletes(reg: Registry, ctx: LoadContext): Promise<void> {
  let frontier = [...reg.deleted]
  while (frontier.length) {
    const next: EntityState[] = []
    const byRelation = new Map<string, { rel: EntityState['info']['relations'][number]; parents: EntityState[] }>()
    for (const state of frontier) {
      for (const rel of state.info.relations) {
        if (!rel.meta.cascade.includes('delete')) continue
        const key = `${state.info.meta.key}.${rel.key}`
        let entry = byRelation.get(key)
        if (!entry) byRelation.set(key, (entry = { rel, parents: [] }))
        entry.parents.push(state)
      }
    }
    for (const { rel, parents } of byRelation.values()) {
      const children = await selectinLevel(ctx, parents, rel)
      for (const child of children) {
        if (child.status === 'persistent' || child.status === 'pending') {
          const wasPersistent = child.status === 'persistent'
          markDeleted(reg, child)
          if (wasPersistent) next.push(child)
        }
      }
    }
    frontier = next
  }
}
