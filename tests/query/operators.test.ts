/**
 * The operators, functions and clauses the main query suite leaves out, run on every dialect with
 * the same expected rows: between, NULL-safe comparison, NOT IN / NOT LIKE, string and numeric
 * functions, more window functions, UPDATE with expressions, filtered upserts, DISTINCT, OFFSET alone,
 * set operations over limited operands, and row locks (FOR UPDATE, SKIP LOCKED, FOR SHARE).
 */
import { expect, test } from 'vitest'
import {
  asc,
  between,
  concat,
  count,
  countDistinct,
  defineSchema,
  denseRank,
  desc,
  eq,
  excluded,
  gt,
  insert,
  isDistinctFrom,
  isNotDistinctFrom,
  isNotNull,
  lead,
  length,
  lower,
  lt,
  max,
  min,
  mod,
  ne,
  notIlike,
  notInArray,
  notLike,
  now,
  over,
  recursiveCte,
  select,
  sql,
  sub,
  update,
  upper,
  add,
  mul,
} from '@quarry/core'
import { forEachDialect } from '../support/dialects'

const shop = defineSchema(
  {
    products: {
      columns: {
        id: { type: 'integer', primaryKey: true },
        sku: { type: 'varchar', length: 20, unique: true },
        name: { type: 'varchar', length: 40 },
        kind: { type: 'varchar', length: 20, nullable: true },
        stock: { type: 'integer', default: 0 },
        price: { type: 'numeric', precision: 10, scale: 2 },
      },
    },
  },
  { casing: 'snake_case' },
)
const { products } = shop

forEachDialect((db) => {
  async function seeded() {
    const engine = await db.engine()
    await engine.createAll(shop)
    await engine.execute(
      insert(products).values([
        { sku: 'A-1', name: 'Apple', kind: 'fruit', stock: 10, price: '1.50' },
        { sku: 'B-2', name: 'banana', kind: 'fruit', stock: 0, price: '0.25' },
        { sku: 'C-3', name: 'Carrot', kind: 'veg', stock: 7, price: '0.40' },
        { sku: 'D-4', name: 'Dates', kind: null, stock: 3, price: '4.00' },
      ]),
    )
    return engine
  }

  test('between, NULL-safe comparison, NOT IN, NOT LIKE, NOT ILIKE and ne', async () => {
    const engine = await seeded()
    const ids = (rows: number[]) => rows.sort((a, b) => a - b)
    expect(ids(await engine.all(select(products.id).from(products).where(between(products.stock, 3, 7))))).toEqual([3, 4])
    expect(ids(await engine.all(select(products.id).from(products).where(isDistinctFrom(products.kind, 'fruit'))))).toEqual([3, 4])
    expect(await engine.all(select(products.id).from(products).where(isNotDistinctFrom(products.kind, null)))).toEqual([4])
    expect(ids(await engine.all(select(products.id).from(products).where(ne(products.kind, 'fruit'))))).toEqual([3])
    expect(ids(await engine.all(select(products.id).from(products).where(notInArray(products.sku, ['A-1', 'B-2']))))).toEqual([3, 4])
    expect(ids(await engine.all(select(products.id).from(products).where(notInArray(products.sku, []))))).toEqual([1, 2, 3, 4])
    expect(ids(await engine.all(select(products.id).from(products).where(notLike(products.name, 'A%'))))).toEqual([2, 3, 4])
    expect(ids(await engine.all(select(products.id).from(products).where(notIlike(products.name, 'B%'))))).toEqual([1, 3, 4])
    expect(await engine.all(select(products.id).from(products).where(isNotNull(products.kind), lt(products.price, '0.30')))).toEqual([2])
  })

  test('string and numeric functions', async () => {
    const engine = await seeded()
    const row = await engine.one(
      select({
        up: upper(products.name),
        low: lower(products.name),
        len: length(products.name),
        tag: concat(products.sku, ':', products.stock),
        left: sub(products.stock, 4),
        rem: mod(products.stock, 4),
        more: mul(add(products.stock, 1), 2),
        at: now(),
      })
        .from(products)
        .where(eq(products.id, 1)),
    )
    expect(row).toMatchObject({ up: 'APPLE', low: 'apple', len: 5, tag: 'A-1:10', left: 6, rem: 2, more: 22 })
    expect(row.at).toBeInstanceOf(Date)
    expect(Math.abs(row.at.getTime() - Date.now())).toBeLessThan(60_000)
    const stats = await engine.one(
      select({ kinds: countDistinct(products.kind), cheapest: min(products.price), dearest: max(products.price), first: min(products.name), n: count(products.kind) }).from(products),
    )
    expect(stats).toEqual({ kinds: 2, cheapest: '0.25', dearest: '4.00', first: 'Apple', n: 3 })
  })

  test('dense_rank and lead over a window', async () => {
    const engine = await seeded()
    const rows = await engine.all(
      select({ id: products.id, dr: over(denseRank(), { orderBy: [asc(products.kind)] }), next: over(lead(products.sku), { orderBy: [products.id] }) })
        .from(products)
        .orderBy(products.id),
    )
    expect(rows).toEqual([
      { id: 1, dr: 1, next: 'B-2' },
      { id: 2, dr: 1, next: 'C-3' },
      { id: 3, dr: 2, next: 'D-4' },
      { id: 4, dr: 3, next: null },
    ])
  })

  test('update sets expressions over the row; a filtered upsert updates only matching rows', async () => {
    const engine = await seeded()
    await engine.execute(update(products).set({ stock: add(products.stock, 5), name: concat(products.name, '!') }).where(gt(products.stock, 5)))
    expect(await engine.all(select({ stock: products.stock, name: products.name }).from(products).orderBy(products.id))).toEqual([
      { stock: 15, name: 'Apple!' },
      { stock: 0, name: 'banana' },
      { stock: 12, name: 'Carrot!' },
      { stock: 3, name: 'Dates' },
    ])
    if (db.dialect !== 'mysql') {
      const upsert = (sku: string, stock: number) =>
        insert(products)
          .values({ sku, name: 'x', stock, price: '9.99' })
          .onConflictDoUpdate({ target: products.sku, set: { stock: excluded(products.stock) }, where: lt(products.stock, 10) })
      await engine.execute(upsert('A-1', 1))
      await engine.execute(upsert('B-2', 2))
      expect(await engine.all(select(products.stock).from(products).where(lt(products.id, 3)).orderBy(products.id))).toEqual([15, 2])
    }
  })

  test('offset without limit, and set operations over ordered, limited operands', async () => {
    const engine = await seeded()
    expect(await engine.all(select(products.id).from(products).orderBy(desc(products.id)).offset(2))).toEqual([2, 1])
    expect(await engine.all(select(products.kind).from(products).distinct().orderBy(asc(products.kind)))).toEqual(['fruit', 'veg', null])
    const top = select({ id: products.id }).from(products).orderBy(desc(products.stock)).limit(2)
    const cheap = select({ id: products.id }).from(products).orderBy(asc(products.price)).limit(1)
    expect(await engine.all(top.union(cheap).orderBy(asc(sql.identifier('id'))))).toEqual([{ id: 1 }, { id: 2 }, { id: 3 }])
    expect(await engine.all(top.unionAll(top).orderBy(asc(sql.identifier('id'))).limit(3).offset(1))).toEqual([{ id: 1 }, { id: 3 }, { id: 3 }])
    const counter = recursiveCte('counter', select({ n: sql<number>`1` }), (self) => select({ n: add(self.n, 1) }).from(self).where(lt(self.n, 5)), { unionAll: false })
    expect((await engine.all(select(counter.n).from(counter))).map(Number)).toEqual([1, 2, 3, 4, 5])
  })

  test('FOR UPDATE, SKIP LOCKED and FOR SHARE run; a locked row is skipped by another transaction', async () => {
    const engine = await seeded()
    const locked = await engine.transaction(async (tx) => {
      const mine = await tx.all(select(products.id).from(products).where(eq(products.id, 1)).forUpdate())
      expect(mine).toEqual([1])
      expect(await tx.all(select(products.id).from(products).where(eq(products.id, 2)).forShare())).toEqual([2])
      if (!db.capabilities.locking) return undefined
      return engine.transaction(async (other) => other.all(select(products.id).from(products).orderBy(products.id).forUpdate({ skipLocked: true })))
    })
    // Row 1 is locked for update and row 2 for share: both are skipped by FOR UPDATE SKIP LOCKED.
    if (db.capabilities.locking) expect(locked).toEqual([3, 4])
    expect(await engine.all(select(products.id).from(products).orderBy(products.id).skipLocked())).toEqual([1, 2, 3, 4])
  })
})
