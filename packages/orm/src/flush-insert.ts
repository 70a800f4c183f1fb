/**
 * The insert step of a flush: new rows of one table, grouped by the columns they set (client
 * defaults filled in first), one multi-row INSERT per group, generated values read back into
 * the entities through RETURNING, the engine's insert id, or a re-select.
 */
import { withNode } from '@quarry/core/internal'
import type { ColumnMeta, InsertNode } from '@quarry/core'
import { insertNode, runnable, selectionOf } from '@quarry/core/internal'
import { identityKey, markGenerated, pkValues, type Entity, type EntityState } from './entity.js'
import { generated } from '@quarry/core/internal'
import { SessionError } from './errors.js'
import { applyBindings, assign, fire, reselect, type FlushDone, type FlushRunner } from './flush-context.js'
import type { Binding, FlushPlan } from './flush-plan.js'
import { ascending, comparePk } from './pk-order.js'
import type { TableInfo } from './tables.js'

/** Inserts new rows of one table: bindings, events, client defaults, then one INSERT per column set. */
export async function insertRows(info: TableInfo, states: readonly EntityState[], plan: FlushPlan, r: FlushRunner, done: FlushDone, deferred: ReadonlySet<Binding>): Promise<void> {
  if (states.length === 0) return
  for (const s of states) applyBindings(s, plan, deferred)
  await fire(r, 'beforeInsert', info, states)
  // Rows mostly come in runs of one shape: a group is looked up only when the shape changes.
  const shapeOf = insertShape(info)
  const groups = new Map<number | string, { columns: string[]; states: EntityState[] }>()
  let last: { columns: string[]; states: EntityState[] } | undefined
  let lastShape: number | string | undefined
  for (const s of states) {
    const shape = shapeOf(s, assign)
    if (shape !== lastShape || last === undefined) {
      lastShape = shape
      last = groups.get(shape)
      if (!last) groups.set(shape, (last = { columns: info.stored.filter((c) => s.obj[c.key] !== undefined).map((c) => c.key), states: [] }))
    }
    last.states.push(s)
  }
  for (const group of groups.values()) await insertGroup(info, group.columns, group.states, r)
  for (const s of states) done.inserted.push(s)
  await fire(r, 'afterInsert', info, states)
}

/**
 * Fills in a new row's client defaults and says which stored columns it has: a bit mask (or a
 * string of them past 31 columns), equal for rows that insert the same columns.
 */
type InsertShape = (state: EntityState, fill: (state: EntityState, key: string, value: unknown) => void) => number | string

const insertShapes = new WeakMap<TableInfo, InsertShape>()

/**
 * A table's `InsertShape`, generated once: each column read by name (V8 sees one property per
 * site instead of a key that changes with every column).
 */
function insertShape(info: TableInfo): InsertShape {
  let shape = insertShapes.get(info)
  if (shape) return shape
  const { stored } = info
  const fallback: InsertShape = (s, fill) => {
    let out = ''
    for (const c of stored) {
      if (s.obj[c.key] === undefined && c.hasDefault) fill(s, c.key, defaultOf(c))
      out += s.obj[c.key] === undefined ? '0' : '1'
    }
    return out
  }
  shape = fallback
  if (stored.length <= 31 && !stored.some((c) => c.key === '__proto__')) {
    const lines = stored.map((c, i) => {
      const key = JSON.stringify(c.key)
      const fillIn = c.hasDefault ? `if (o[${key}] === undefined) fill(s, ${key}, defaultOf(c[${i}]))\n` : ''
      return `${fillIn}if (o[${key}] !== undefined) m |= ${1 << i}`
    })
    shape = generated<InsertShape>(`function insertShape(s, fill) { const o = s.obj; let m = 0\n${lines.join('\n')}\nreturn m }`, { defaultOf, c: stored }) ?? fallback
  }
  insertShapes.set(info, shape)
  return shape
}

/** A column's client default: its value, or what its function returns. */
function defaultOf(column: ColumnMeta): unknown {
  return typeof column.default === 'function' ? (column.default as () => unknown)() : column.default
}

/** What an INSERT of `columns` reads back: the primary key and the columns the database fills (computed, server defaults left out). */
function readBack(info: TableInfo, columns: readonly string[]): ColumnMeta[] {
  const out = info.pk.slice()
  for (const c of info.serverFilled) if (!columns.includes(c.key) && !out.includes(c)) out.push(c)
  return out
}

/** One INSERT row's cells (plain values, in `columns` order) read from an entity. */
type CellsOf = (obj: Entity) => unknown[]

/** What inserting one column set of a table takes: the row reader and the statement without its rows. */
interface InsertPlan {
  readonly cells: CellsOf
  /** What the INSERT reads back (`readBack`). */
  readonly back: readonly ColumnMeta[]
  /** The INSERT (with or without RETURNING) as the builder makes it, its one placeholder row to be replaced. */
  readonly plain: InsertNode
  readonly returning: InsertNode
}

const insertPlans = new WeakMap<TableInfo, Map<string, InsertPlan>>()

/**
 * The `InsertPlan` of a table and column set, made once: the statement without rows (a flush
 * puts in its own, read by a function generated to copy `columns` of an entity into an array
 * literal: no row object, no key scan per row).
 */
function insertPlan(info: TableInfo, columns: readonly string[]): InsertPlan {
  let byColumns = insertPlans.get(info)
  if (!byColumns) insertPlans.set(info, (byColumns = new Map()))
  const key = columns.join(',')
  let plan = byColumns.get(key)
  if (plan) return plan
  const cells =
    generated<CellsOf>(`function insertCells(o) { return [${columns.map((c) => `o[${JSON.stringify(c)}]`).join(', ')}] }`) ?? ((obj: Entity) => columns.map((c) => obj[c]))
  const back = readBack(info, columns)
  const plain = insertNode(info.ref, columns, [])
  plan = { cells, back, plain, returning: withNode(plain, { returning: selectionOf(info.ref, back.map((c) => c.key)) }) }
  byColumns.set(key, plan)
  return plan
}

async function insertGroup(info: TableInfo, columns: readonly string[], states: readonly EntityState[], r: FlushRunner): Promise<void> {
  const plan = insertPlan(info, columns)
  const rows = new Array<unknown[]>(states.length)
  for (let i = 0; i < states.length; i++) rows[i] = plan.cells(states[i].obj)
  const auto = info.autoPk && !columns.includes(info.autoPk.key) ? info.autoPk : undefined
  const { back } = plan
  // Values the rows were given stay as given: only the key and what the database filled come back.
  const returning = auto !== undefined || (r.dialect.capabilities.returning && back.length > info.pk.length)
  const result = await r.execute(runnable(withNode(returning ? plan.returning : plan.plain, { values: Object.freeze(rows) })))
  // Columns left out without a default are NULL in the database.
  const absent = info.stored.filter((c) => !columns.includes(c.key) && !(returning && back.includes(c)))
  const fill = filler(info, returning ? back : [], absent)
  if (returning) {
    const returned = (result.rows ?? []) as Entity[]
    if (returned.length !== states.length) throw new SessionError(`inserting ${states.length} ${info.meta.key} rows returned ${returned.length}`)
    if (auto) {
      if (!ascending(returned, auto.key)) returned.sort((a, b) => comparePk(a[auto.key], b[auto.key]))
      for (let i = 0; i < states.length; i++) fill(states[i], returned[i])
    } else {
      const byKey = new Map(returned.map((row) => [identityKey(info, pkValues(info, row)), row]))
      for (const s of states) {
        const row = byKey.get(identityKey(info, pkValues(info, s.obj)))
        if (!row) throw new SessionError(`an inserted ${info.meta.key} row did not come back`)
        fill(s, row)
      }
    }
  } else {
    const missing = info.serverFilled.filter((c) => !columns.includes(c.key))
    if (missing.length) await reselect(info, states, missing.map((c) => c.key), r)
    if (absent.length) for (const s of states) fill(s, NO_ROW)
  }
}

/** Writes what an INSERT read back (`back`) and NULL for the `absent` columns into a new row. */
type Filler = (state: EntityState, row: Entity) => void

const NO_ROW: Entity = Object.freeze({})
const fillers = new WeakMap<TableInfo, Map<string, Filler>>()

/**
 * The `Filler` of one table and column lists, generated once: each column read and written by
 * name. Columns that were empty are recorded as generated (a rollback takes them off again), as
 * one mask per row: rows of one insert mostly fill the same columns after the same ones.
 */
function filler(info: TableInfo, back: readonly ColumnMeta[], absent: readonly ColumnMeta[]): Filler {
  let byColumns = fillers.get(info)
  if (!byColumns) fillers.set(info, (byColumns = new Map()))
  const key = `${back.map((c) => c.key).join(',')}|${absent.map((c) => c.key).join(',')}`
  let fill = byColumns.get(key)
  if (fill) return fill
  fill = (s, row) => {
    for (const c of back) {
      const v = row[c.key]
      if (s.obj[c.key] !== v) assign(s, c.key, v)
    }
    for (const c of absent) if (s.obj[c.key] === undefined) assign(s, c.key, null)
  }
  const keys = [...back, ...absent].map((c) => c.key)
  if (keys.length <= 31 && !keys.includes('__proto__')) {
    const lines = back.map((c, i) => {
      const k = JSON.stringify(c.key)
      return `v = row[${k}]; if (o[${k}] !== v) { if (o[${k}] === undefined) m |= ${1 << i}; o[${k}] = v }`
    })
    absent.forEach((c, i) => {
      const k = JSON.stringify(c.key)
      lines.push(`if (o[${k}] === undefined) { m |= ${1 << (back.length + i)}; o[${k}] = null }`)
    })
    const source = `function fill(s, row) { const o = s.obj; let v, m = 0\n${lines.join('\n')}\nif (m !== 0) mark(s, m)\n}`
    fill = generated<Filler>(source, { mark: generatedBy(keys) }) ?? fill
  }
  byColumns.set(key, fill)
  return fill
}

/** Records the columns of `mask` (bits of `keys`) as generated, reusing the last row's result when it started alike. */
function generatedBy(keys: readonly string[]): (state: EntityState, mask: number) => void {
  let lastFrom: EntityState['generated'] | null = null
  let lastMask = 0
  let lastTo: EntityState['generated']
  return (state, mask) => {
    if (state.generated === lastFrom && mask === lastMask) {
      state.generated = lastTo
      return
    }
    lastFrom = state.generated
    lastMask = mask
    for (let i = 0; i < keys.length; i++) if (mask & (1 << i)) markGenerated(state, keys[i])
    lastTo = state.generated
  }
}
