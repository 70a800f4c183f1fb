/**
 * The pool: a bounded number of connections, a timeout for waiting, and recovery.
 */
import { expect, test } from 'vitest'
import { sql } from '../../packages/core/src/index'
import { PoolTimeoutError } from '../../packages/core/src/errors'
import { forEachDialect } from '../support'

forEachDialect((db) => {
  const connectionId = () =>
    db.dialect === 'postgres'
      ? sql<{ id: number }>`SELECT pg_backend_pid() AS id`
      : db.dialect === 'mysql'
        ? sql<{ id: number }>`SELECT CONNECTION_ID() AS id`
        : sql<{ id: number }>`SELECT 0 AS id`

  test('waiting longer than timeoutMs for a connection throws PoolTimeoutError', async () => {
    const engine = await db.engine({ pool: { size: 1, maxOverflow: 0, timeoutMs: 150 } })
    const held = await engine.connect()
    const started = Date.now()
    const error = await engine.scalar(sql`SELECT 1 AS n`).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(PoolTimeoutError)
    expect((error as Error).message).toMatch(/no connection became free within 150 ms/)
    expect(Date.now() - started).toBeGreaterThanOrEqual(140)
    await held.release()
    expect(await engine.scalar(sql<{ n: number }>`SELECT 1 AS n`)).toBe(1)
  })

  test('a waiting statement gets the connection as soon as it is released', async () => {
    const engine = await db.engine({ pool: { size: 1, maxOverflow: 0, timeoutMs: 5000 } })
    const held = await engine.connect()
    const waiting = engine.scalar(sql<{ n: number }>`SELECT 5 AS n`)
    setTimeout(() => void held.release(), 30)
    expect(await waiting).toBe(5)
  })

  test.runIf(db.server)('never more than size + maxOverflow connections at once', async () => {
    const engine = await db.engine({ pool: { size: 2, maxOverflow: 1 } })
    const sleep = db.dialect === 'postgres' ? sql`SELECT pg_sleep(0.05)` : sql`SELECT SLEEP(0.05)`
    const ids = await Promise.all(
      Array.from({ length: 12 }, () =>
        engine.transaction(async (tx) => {
          await tx.execute(sleep)
          return tx.scalar(connectionId())
        }),
      ),
    )
    expect(new Set(ids).size).toBeLessThanOrEqual(3)
    expect(new Set(ids).size).toBeGreaterThan(1)
  })

  test.runIf(db.server)('recycleMs replaces old connections', async () => {
    const engine = await db.engine({ pool: { size: 1, maxOverflow: 0, recycleMs: 1000 } })
    const first = await engine.scalar(connectionId())
    expect(await engine.scalar(connectionId())).toBe(first)
    await new Promise((resolve) => setTimeout(resolve, 1300))
    await engine.scalar(connectionId())
    expect(await engine.scalar(connectionId())).not.toBe(first)
  })

  // SQLite has one connection whatever the options; the servers get one here to match.
  const single = { pool: { size: 1, maxOverflow: 0, timeoutMs: 300 } }

  test('a statement on the engine inside its only connection’s transaction times out, naming the mistake', async () => {
    const engine = await db.engine(single)
    const error = await engine.transaction(async () => engine.scalar(sql`SELECT 1 AS n`)).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(PoolTimeoutError)
    expect((error as Error).message).toMatch(/inside engine\.transaction\(\), run statements on the tx argument, not on the engine/)
    // The connection is free again afterwards.
    expect(await engine.scalar(sql<{ n: number }>`SELECT 1 AS n`)).toEqual(expect.anything())
  })

  test('concurrent transactions queue in order, and work a transaction started runs after it ends', async () => {
    const engine = await db.engine({ pool: { size: 1, maxOverflow: 0, timeoutMs: 5000 } })
    const order: string[] = []
    let holding!: () => void
    const firstHolds = new Promise<void>((resolve) => (holding = resolve))
    let asked!: () => void
    const laterAsked = new Promise<void>((resolve) => (asked = resolve))
    let later: Promise<unknown> | undefined
    await engine.transaction(async () => {
      // Not awaited: it asks for the connection after this transaction ended, while the next one holds it.
      later = firstHolds.then(() => {
        const statement = engine.scalar(sql<{ n: number }>`SELECT 2 AS n`)
        asked()
        return statement
      })
    })
    await Promise.all([
      engine.transaction(async (tx) => {
        holding()
        await laterAsked
        order.push('first')
        return tx.scalar(sql`SELECT 1 AS n`)
      }),
      engine.transaction(async () => void order.push('second')),
      later!.then(() => order.push('later')),
    ])
    expect(order).toEqual(['first', 'second', 'later'])
  })

  test.runIf(db.server)('inside a transaction, the engine still lends the connections it has left', async () => {
    const engine = await db.engine({ pool: { size: 2, maxOverflow: 0, timeoutMs: 300 } })
    const n = await engine.transaction(async (tx) => tx.transaction(async () => engine.scalar(sql<{ n: number }>`SELECT 3 AS n`)))
    expect(n).toBe(3)
    const error = await engine.transaction(async () => engine.transaction(async () => engine.scalar(sql`SELECT 1 AS n`))).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(PoolTimeoutError)
    expect((error as Error).message).toMatch(/2 in use/)
  })

  test('engines on the same database see each other’s commits', async () => {
    const a = await db.engine()
    const b = await db.engine()
    await a.execute(sql`CREATE TABLE shared (n INTEGER)`)
    await a.execute(sql`INSERT INTO shared (n) VALUES (${1})`)
    expect(Number(await b.scalar(sql`SELECT COUNT(*) AS c FROM shared`))).toBe(1)
  })
})
