/**
 * Issue 13 §1: parameters in CASE branches. PostgreSQL types a parameter from its context, and a
 * CASE whose branches are all parameters has none: they became text, so `qty - CASE … THEN $1
 * ELSE $2 END` failed with "integer - text" and ORDER BY CASE … sorted '10' before '9'. A value
 * branch takes its type from the branches beside it, or from its JS value when none has one.
 */
import { add, asc, caseWhen, compile, defineSchema, eq, gt, insert, select, sub } from '@quarry/core'
import { expect, test } from 'vitest'
import { forEachDialect } from '../../support'
import { seeded as seed } from './seed'

const schema = defineSchema({
  items: {
    columns: {
      id: { type: 'integer', primaryKey: true },
      qty: { type: 'integer' },
      price: { type: 'numeric', precision: 10, scale: 2 },
      at: { type: 'timestamp' },
    },
  },
})
const { items } = schema
const ROWS = [
  { id: 1, qty: 15, price: '2.50', at: new Date('2024-03-01T12:00:00Z') },
  { id: 2, qty: 5, price: '10.00', at: new Date('2024-03-02T12:00:00Z') },
  { id: 3, qty: 20, price: '9.75', at: new Date('2024-03-03T12:00:00Z') },
]

forEachDialect((db) => {
  const seeded = () => seed(db, schema, insert(items).values(ROWS))
  const byId = <T,>(rows: T[]) => rows
  const bonusOf = (qty: typeof items.qty) => caseWhen([[gt(qty, 10), 5]], 0)

  test('number branches take part in arithmetic and come back as numbers', async () => {
    const engine = await seeded()
    const bonus = caseWhen([[gt(items.qty, 10), 5]], 0)
    expect(await engine.all(select(sub(items.qty, bonus)).from(items).orderBy(items.id))).toEqual([10, 5, 15])
    expect(await engine.all(select(add(bonus, 1)).from(items).orderBy(items.id))).toEqual([6, 1, 6])
    expect(await engine.all(select(caseWhen([[gt(items.qty, 10), 1.5]], 2)).from(items).orderBy(items.id))).toEqual([1.5, 2, 1.5])
    expect(await engine.all(select(caseWhen([[gt(items.qty, 10), 3_000_000_000]], 0)).from(items).orderBy(items.id))).toEqual([3_000_000_000, 0, 3_000_000_000])
    // Without ELSE the missing branch is NULL.
    expect(await engine.all(select(caseWhen([[gt(items.qty, 10), 7]])).from(items).orderBy(items.id))).toEqual([7, null, 7])
  })

  test('ORDER BY a CASE of numbers sorts numerically', async () => {
    const engine = await seeded()
    const rank = caseWhen([[eq(items.id, 1), 10], [eq(items.id, 2), 9]], 100)
    expect(byId(await engine.all(select(items.id).from(items).orderBy(asc(rank))))).toEqual([2, 1, 3])
  })

  test('boolean branches are booleans', async () => {
    const engine = await seeded()
    expect(await engine.all(select(caseWhen([[gt(items.qty, 10), true]], false)).from(items).orderBy(items.id))).toEqual([true, false, true])
  })

  test('a value beside a column is bound as that column (decimal, timestamp)', async () => {
    const engine = await seeded()
    const price = caseWhen([[gt(items.qty, 10), items.price]], '0.5')
    expect(await engine.all(select(price).from(items).orderBy(asc(price)))).toEqual(['0.50', '2.50', '9.75'])
    // A value compared with the CASE is bound as its branches are.
    expect(await engine.all(select(items.id).from(items).where(gt(price, '2')).orderBy(items.id))).toEqual([1, 3])
    expect(await engine.all(select(items.id).from(items).where(eq(bonusOf(items.qty), 5)).orderBy(items.id))).toEqual([1, 3])
    const when = caseWhen([[gt(items.qty, 10), items.at]], new Date('2024-01-01T00:00:00Z'))
    expect(await engine.all(select(items.id).from(items).where(gt(when, new Date('2024-03-01T00:00:00Z'))).orderBy(items.id))).toEqual([1, 3])
  })

  test.runIf(db.dialect === 'postgres')('PostgreSQL: branches that are all values are cast to the type their values have', () => {
    const { sql } = compile(select(caseWhen([[gt(items.qty, 10), 5]], 0)).from(items), 'postgres')
    expect(sql).toContain('THEN CAST($2 AS integer) ELSE CAST($3 AS integer) END')
  })
})
