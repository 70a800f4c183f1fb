/**
 * Running a flush: the steps `flushSteps` ordered, one after another, each a few batched
 * statements. Every order and cycle decision was made before; here the values are read (keys
 * the database generated for rows inserted by earlier steps) and the statements run.
 */
import { deleteNode, insertNode, runnable, updateNode } from '@quarry/core/internal'
import { pkValues, type EntityState } from './entity.js'
import { fire, pkCondition, type FlushDone, type FlushRunner } from './flush-context.js'
import { insertRows } from './flush-insert.js'
import type { Binding, FlushPlan, Link, LinkPurge } from './flush-plan.js'
import { storedPk, type FlushSteps, type Pointer } from './flush-steps.js'
import { updateRows } from './flush-update.js'
import { chunks, inTuples } from './load-context.js'
import type { TableInfo } from './tables.js'

export type { FlushDone, FlushRunner } from './flush-context.js'

/** Runs the steps of `plan` in order; throws the first database error unchanged. */
export async function runSteps(plan: FlushPlan, { steps, deferred }: FlushSteps, r: FlushRunner): Promise<FlushDone> {
  const done: FlushDone = { inserted: [], updated: [], deleted: [] }
  for (const step of steps) {
    switch (step.kind) {
      case 'insert':
        await insertRows(step.info, step.rows, plan, r, done, deferred)
        break
      case 'update':
        await updateRows(step.info, step.rows, step.changed, plan, r, done, deferred)
        break
      case 'insertLinks':
        await insertLinks(step.info, step.links, r)
        break
      case 'postUpdate':
        await postUpdate(step.bindings, r)
        break
      case 'deleteLinks':
        await deleteLinks(step.info, step.links, r)
        break
      case 'purgeLinks':
        await purgeLinks(step.info, step.purge, r)
        break
      case 'clearKeys':
        await clearKeys(step.pointers, r)
        break
      case 'delete':
        await deleteRows(step.info, step.rows, r)
        for (const s of step.rows) done.deleted.push(s)
        break
    }
  }
  return done
}

/** Writes the foreign keys that a cycle forced to be left NULL at insert time. */
async function postUpdate(deferred: readonly Binding[], r: FlushRunner): Promise<void> {
  for (const b of deferred) {
    const value = b.parent ? b.parent.obj[b.parentColumn] : null
    const { info } = b.child
    await r.execute(runnable(updateNode(info.ref, { set: { [b.column]: value }, where: pkCondition(info, pkValues(info, b.child.obj)) })))
    b.child.obj[b.column] = value
  }
}

/** An association row's columns (source side, then target side) and its values read from both entities. */
function linkColumns(link: Link): readonly string[] {
  return [...link.rel.meta.throughSourceColumns!, ...link.rel.meta.throughTargetColumns!]
}

function linkCells(link: Link): unknown[] {
  const { meta } = link.rel
  const out: unknown[] = []
  for (const c of meta.sourceColumns) out.push(link.source.obj[c])
  for (const c of meta.targetColumns) out.push(link.target.obj[c])
  return out
}

/** Inserts association rows: one INSERT per column order (the two sides of a pair of relations name them in turn), split by the engine under the parameter limit. */
async function insertLinks(info: TableInfo, links: readonly Link[], r: FlushRunner): Promise<void> {
  for (const { columns, rows } of linkGroups(links)) await r.execute(runnable(insertNode(info.ref, columns, rows)))
}

/** Association rows grouped by their column order (one per relation side), as cells. */
function linkGroups(links: readonly Link[]): Iterable<{ columns: readonly string[]; rows: unknown[][] }> {
  const byShape = new Map<readonly string[] | undefined, { columns: readonly string[]; rows: unknown[][] }>()
  for (const link of links) {
    const key = link.rel.meta.throughSourceColumns
    let group = byShape.get(key)
    if (!group) byShape.set(key, (group = { columns: linkColumns(link), rows: [] }))
    group.rows.push(linkCells(link))
  }
  return byShape.values()
}

/** Deletes association rows by their columns. */
async function deleteLinks(info: TableInfo, links: readonly Link[], r: FlushRunner): Promise<void> {
  for (const { columns, rows } of linkGroups(links)) {
    for (const chunk of chunks(rows, columns.length, r.maxParams)) {
      await r.execute(runnable(deleteNode(info.ref, inTuples(info, columns, chunk))))
    }
  }
}

/** Deletes every association row of some deleted entities. */
async function purgeLinks(info: TableInfo, purge: LinkPurge, r: FlushRunner): Promise<void> {
  const tuples = purge.states.map((s) => purge.entityColumns.map((c) => s.obj[c]))
  for (const chunk of chunks(tuples, purge.columns.length, r.maxParams)) {
    await r.execute(runnable(deleteNode(info.ref, inTuples(info, purge.columns, chunk))))
  }
}

/** Sets the nullable foreign keys of a cycle of rows to delete to NULL. */
async function clearKeys(pointers: readonly Pointer[], r: FlushRunner): Promise<void> {
  for (const p of pointers) {
    const { info } = p.source
    await r.execute(runnable(updateNode(info.ref, { set: { [p.column.key]: null }, where: pkCondition(info, storedPk(p.source)) })))
  }
}

/** Deletes rows of one table by primary key, with their events. */
async function deleteRows(info: TableInfo, states: readonly EntityState[], r: FlushRunner): Promise<void> {
  await fire(r, 'beforeDelete', info, states)
  const pk = info.pk.map((c) => c.key)
  for (const chunk of chunks(states, pk.length, r.maxParams)) {
    await r.execute(runnable(deleteNode(info.ref, inTuples(info, pk, chunk.map(storedPk)))))
  }
  await fire(r, 'afterDelete', info, states)
}
