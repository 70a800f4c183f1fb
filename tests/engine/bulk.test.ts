/**
 * Bulk inserts above the bind-parameter limit are split into chunks inside one transaction:
 * all rows or none, and RETURNING works across the chunks. (PostgreSQL sends rows of plain values as
 * one array per column, under any limit: these rows leave a column to its DEFAULT, which keeps
 * VALUES; see tests/query/bulk-insert.test.ts.)
 */
import { expect, test } from 'vitest'
import { asc, count, deleteFrom, insert, select, sql } from '../../packages/core/src/index'
import { compile } from '../../packages/core/src/compile/compile'
import type { EchoEvent } from '../../packages/core/src/engine'
import { UniqueViolation } from '../../packages/core/src/errors'
import { forEachDialect } from '../support'
import { itemRows, items, schema } from './fixtures'

/**
 * `itemRows`, the last with an explicit id: the others leave `id` to its DEFAULT, which keeps
 * VALUES with one parameter per cell on every dialect.
 */
function valuesRows(count: number, offset = 0) {
  const rows: (ReturnType<typeof itemRows>[number] & { id?: number })[] = itemRows(count, offset)
  rows[count - 1] = { ...rows[count - 1]!, id: 10_000_000 }
  return rows
}

forEachDialect((db) => {
  /** Enough six-column rows to pass the dialect's bind-parameter limit. */
  const overLimit = () => Math.ceil(db.capabilities.maxParams / 6) + 500

  test('10,000 rows × 6 columns', async () => {
    const engine = await db.engine()
    await engine.createAll(schema)
    const rows = itemRows(10_000)
    const result = await engine.execute(insert(items).values(rows))
    expect(result.rowsAffected).toBe(10_000)
    expect(await engine.scalar(select(count()).from(items))).toBe(10_000)
    const last = await engine.one(select(items).orderBy(asc(items.id)).limit(1).offset(9_999))
    expect(last).toEqual({ id: expect.any(Number), ...rows[9_999] })
  })

  test('an insert over the parameter limit is split into chunks in one transaction', async () => {
    const events: EchoEvent[] = []
    const engine = await db.engine({ echo: (event) => events.push(event) })
    await engine.createAll(schema)
    const rows = valuesRows(overLimit())
    expect(compile(insert(items).values(rows), db.dialect).params.length).toBeGreaterThan(db.capabilities.maxParams)
    const result = await engine.execute(insert(items).values(rows))
    expect(result.rowsAffected).toBe(rows.length)
    const inserts = events.filter((event) => event.sql.startsWith('INSERT'))
    expect(inserts.length).toBe(2)
    for (const event of inserts) expect(event.params.length).toBeLessThanOrEqual(db.capabilities.maxParams)
    expect(events.some((event) => /^(BEGIN|START TRANSACTION)/.test(event.sql))).toBe(true)
    expect(events.at(-1)!.sql).toBe('COMMIT')
    expect(await engine.scalar(select(count()).from(items))).toBe(rows.length)
  })

  test('RETURNING across chunks gives every row in order', async () => {
    const engine = await db.engine()
    await engine.createAll(schema)
    // Plain rows (MySQL's emulated RETURNING needs every id generated): one unnest statement on PostgreSQL.
    const rows = itemRows(overLimit())
    const returned = await engine.all(insert(items).values(rows).returning({ id: items.id, name: items.name, big: items.big }))
    expect(returned).toHaveLength(rows.length)
    expect(returned.map((row) => row.name)).toEqual(rows.map((row) => row.name))
    expect(returned.at(-1)!.big).toBe(rows.at(-1)!.big)
    const ids = returned.map((row) => row.id)
    expect(new Set(ids).size).toBe(rows.length)
    expect([...ids].sort((a, b) => a - b)).toEqual(ids)
  })

  test('all or nothing: a failure in the last chunk leaves no row', async () => {
    const engine = await db.engine()
    await engine.createAll(schema)
    const rows = valuesRows(overLimit())
    rows[rows.length - 1] = { ...rows.at(-1)!, name: rows[0]!.name }
    await expect(engine.execute(insert(items).values(rows))).rejects.toThrow(UniqueViolation)
    expect(await engine.scalar(select(count()).from(items))).toBe(0)
  })

  test('inside a transaction the chunks share it (a savepoint keeps them atomic)', async () => {
    const engine = await db.engine()
    await engine.createAll(schema)
    await engine.transaction(async (tx) => {
      await tx.execute(insert(items).values(itemRows(1, 20_000)))
      const bad = valuesRows(overLimit())
      bad[bad.length - 1] = { ...bad.at(-1)!, name: bad[0]!.name }
      await expect(tx.execute(insert(items).values(bad))).rejects.toThrow(UniqueViolation)
      await tx.execute(insert(items).values(valuesRows(overLimit())))
    })
    expect(await engine.scalar(select(count()).from(items))).toBe(overLimit() + 1)
  })
})

forEachDialect((db) => {
  test.runIf(db.dialect === 'postgres')('PostgreSQL keeps a bulk statement prepared once the same text comes again on a connection', async () => {
    const engine = await db.engine({ pool: { size: 1, maxOverflow: 0 } })
    await engine.createAll(schema)
    const bulk = () => insert(items).values(valuesRows(300)) // 1,800 parameters: a bulk statement
    const preparedInserts = () =>
      engine.scalar(sql<{ n: number }>`SELECT count(*)::int AS n FROM pg_prepared_statements WHERE statement LIKE 'INSERT INTO%'`)
    await engine.execute(bulk())
    expect(await preparedInserts()).toBe(0) // met once: parsed for one use
    await engine.execute(deleteFrom(items).all())
    await engine.execute(bulk())
    expect(await preparedInserts()).toBe(1) // met again: kept prepared
    await engine.execute(deleteFrom(items).all())
    await engine.execute(bulk())
    expect(await preparedInserts()).toBe(1)
    expect(await engine.scalar(select(count()).from(items))).toBe(300)
  })
})
