/**
 * Issue 13 §2, row values and window frames, on every dialect: keyset pagination over
 * (timestamp, id) with tuple(...) compared with values and with another tuple, and window frames
 * (rows/range between unbounded/n preceding, current row, n/unbounded following).
 */
import { expect, test } from 'vitest'
import {
  compile,
  currentRow,
  defineSchema,
  eq,
  following,
  gt,
  insert,
  lt,
  over,
  preceding,
  range,
  rows,
  select,
  sum,
  tuple,
  unboundedFollowing,
  unboundedPreceding,
  count,
  asc,
  desc,
} from '@quarry/core'
import { forEachDialect } from '../../support/dialects'
import { seeded as seed } from './seed'

const schema = defineSchema({
  events: {
    columns: {
      id: { type: 'integer', primaryKey: true },
      at: { type: 'timestamp' },
      amount: { type: 'integer' },
    },
  },
})
const { events } = schema

const t = (h: number) => new Date(Date.UTC(2024, 2, 1, h))
// Ties on `at` (ids 2 and 3; 5 and 6) make the id part of the key matter.
const ROWS = [
  { id: 1, at: t(1), amount: 1 },
  { id: 3, at: t(2), amount: 2 },
  { id: 2, at: t(2), amount: 4 },
  { id: 4, at: t(3), amount: 8 },
  { id: 6, at: t(4), amount: 16 },
  { id: 5, at: t(4), amount: 32 },
]

forEachDialect((db) => {
  const seeded = () => seed(db, schema, insert(events).values(ROWS))

  test('keyset pagination over (timestamp, id) with tuple() against values, pages of 2 cover every row once', async () => {
    const engine = await seeded()
    const page = (after?: { at: Date; id: number }) =>
      engine.all(
        select({ id: events.id, at: events.at })
          .from(events)
          .where(after && gt(tuple(events.at, events.id), [after.at, after.id]))
          .orderBy(asc(events.at), asc(events.id))
          .limit(2),
      )
    const seen: number[] = []
    let last: { at: Date; id: number } | undefined
    for (;;) {
      const rows = await page(last)
      if (rows.length === 0) break
      seen.push(...rows.map((r) => r.id))
      last = rows[rows.length - 1]
    }
    expect(seen).toEqual([1, 2, 3, 4, 5, 6])
    expect(await engine.all(select(events.id).from(events).where(lt(tuple(events.at, events.id), [t(2), 3])).orderBy(events.id))).toEqual([1, 2])
    expect(await engine.all(select(events.id).from(events).where(eq(tuple(events.at, events.id), [t(4), 6])))).toEqual([6])
    expect(await engine.scalar(select(count()).from(events).where(gt(tuple(events.amount, events.id), tuple(events.id, events.amount))))).toBe(4)
    expect(compile(select(events.id).from(events).where(gt(tuple(events.at, events.id), [t(1), 1])), db.dialect).sql).toMatch(/WHERE \(.*\) > \(.*, .*\)$/)
    expect(() => gt(tuple(events.at, events.id), [t(1)] as never)).toThrow(/a tuple of 2 compared with 1 values/)
  })

  test('window frames: rows and range between unbounded, n preceding, current row, n following', async () => {
    const engine = await seeded()
    const q = await engine.all(
      select({
        id: events.id,
        running: over(sum(events.amount), { orderBy: [events.id], frame: rows(unboundedPreceding, currentRow) }),
        moving: over(sum(events.amount), { orderBy: [events.id], frame: rows(preceding(1), following(1)) }),
        rest: over(sum(events.amount), { orderBy: [events.id], frame: rows(following(1), unboundedFollowing) }),
        total: over(sum(events.amount), { orderBy: [events.id], frame: range(unboundedPreceding, unboundedFollowing) }),
        byAmount: over(sum(events.amount), { orderBy: [desc(events.amount)], frame: range(preceding(10), currentRow) }),
      })
        .from(events)
        .orderBy(events.id),
    )
    // Amounts by id: 1:1, 2:4, 3:2, 4:8, 5:32, 6:16.
    expect(q.map((r) => Number(r.running))).toEqual([1, 5, 7, 15, 47, 63])
    expect(q.map((r) => Number(r.moving))).toEqual([5, 7, 14, 42, 56, 48])
    expect(q.map((r) => (r.rest === null ? null : Number(r.rest)))).toEqual([62, 58, 56, 48, 16, null])
    expect(q.map((r) => Number(r.total))).toEqual([63, 63, 63, 63, 63, 63])
    // Descending by amount, RANGE 10 PRECEDING: the amounts from this one to 10 above it.
    expect(q.map((r) => Number(r.byAmount))).toEqual([15, 12, 14, 24, 32, 16])
    expect(() => rows(currentRow, preceding(1))).toThrow(/rows\(\): a frame from currentRow to preceding is empty or invalid/)
    expect(() => preceding(-1)).toThrow(/preceding\(\): the offset must be a non-negative integer/)
  })
})
