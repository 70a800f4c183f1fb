/**
 * Bulk UPDATE and DELETE run through `session.execute` keep loaded objects true (after
 * SQLAlchemy's `synchronize_session`). Which loaded rows the statement touches is found by
 * evaluating its WHERE in JavaScript where that gives the database's answer, else by selecting
 * the keys it matches first ('fetch'). Afterwards the touched objects take the values set (read
 * back when they are expressions), or leave the identity map when deleted.
 */
import type { ColumnMeta, ExecuteResult, Node, StatementNode, TableMeta } from '@quarry/core'
import { selectionOf, selectNode } from '@quarry/core/internal'
import { entityKey, pkValues, type Entity, type EntityState } from './entity.js'
import { dropIdentity, putIdentity, type Registry } from './registry.js'
import { chunks, inTuples, tupleKey } from './load-context.js'
import { takeSnapshot } from './snapshot.js'
import { tableInfo, type TableInfo } from './tables.js'

/** How `session.execute` keeps loaded objects in step with a bulk UPDATE or DELETE. */
export type Synchronize = 'auto' | 'fetch' | false

/** What synchronising runs statements through. */
export interface BulkRunner {
  execute(node: StatementNode): Promise<ExecuteResult>
  all(node: StatementNode): Promise<Record<string, unknown>[]>
  readonly maxParams: number
}

/** Runs `node` and brings the loaded objects of its table into agreement with it. */
export async function bulkExecute(reg: Registry, node: StatementNode, r: BulkRunner, mode: Synchronize): Promise<ExecuteResult> {
  if (mode === false || (node.kind !== 'update' && node.kind !== 'delete')) return r.execute(node)
  const meta = node.table.meta
  const loaded = [...(reg.identity.get(meta.key)?.values() ?? [])].filter((s) => s.status === 'persistent')
  if (loaded.length === 0) return r.execute(node)
  const info = tableInfo(meta)
  const test = mode === 'auto' ? evaluator(node.where, meta) : undefined
  const touched = test ? loaded.filter((s) => test(s.obj) === true) : await fetchTouched(info, loaded, node.where, r)
  const result = await r.execute(node)
  if (touched.length === 0) return result
  if (node.kind === 'delete') {
    for (const s of touched) {
      dropIdentity(reg, s)
      s.status = 'deleted'
      reg.removed.add(s)
    }
    return result
  }
  const reread: string[] = []
  for (const a of node.set) {
    if (a.value.kind === 'value') for (const s of touched) s.obj[a.column.key] = a.value.value
    else reread.push(a.column.key)
  }
  if (reread.length) await readBack(info, touched, reread, r)
  for (const s of touched) {
    // Only the columns the statement set are now as the database holds them: other unflushed changes stay changes.
    const fresh = takeSnapshot(s.obj, info.tracked)
    const snapshot = s.snapshot!.slice()
    for (const a of node.set) {
      const i = info.tracked.findIndex((c) => c.key === a.column.key)
      snapshot[i] = fresh[i]
    }
    s.snapshot = snapshot
    const key = entityKey(info, s.obj)
    if (key !== s.key) {
      dropIdentity(reg, s)
      s.key = key
      putIdentity(reg, s)
    }
  }
  return result
}

/** The loaded rows the database says match `where` (selected by key before the statement runs). */
async function fetchTouched(info: TableInfo, loaded: readonly EntityState[], where: Node | undefined, r: BulkRunner): Promise<EntityState[]> {
  const pk = info.pk.map((c) => c.key)
  const byKey = new Map(loaded.map((s) => [tupleKey(pkValues(info, s.obj)), s]))
  const rows = await r.all(selectNode(info.ref, where, { selection: selectionOf(info.ref, pk) }))
  const out: EntityState[] = []
  for (const row of rows) {
    const s = byKey.get(tupleKey(pk.map((k) => row[k])))
    if (s) out.push(s)
  }
  return out
}

/** Reads `keys` of the touched rows back after the statement (values it computed in SQL). */
async function readBack(info: TableInfo, touched: readonly EntityState[], keys: readonly string[], r: BulkRunner): Promise<void> {
  const pk = info.pk.map((c) => c.key)
  const byKey = new Map(touched.map((s) => [tupleKey(pkValues(info, s.obj)), s]))
  for (const chunk of chunks(touched, pk.length, r.maxParams)) {
    const rows = await r.all(selectNode(info.ref, inTuples(info, pk, chunk.map((s) => pkValues(info, s.obj))), { selection: selectionOf(info.ref, [...new Set([...pk, ...keys])]) }))
    for (const row of rows) {
      const s = byKey.get(tupleKey(pk.map((k) => row[k])))
      if (s) for (const k of keys) s.obj[k] = row[k]
    }
  }
}

/** SQL's three-valued answer for one row: true, false, or null (unknown). */
type Truth = boolean | null
type Predicate = (obj: Entity) => Truth

/**
 * The WHERE as a function of a loaded object, when JavaScript gives the database's answer:
 * AND/OR/NOT, IS NULL, comparisons and IN of this table's columns with numbers, booleans and
 * dates. Strings are left to the database (collations differ: MySQL's `=` ignores case), as is
 * anything else: `undefined` then.
 */
export function evaluator(where: Node | undefined, table: TableMeta): Predicate | undefined {
  if (where === undefined) return () => true
  const ownColumn = (n: Node): ColumnMeta | undefined => (n.kind === 'column' && table.columns[n.key] === n.meta ? n.meta : undefined)
  const literal = (n: Node): { value: unknown } | undefined => {
    if (n.kind !== 'value') return undefined
    const v = n.value
    return v === null || typeof v === 'number' || typeof v === 'bigint' || typeof v === 'boolean' || v instanceof Date ? { value: v } : undefined
  }
  switch (where.kind) {
    case 'logical': {
      const items = where.items.map((i) => evaluator(i, table))
      if (items.some((i) => i === undefined)) return undefined
      const preds = items as Predicate[]
      return where.op === 'and'
        ? (obj) => {
            let out: Truth = true
            for (const p of preds) {
              const v = p(obj)
              if (v === false) return false
              if (v === null) out = null
            }
            return out
          }
        : (obj) => {
            let out: Truth = false
            for (const p of preds) {
              const v = p(obj)
              if (v === true) return true
              if (v === null) out = null
            }
            return out
          }
    }
    case 'not': {
      const inner = evaluator(where.expr, table)
      return inner && ((obj) => {
        const v = inner(obj)
        return v === null ? null : !v
      })
    }
    case 'isNull': {
      const column = ownColumn(where.expr)
      return column && ((obj) => (obj[column.key] === null || obj[column.key] === undefined) !== where.negated)
    }
    case 'binary': {
      const column = ownColumn(where.left)
      const right = literal(where.right)
      const compare = COMPARE[where.op]
      if (!column || !right || !compare) return undefined
      return (obj) => {
        const a = comparable(obj[column.key])
        const b = comparable(right.value)
        return a === null || b === null ? null : compare(a, b)
      }
    }
    case 'in': {
      const column = ownColumn(where.expr)
      if (!column || !Array.isArray(where.list)) return undefined
      const values = (where.list as readonly Node[]).map(literal)
      if (values.some((v) => v === undefined)) return undefined
      const list = values.map((v) => comparable(v!.value))
      return (obj) => {
        const a = comparable(obj[column.key])
        if (a === null) return null
        const found = list.some((b) => b !== null && b === a)
        if (found) return !where.negated
        return list.includes(null) ? null : where.negated
      }
    }
    default:
      return undefined
  }
}

/** A value as it compares: dates by their time, numbers and bigints as numbers, null for NULL. */
function comparable(v: unknown): number | boolean | null {
  if (v === null || v === undefined) return null
  if (v instanceof Date) return v.getTime()
  if (typeof v === 'bigint') return Number(v)
  return v as number | boolean
}

const COMPARE: Partial<Record<string, (a: number | boolean, b: number | boolean) => boolean>> = {
  '=': (a, b) => a === b,
  '<>': (a, b) => a !== b,
  '<': (a, b) => a < b,
  '<=': (a, b) => a <= b,
  '>': (a, b) => a > b,
  '>=': (a, b) => a >= b,
}
