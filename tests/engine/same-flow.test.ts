/**
 * On an engine of one connection (SQLite always), a statement sent on the engine by the code that
 * holds that connection (inside `engine.transaction()`, or inside an `iterate()` loop) can never
 * get it: it waited `pool.timeoutMs` (30 s by default) and then timed out (issue 12 item 20). It now
 * fails at once, naming the mistake; other code still waits for the connection as before.
 */
import { ConnectionHeldError, PoolTimeoutError, sql } from '@quarry/core'
import { expect, test } from 'vitest'
import { forEachDialect } from '../support'

const one = sql<{ n: number }>`select 1 as n`
/** Long enough that waiting it out fails the test's own time budget. */
const POOL = { pool: { size: 1, maxOverflow: 0, timeoutMs: 20_000 } }

forEachDialect((db) => {
  test('the engine inside its only connection\'s transaction fails at once, naming the mistake', async () => {
    const engine = await db.engine(POOL)
    const started = performance.now()
    const error = await engine.transaction(async () => engine.all(one)).catch((e: unknown) => e)
    expect(performance.now() - started).toBeLessThan(2000)
    expect(error).toBeInstanceOf(ConnectionHeldError)
    expect(error).toBeInstanceOf(PoolTimeoutError)
    expect((error as Error).message).toMatch(/inside engine\.transaction\(\), run statements on the tx argument/)
    // The flow holds nothing once the transaction is over.
    expect(await engine.all(one)).toEqual([{ n: 1 }])
  })

  test('a statement on the engine inside its own iterate() loop fails at once', async () => {
    const engine = await db.engine(POOL)
    const started = performance.now()
    const error = await (async () => {
      for await (const row of engine.iterate(sql<{ n: number }>`select 1 as n union all select 2`)) await engine.all(one).then(() => row)
    })().catch((e: unknown) => e)
    expect(performance.now() - started).toBeLessThan(2000)
    expect(error).toBeInstanceOf(ConnectionHeldError)
    expect((error as Error).message).toMatch(/iterate\(\)/)
    // A loop that ends (here by break) gives the connection and the flow back.
    for await (const _ of engine.iterate(one)) break
    expect(await engine.all(one)).toEqual([{ n: 1 }])
  })

  test('other code still waits for the connection, and runs once the transaction ends', async () => {
    const engine = await db.engine(POOL)
    let release!: () => void
    const holding = new Promise<void>((resolve) => (release = resolve))
    let inTransaction!: () => void
    const entered = new Promise<void>((resolve) => (inTransaction = resolve))
    const transaction = engine.transaction(async (tx) => {
      inTransaction()
      await holding
      return tx.all(one)
    })
    await entered
    let done = false
    const beside = engine.all(one).then((rows) => ((done = true), rows))
    // Let the waiting statement try (it must wait, not fail).
    for (let i = 0; i < 20; i++) await new Promise((resolve) => setImmediate(resolve))
    expect(done).toBe(false)
    release()
    expect(await transaction).toEqual([{ n: 1 }])
    expect(await beside).toEqual([{ n: 1 }])
  })
})
