/**
 * Results with exactly one field: one-column selects, single-value shapes and one-column
 * RETURNING. SQLite reads them as plain values (`statement.pluck`) instead of one array per row;
 * every dialect must give the same decoded rows through every method.
 */
import { expect, test } from 'vitest'
import {
  asc,
  compile,
  count,
  defineSchema,
  eq,
  insert,
  isNull,
  lte,
  param,
  prepare,
  select,
  sql,
} from '../../packages/core/src/index'
import { MultipleResultsError, NoResultError } from '../../packages/core/src/errors'
import { forEachDialect } from '../support'

const schema = defineSchema(
  {
    events: {
      columns: {
        id: { type: 'integer', primaryKey: true },
        label: { type: 'varchar', length: 40 },
        done: { type: 'boolean', nullable: true },
        at: { type: 'timestamp', nullable: true },
        big: { type: 'bigint', nullable: true },
        qty: { type: 'integer', nullable: true },
      },
    },
    labels: {
      columns: {
        name: { type: 'varchar', length: 40, primaryKey: true },
      },
    },
  },
  { casing: 'snake_case' },
)

const { events, labels } = schema

const first = new Date(Date.UTC(2026, 0, 1, 12, 0, 0))
const third = new Date(Date.UTC(2026, 1, 2, 3, 4, 5))
const BIG = 9_007_199_254_740_993n

const rows = [
  { id: 1, label: 'a', done: true, at: first, big: BIG, qty: 7 },
  { id: 2, label: 'b', done: false, at: null, big: null, qty: null },
  { id: 3, label: 'c', done: null, at: third, big: -5n, qty: 0 },
]

/** `count` new events without ids, five inserted columns each. */
function newEvents(count: number) {
  return Array.from({ length: count }, (_, i) => ({
    label: `e${i}`,
    done: i % 3 === 0,
    at: new Date(Date.UTC(2026, 0, 1, 0, 0, i % 60)),
    big: BigInt(i),
    qty: i,
  }))
}

const byId = asc(events.id)

forEachDialect((db) => {
  async function seeded() {
    const engine = await db.engine()
    await engine.createAll(schema)
    await engine.execute(insert(events).values(rows))
    await engine.execute(insert(labels).values([{ name: 'a' }]))
    return engine
  }

  test('a one-column select decodes every value: boolean, timestamp, bigint, integer', async () => {
    const engine = await seeded()
    expect(await engine.all(select({ done: events.done }).from(events).orderBy(byId))).toEqual([{ done: true }, { done: false }, { done: null }])
    const ats = await engine.all(select({ at: events.at }).from(events).orderBy(byId))
    expect(ats).toEqual([{ at: first }, { at: null }, { at: third }])
    expect(ats[0]!.at).toBeInstanceOf(Date)
    expect(await engine.all(select(events.big).from(events).orderBy(byId))).toEqual([BIG, null, -5n])
    expect(await engine.all(select({ qty: events.qty }).from(events).orderBy(byId))).toEqual([{ qty: 7 }, { qty: null }, { qty: 0 }])
    expect(await engine.all(select(events.id).from(events).orderBy(byId))).toEqual([1, 2, 3])
    expect(await engine.all(select(labels))).toEqual([{ name: 'a' }])
  })

  test('NULL in the single column: null values, and undefined from first() only when there is no row', async () => {
    const engine = await seeded()
    expect(await engine.all(select(events.qty).from(events).where(isNull(events.qty)))).toEqual([null])
    expect(await engine.first(select(events.at).from(events).where(eq(events.id, 2)))).toBeNull()
    expect(await engine.first(select({ at: events.at }).from(events).where(eq(events.id, 2)))).toEqual({ at: null })
    expect(await engine.one(select(events.done).from(events).where(eq(events.id, 3)))).toBeNull()
    expect(await engine.scalar(select({ big: events.big }).from(events).where(eq(events.id, 2)))).toBeNull()
    expect(await engine.first(select(events.at).from(events).where(eq(events.id, 99)))).toBeUndefined()
    // A one-column table on the nullable side of a join: its object is null when it has no row.
    const joined = await engine.all(select({ tag: labels }).from(events).leftJoin(labels, eq(labels.name, events.label)).orderBy(byId))
    expect(joined).toEqual([{ tag: { name: 'a' } }, { tag: null }, { tag: null }])
  })

  test('first(), one() and scalar() on one-column selects', async () => {
    const engine = await seeded()
    expect(await engine.first(select({ at: events.at }).from(events).orderBy(byId))).toEqual({ at: first })
    expect(await engine.first(select(events.qty).from(events).orderBy(asc(events.label)))).toBe(7)
    expect(await engine.one(select(events.done).from(events).where(eq(events.id, 1)))).toBe(true)
    expect(await engine.one(select({ big: events.big }).from(events).where(eq(events.id, 1)))).toEqual({ big: BIG })
    expect(await engine.scalar(select({ at: events.at }).from(events).where(eq(events.id, 3)))).toEqual(third)
    expect(await engine.scalar(select(events.done).from(events).where(eq(events.id, 2)))).toBe(false)
    expect(await engine.scalar(select({ big: events.big }).from(events).where(eq(events.id, 1)))).toBe(BIG)
    expect(await engine.scalar(select(count()).from(events))).toBe(3)
    await expect(engine.one(select(events.id).from(events))).rejects.toThrow(MultipleResultsError)
    await expect(engine.scalar(select(events.id).from(events).where(eq(events.id, 99)))).rejects.toThrow(NoResultError)
  })

  test('a one-column RETURNING insert of 3,000 rows returns every row, in order', async () => {
    const engine = await db.engine()
    await engine.createAll(schema)
    const result = await engine.execute(insert(events).values(newEvents(3000)).returning({ id: events.id }))
    expect(result.rowsAffected).toBe(3000)
    const ids = result.rows!.map((row) => row.id)
    expect(ids.every((id) => typeof id === 'number')).toBe(true)
    expect(ids).toEqual(await engine.all(select(events.id).from(events).orderBy(byId)))
    const more = newEvents(500).map((row, i) => ({ ...row, label: `more${i}` }))
    expect(await engine.all(insert(events).values(more).returning({ done: events.done }))).toEqual(more.map((row) => ({ done: row.done })))
    const dated = newEvents(3).map((row) => ({ ...row, label: `x${row.label}` }))
    expect(await engine.all(insert(events).values(dated).returning({ at: events.at }))).toEqual(dated.map((row) => ({ at: row.at })))
  })

  test('one-column RETURNING across the chunks of a split insert', async () => {
    const engine = await db.engine()
    await engine.createAll(schema)
    // The first row leaves `qty` to its DEFAULT, which keeps VALUES (one parameter per cell) on PostgreSQL too.
    const many: { label: string; qty?: number | null }[] = newEvents(Math.ceil(db.capabilities.maxParams / 5) + 100)
    many[0] = { ...many[0]!, qty: undefined }
    expect(compile(insert(events).values(many), db.dialect).params.length).toBeGreaterThan(db.capabilities.maxParams)
    const returned = await engine.all(insert(events).values(many).returning({ id: events.id }))
    expect(returned).toHaveLength(many.length)
    expect(returned.map((row) => row.id)).toEqual(await engine.all(select(events.id).from(events).orderBy(byId)))
  })

  test('one SQL text read as objects, arrays and values in turn', async () => {
    const engine = await seeded()
    const query = select({ at: events.at }).from(events).orderBy(byId)
    // The same text without a shape: raw rows are objects (all) or arrays (scalar) on the same cached statement.
    const text = sql.raw(compile(query, db.dialect).sql)
    const objects = (await engine.all(text)) as Record<string, unknown>[]
    expect(objects.map((row) => Object.keys(row))).toEqual([['at'], ['at'], ['at']])
    expect(objects[1]).toEqual({ at: null })
    const raw = objects[0]!.at
    expect(raw).not.toBeNull()
    const decoded = [{ at: first }, { at: null }, { at: third }]
    expect(await engine.scalar(text)).toEqual(raw)
    expect(await engine.all(query)).toEqual(decoded)
    expect(await engine.first(query)).toEqual(decoded[0])
    expect(await engine.all(text)).toEqual(objects)
    expect(await engine.all(query)).toEqual(decoded)
    expect(await engine.scalar(text)).toEqual(raw)
    expect(await engine.all(query)).toEqual(decoded)
    expect(await engine.scalar(query)).toEqual(first)
    expect(await engine.first(text)).toEqual(objects[0])
  })

  test('a prepared one-column statement through all(), first(), one() and scalar()', async () => {
    const engine = await seeded()
    const upTo = prepare(select({ at: events.at }).from(events).where(lte(events.id, param('id'))).orderBy(byId))
    expect(await engine.all(upTo, { id: 3 })).toEqual([{ at: first }, { at: null }, { at: third }])
    expect(await engine.first(upTo, { id: 3 })).toEqual({ at: first })
    expect(await engine.one(upTo, { id: 1 })).toEqual({ at: first })
    expect(await engine.scalar(upTo, { id: 1 })).toEqual(first)
    expect(await engine.all(upTo, { id: 2 })).toEqual([{ at: first }, { at: null }])
    const done = prepare(select(events.done).from(events).where(eq(events.id, param('id'))))
    expect(await engine.all(done, { id: 1 })).toEqual([true])
    expect(await engine.first(done, { id: 3 })).toBeNull()
    expect(await engine.first(done, { id: 99 })).toBeUndefined()
    expect(await engine.scalar(done, { id: 2 })).toBe(false)
  })

  test('one-column rows inside a transaction and through iterate()', async () => {
    const engine = await seeded()
    await engine.transaction(async (tx) => {
      // An explicit id: PostgreSQL's sequence has not moved past the seeded ids.
      expect(await tx.all(insert(events).values({ id: 4, ...newEvents(1)[0]! }).returning({ id: events.id }))).toEqual([{ id: 4 }])
      expect(await tx.all(select(events.qty).from(events).orderBy(byId))).toEqual([7, null, 0, 0])
      expect(await tx.scalar(select({ done: events.done }).from(events).where(eq(events.id, 4)))).toBe(true)
    })
    const streamed: unknown[] = []
    for await (const row of engine.iterate(select({ big: events.big }).from(events).orderBy(byId))) streamed.push(row)
    expect(streamed).toEqual([{ big: BIG }, { big: null }, { big: -5n }, { big: 0n }])
  })
})
