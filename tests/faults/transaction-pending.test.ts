/**
 * A transaction callback that returns while its statements still run (`forEach(async …)`, a
 * forgotten await) must not be reported as committed.
 */
import { expect, test } from 'vitest'
import { sql } from '../../packages/core/src/index'
import { QuarryError } from '../../packages/core/src/errors'
import { forEachDialect } from '../support'

forEachDialect((db) => {
  async function setUp() {
    const engine = await db.engine({ pool: { size: 2, maxOverflow: 0, timeoutMs: 10_000 } })
    await engine.execute(sql`CREATE TABLE k (name varchar(20) primary key)`)
    await engine.execute(sql`INSERT INTO k (name) VALUES ('taken')`)
    return engine
  }
  const names = (engine: Awaited<ReturnType<typeof setUp>>) =>
    engine.all(sql<{ name: string }>`SELECT name FROM k ORDER BY name`).then((rows) => rows.map((row) => row.name))

  // SQLite runs each statement synchronously: it is done before the callback returns, so nothing is pending there.
  test.runIf(db.server)('statements still running when the callback returns make transaction() reject, and nothing is committed', async () => {
    const engine = await setUp()
    const unobserved: Promise<unknown>[] = []
    const error = await engine
      .transaction(async (tx) => {
        // What ['a', 'taken', 'b'].forEach(async (k) => await tx.execute(…)) does: nobody waits.
        for (const key of ['a', 'taken', 'b']) unobserved.push(tx.execute(sql`INSERT INTO k (name) VALUES (${key})`).catch((e: unknown) => e))
      })
      .catch((e: unknown) => e)
    expect(error).toBeInstanceOf(QuarryError)
    expect((error as Error).message).toMatch(/3 statements were still running/)
    expect((error as Error).message).toMatch(/forEach/)
    await Promise.all(unobserved)
    expect(await names(engine)).toEqual(['taken'])
  })

  test.runIf(db.server)('even when every pending statement succeeds, the transaction is rolled back and rejects', async () => {
    const engine = await setUp()
    const unobserved: Promise<unknown>[] = []
    const error = await engine
      .transaction(async (tx) => {
        for (const key of ['a', 'b']) unobserved.push(tx.execute(sql`INSERT INTO k (name) VALUES (${key})`))
      })
      .catch((e: unknown) => e)
    expect(error).toBeInstanceOf(QuarryError)
    expect((error as Error).message).toMatch(/2 statements were still running/)
    await Promise.all(unobserved)
    expect(await names(engine)).toEqual(['taken'])
  })

  test.runIf(db.server)('a nested transaction left running makes the outer one reject', async () => {
    const engine = await setUp()
    let inner: Promise<unknown> | undefined
    const error = await engine
      .transaction(async (tx) => {
        inner = tx.transaction(async (sp) => sp.execute(sql`INSERT INTO k (name) VALUES ('a')`)).catch((e: unknown) => e)
      })
      .catch((e: unknown) => e)
    expect(error).toBeInstanceOf(QuarryError)
    expect((error as Error).message).toMatch(/1 statement was still running/)
    await inner
    expect(await names(engine)).toEqual(['taken'])
  })

  test('an iterate() loop left open when the callback returns makes transaction() reject, and the pool recovers', async () => {
    const engine = await setUp()
    const error = await engine
      .transaction(async (tx) => {
        await tx.execute(sql`INSERT INTO k (name) VALUES ('a')`)
        const rows = tx.iterate(sql<{ name: string }>`SELECT name FROM k`)[Symbol.asyncIterator]()
        expect((await rows.next()).done).toBe(false)
      })
      .catch((e: unknown) => e)
    expect(error).toBeInstanceOf(QuarryError)
    expect((error as Error).message).toMatch(/1 statement was still running/)
    expect(await names(engine)).toEqual(['taken'])
  })

  test('awaited statements commit as before', async () => {
    const engine = await setUp()
    await engine.transaction(async (tx) => {
      await Promise.all(['a', 'b'].map((key) => tx.execute(sql`INSERT INTO k (name) VALUES (${key})`)))
    })
    expect(await names(engine)).toEqual(['a', 'b', 'taken'])
  })
})
