/**
 * Select-IN loading: one statement per relation level (more only when the IN list must be cut
 * under the parameter limit), never one per parent row. Collections come out in primary-key
 * order, sorted here rather than by the database (an ORDER BY made PostgreSQL sort every row).
 */
import { andNode, columnOf, eqNode, innerJoinNode, runnable, selectionNode, selectNode, tableSelection, type Node } from '@quarry/core/internal'
import { loadRelation, members, stateOf, type Entity, type EntityState } from './entity.js'
import { chunks, inTuples, rowKey, tupleKey, tupleOf, type LoadContext, type TupleKey } from './load-context.js'
import type { LoadNode } from './load-options.js'
import { sortByPk } from './pk-order.js'
import { notDeleted } from './query-shape.js'
import { tableInfo, type ResolvedRelation, type TableInfo } from './tables.js'

function isDeleted(ctx: LoadContext, state: EntityState): boolean {
  const column = state.info.softDelete
  return !ctx.withDeleted && column !== undefined && state.obj[column.key] !== null && state.obj[column.key] !== undefined
}

function where(ctx: LoadContext, target: TableInfo, condition: Node): Node {
  const hidden = ctx.withDeleted ? undefined : notDeleted(target.meta)
  return hidden ? andNode([condition, hidden]) : condition
}

/** Loads `rel` for `parents` that do not hold it yet; returns the related entities of every parent. */
export async function selectinLevel(ctx: LoadContext, parents: readonly EntityState[], rel: ResolvedRelation): Promise<EntityState[]> {
  await loadLevel(ctx, parents, rel)
  return related(parents, rel)
}

/** Loads `rel` for `parents` that do not hold it yet. */
async function loadLevel(ctx: LoadContext, parents: readonly EntityState[], rel: ResolvedRelation): Promise<void> {
  const todo = parents.filter((p) => !p.loaded.has(rel.key))
  if (todo.length) {
    if (rel.through) await loadThrough(ctx, todo, rel)
    else if (rel.many) await loadMany(ctx, todo, rel)
    else await loadOne(ctx, todo, rel)
  }
}

/** The distinct entities a loaded relation holds across `parents`. */
export function related(parents: readonly EntityState[], rel: ResolvedRelation): EntityState[] {
  const seen = new Set<EntityState>()
  for (const p of parents) {
    for (const m of members(p.obj[rel.key])) {
      const s = stateOf(m)
      if (s) seen.add(s)
    }
  }
  return [...seen]
}

/** Distinct tuples of `columns` over the parents, and each parent's key. */
function parentKeys(parents: readonly EntityState[], columns: readonly string[]): { tuples: unknown[][]; keys: (TupleKey | undefined)[] } {
  const tuples: unknown[][] = []
  const seen = new Set<TupleKey>()
  const keys = parents.map((p) => {
    const t = tupleOf(p.obj, columns)
    if (!t) return undefined
    const k = tupleKey(t)
    if (!seen.has(k)) {
      seen.add(k)
      tuples.push(t)
    }
    return k
  })
  return { tuples, keys }
}

async function loadMany(ctx: LoadContext, parents: readonly EntityState[], rel: ResolvedRelation): Promise<void> {
  const target = tableInfo(rel.target)
  const { sourceColumns, targetColumns } = rel.meta
  const { tuples, keys } = parentKeys(parents, sourceColumns)
  const groups = new Map<TupleKey, Entity[]>()
  for (const chunk of chunks(tuples, targetColumns.length, ctx.maxParams)) {
    const query = runnable(selectNode(target.ref, where(ctx, target, inTuples(target, targetColumns, chunk))))
    for (const row of (await ctx.all(query)) as Entity[]) {
      const k = rowKey(row, targetColumns)
      const entity = ctx.entity(row, target)
      let list = groups.get(k)
      if (!list) groups.set(k, (list = []))
      list.push(entity.obj)
    }
  }
  for (const list of groups.values()) sortByPk(list, target)
  handOut(parents, keys, groups, rel)
}

/** Gives each parent its group as its collection (a copy for a second parent with the same key). */
function handOut(parents: readonly EntityState[], keys: readonly (TupleKey | undefined)[], groups: Map<TupleKey, Entity[]>, rel: ResolvedRelation): void {
  const given = new Set<Entity[]>()
  for (let i = 0; i < parents.length; i++) {
    const list = keys[i] === undefined ? undefined : groups.get(keys[i]!)
    let value: Entity[]
    if (!list) value = []
    else if (given.has(list)) value = list.slice()
    else {
      given.add(list)
      value = list
    }
    loadRelation(parents[i], rel, value)
  }
}

async function loadOne(ctx: LoadContext, parents: readonly EntityState[], rel: ResolvedRelation): Promise<void> {
  const target = tableInfo(rel.target)
  const { sourceColumns, targetColumns } = rel.meta
  const found = new Map<TupleKey, EntityState | null>()
  const targetIsPk = targetColumns.length === target.pk.length && target.pk.every((c, i) => c.key === targetColumns[i])
  const { tuples, keys } = parentKeys(parents, sourceColumns)
  const missing: unknown[][] = []
  for (const t of tuples) {
    const known = targetIsPk ? ctx.lookup(target, t) : undefined
    if (known) found.set(tupleKey(t), isDeleted(ctx, known) ? null : known)
    else missing.push(t)
  }
  for (const chunk of chunks(missing, targetColumns.length, ctx.maxParams)) {
    const query = runnable(selectNode(target.ref, where(ctx, target, inTuples(target, targetColumns, chunk))))
    for (const row of (await ctx.all(query)) as Entity[]) {
      found.set(rowKey(row, targetColumns), ctx.entity(row, target))
    }
  }
  parents.forEach((p, i) => loadRelation(p, rel, keys[i] === undefined ? null : (found.get(keys[i]!)?.obj ?? null)))
}

async function loadThrough(ctx: LoadContext, parents: readonly EntityState[], rel: ResolvedRelation): Promise<void> {
  const target = tableInfo(rel.target)
  const through = tableInfo(rel.through!)
  const { sourceColumns, targetColumns } = rel.meta
  const linkSource = rel.meta.throughSourceColumns!
  const linkTarget = rel.meta.throughTargetColumns!
  const { tuples, keys } = parentKeys(parents, sourceColumns)
  const selection = [...tableSelection(target.ref, 'entity'), ...linkSource.map((c, i) => selectionNode(columnOf(through.ref, c), `link${i}`, through.meta.columns[c]))]
  const on = andNode(linkTarget.map((c, i) => eqNode(columnOf(through.ref, c), columnOf(target.ref, targetColumns[i]))))
  const groups = new Map<TupleKey, Entity[]>()
  for (const chunk of chunks(tuples, linkSource.length, ctx.maxParams)) {
    const query = runnable(selectNode(target.ref, where(ctx, target, inTuples(through, linkSource, chunk)), { selection, joins: [innerJoinNode(through.ref, on)] }))
    for (const row of (await ctx.all(query)) as Record<string, unknown>[]) {
      const k = tupleKey(linkSource.map((_, i) => row[`link${i}`]))
      const entity = ctx.entity(row.entity as Entity, target)
      let list = groups.get(k)
      if (!list) groups.set(k, (list = []))
      list.push(entity.obj)
    }
  }
  for (const list of groups.values()) sortByPk(list, target)
  handOut(parents, keys, groups, rel)
}

/**
 * Runs a load tree over `parents`. Relations a join already filled are read from the objects;
 * anything still missing (a joined option on `get()` served by the identity map) loads by selectin.
 */
export async function loadTree(ctx: LoadContext, parents: readonly EntityState[], tree: ReadonlyMap<string, LoadNode>): Promise<void> {
  for (const node of tree.values()) {
    if (parents.length === 0) return
    if (node.children.size) await loadTree(ctx, await selectinLevel(ctx, parents, node.rel), node.children)
    else await loadLevel(ctx, parents, node.rel)
  }
}
