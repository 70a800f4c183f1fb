/**
 * numeric means the same on every dialect: ordering, comparison, MIN/MAX, BETWEEN, SUM/AVG and
 * arithmetic agree with PostgreSQL, values stay exact, and on SQLite (where numerics are sortable
 * text keys) a range query still uses the column's index. Tables created by hand, holding numbers
 * or plain text as other tools write them, give the same answers once `stored` says so.
 */
import { add, asc, avg, between, coalesce, compile, count, div, gte, mul, scalar, sub, defineSchema, desc, eq, gt, insert, lt, max, min, select, sql, sum, update, type ColumnInput } from '@quarry/core'
import { expect, test } from 'vitest'
import { forEachDialect, type TestDatabase } from '../support'

const PRICES = ['10.00', '9.50', '100.25', '-2.00']

function shop(stored?: 'text' | 'number') {
  const price: ColumnInput = stored ? { type: 'numeric', precision: 12, scale: 2, stored } : { type: 'numeric', precision: 12, scale: 2 }
  return defineSchema({
    items: { columns: { id: { type: 'integer', primaryKey: true }, price: price as { type: 'numeric'; precision: 12; scale: 2 } }, indexes: [{ columns: ['price'] }] },
  })
}

/** The table as another tool would have made it, with the issue's rows in its own stored form. */
async function handWritten(db: TestDatabase, form: 'text' | 'number') {
  const engine = await db.engine()
  const type = db.dialect === 'sqlite' ? (form === 'text' ? 'TEXT' : 'NUMERIC(12, 2)') : db.dialect === 'mysql' ? 'DECIMAL(12, 2)' : 'numeric(12, 2)'
  await engine.execute(sql.raw(`CREATE TABLE items (id INTEGER PRIMARY KEY, price ${type} NOT NULL)`))
  await engine.execute(sql.raw('CREATE INDEX items_price_idx ON items (price)'))
  // As written by another tool: numbers where the column holds numbers, text where it holds text.
  const values = PRICES.map((p, i) => `(${i + 1}, ${form === 'number' || db.dialect !== 'sqlite' ? p : `'${p}'`})`).join(', ')
  await engine.execute(sql.raw(`INSERT INTO items (id, price) VALUES ${values}`))
  return engine
}

forEachDialect((db) => {
  const variants = [
    { name: 'a table Quarry created', stored: undefined, make: async () => {
      const engine = await db.engine()
      const { items } = shop()
      await engine.createAll(shop())
      await engine.execute(insert(items).values(PRICES.map((price, i) => ({ id: i + 1, price }))))
      return engine
    } },
    { name: 'a hand-written table holding numbers', stored: 'number' as const, make: () => handWritten(db, 'number') },
    { name: 'a hand-written table holding text', stored: 'text' as const, make: () => handWritten(db, 'text') },
  ]

  for (const variant of variants) {
    test(`orders, compares and aggregates as numbers: ${variant.name}`, async () => {
      const engine = await variant.make()
      const { items } = shop(variant.stored)
      expect(await engine.all(select(items.price).from(items).orderBy(asc(items.price)))).toEqual(['-2.00', '9.50', '10.00', '100.25'])
      expect(await engine.all(select(items.price).from(items).orderBy(desc(items.price)))).toEqual(['100.25', '10.00', '9.50', '-2.00'])
      expect(await engine.all(select(items.price).from(items).where(gt(items.price, '9.99')).orderBy(asc(items.id)))).toEqual(['10.00', '100.25'])
      expect(await engine.all(select(items.price).from(items).where(lt(items.price, '9.5')))).toEqual(['-2.00'])
      expect(await engine.all(select(items.price).from(items).where(eq(items.price, '10')))).toEqual(['10.00'])
      expect(await engine.all(select(items.price).from(items).where(between(items.price, '9', '11')).orderBy(asc(items.price)))).toEqual(['9.50', '10.00'])
      expect(await engine.one(select({ hi: max(items.price), lo: min(items.price), total: sum(items.price), mean: avg(items.price), n: count() }).from(items))).toEqual({
        hi: '100.25',
        lo: '-2.00',
        total: '117.75',
        mean: 29.4375,
        n: 4,
      })
    })
  }

  test('a number next to a decimal aggregate binds as a decimal: coalesce, having, order', async () => {
    const engine = await db.engine()
    const schema = defineSchema({
      customers: { columns: { id: { type: 'integer', primaryKey: true }, name: { type: 'varchar', length: 10 } } },
      orders: { columns: { id: { type: 'integer', primaryKey: true }, customerId: { type: 'integer', references: 'customers.id' }, total: { type: 'numeric', precision: 12, scale: 2 } } },
    })
    await engine.createAll(schema)
    const { customers, orders } = schema
    await engine.execute(insert(customers).values([{ id: 1, name: 'A' }, { id: 2, name: 'B' }, { id: 3, name: 'C' }]))
    await engine.execute(insert(orders).values([{ id: 1, customerId: 1, total: '1000.00' }, { id: 2, customerId: 1, total: '600.00' }, { id: 3, customerId: 2, total: '900.00' }]))
    const spent = coalesce(sum(orders.total), '0')
    const byCustomer = select({ name: customers.name, spent }).from(customers).leftJoin(orders, eq(orders.customerId, customers.id)).groupBy(customers.name)
    expect(await engine.all(byCustomer.orderBy(desc(spent)))).toEqual([{ name: 'A', spent: '1600.00' }, { name: 'B', spent: '900.00' }, { name: 'C', spent: '0.00' }])
    expect(await engine.all(byCustomer.having(gte(sum(orders.total), '1500')))).toEqual([{ name: 'A', spent: '1600.00' }])
    expect(await engine.all(byCustomer.having(lt(spent, '1000')).orderBy(asc(customers.name)))).toEqual([{ name: 'B', spent: '900.00' }, { name: 'C', spent: '0.00' }])
  })

  test('numeric arithmetic is exact, with the scale PostgreSQL gives; numerics compare with avg()', async () => {
    const engine = await db.engine()
    const { items } = shop()
    await engine.createAll(shop())
    await engine.execute(insert(items).values(PRICES.map((price, i) => ({ id: i + 1, price }))))
    const row = await engine.one(
      select({ plus: add(items.price, '1.5'), minus: sub(items.price, '0.001'), times: mul(items.price, '1.5'), self: mul(items.price, items.price), ratio: div(items.price, 4) })
        .from(items)
        .where(eq(items.id, 2)),
    )
    expect(row).toEqual({ plus: '11.00', minus: '9.499', times: '14.250', self: '90.2500', ratio: 2.375 })
    expect(await engine.scalar(select(sum(mul(items.price, '0.1'))).from(items))).toBe('11.775')
    const mean = scalar(select(avg(items.price)).from(items))
    expect(await engine.all(select(items.price).from(items).where(gt(items.price, mean)))).toEqual(['100.25'])
    expect(await engine.all(select(items.id).from(items).where(gt(add(items.price, '0.50'), '10.00')).orderBy(asc(items.id)))).toEqual([1, 3])
  })

  test('values stay exact beyond a double, and sums of cents are exact', async () => {
    const engine = await db.engine()
    const schema = defineSchema({ big: { columns: { id: { type: 'integer', primaryKey: true }, v: { type: 'numeric', precision: 38, scale: 10 } } } })
    await engine.createAll(schema)
    const { big } = schema
    const values = ['1234567890123456789012345678.0123456789', '1234567890123456789012345678.0123456788', '-0.0000000001', '0.1000000000']
    await engine.execute(insert(big).values(values.map((v, i) => ({ id: i + 1, v }))))
    expect(await engine.all(select(big.v).from(big).orderBy(asc(big.v)))).toEqual([values[2], values[3], values[1], values[0]])
    expect(await engine.all(select(big.id).from(big).where(gt(big.v, '1234567890123456789012345678.01234567885')))).toEqual([1])
    expect(await engine.scalar(select(sum(big.v)).from(big).where(lt(big.v, '1')))).toBe('0.0999999999')
    await engine.execute(insert(big).values(Array.from({ length: 100 }, (_, i) => ({ id: 10 + i, v: '0.1' }))))
    expect(await engine.scalar(select(sum(big.v)).from(big).where(eq(big.v, '0.1')))).toBe('10.1000000000')
    await engine.execute(update(big).set({ v: '2.5' }).where(eq(big.id, 3)))
    expect(await engine.scalar(select(max(big.v)).from(big).where(lt(big.v, '100')))).toBe('2.5000000000')
  })

  test.runIf(db.dialect === 'sqlite')('a range query on a numeric column uses its index (SQLite keys compare natively)', async () => {
    const engine = await db.engine()
    await engine.createAll(shop())
    const { items } = shop()
    const q = select(items.id).from(items).where(gt(items.price, '9.99'))
    const { sql: text, params } = compile(q, 'sqlite')
    expect(text).toBe('SELECT "items"."id" AS "value" FROM "items" WHERE "items"."price" > ?')
    expect(params).toEqual(['P5001:9.99'])
    const plan = await engine.all(sql.raw(`EXPLAIN QUERY PLAN ${text.replace('?', `'${String(params[0])}'`)}`))
    expect(JSON.stringify(plan)).toMatch(/USING (COVERING )?INDEX items_price_idx \(price>\?\)/)
  })

  test.runIf(db.dialect === 'sqlite')('a hand-written numeric column left undeclared is an error when read, not a wrong answer', async () => {
    const engine = await handWritten(db, 'number')
    const { items } = shop()
    await expect(engine.all(select(items.price).from(items))).rejects.toThrow(/column price holds the number 10, not Quarry's sortable key: .*stored: 'number'/)
  })
})

test('SQLite keys sort as the numbers they hold, and read back exactly', async () => {
  const fc = (await import('fast-check')).default
  const { decimalKey, keyToPlain, toDecimal } = await import('../../packages/core/src/dialects/sqlite/decimal')
  const decimal = fc.tuple(fc.bigInt({ min: -(10n ** 30n), max: 10n ** 30n }), fc.integer({ min: 0, max: 20 })).map(([units, scale]) => ({ units, scale }))
  const compare = (a: { units: bigint; scale: number }, b: { units: bigint; scale: number }) => {
    const x = a.units * 10n ** BigInt(b.scale)
    const y = b.units * 10n ** BigInt(a.scale)
    return x < y ? -1 : x > y ? 1 : 0
  }
  fc.assert(
    fc.property(decimal, decimal, (a, b) => {
      const [ka, kb] = [decimalKey(a), decimalKey(b)]
      expect(Math.sign(ka < kb ? -1 : ka > kb ? 1 : 0)).toBe(compare(a, b))
      expect(compare(toDecimal(keyToPlain(ka))!, a)).toBe(0)
    }),
    { numRuns: 5000 },
  )
})
