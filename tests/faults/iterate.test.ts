/**
 * iterate() under faults: a server error mid-stream, a connection killed mid-stream. The stream
 * must throw, and the connection must never go back to the pool in an unknown protocol state.
 */
import { expect, test } from 'vitest'
import { sql } from '../../packages/core/src/index'
import { forEachDialect } from '../support'

const ROWS = 20_000

forEachDialect((db) => {
  const single = { pool: { size: 1, maxOverflow: 0, timeoutMs: 10_000 } }

  async function numbers(engine: Awaited<ReturnType<typeof db.engine>>): Promise<void> {
    await engine.execute(sql`CREATE TABLE cl (id integer primary key)`)
    const ids = Array.from({ length: ROWS }, (_, i) => i + 1)
    for (let i = 0; i < ids.length; i += 1000) {
      const chunk = ids.slice(i, i + 1000)
      await engine.execute(sql`INSERT INTO cl (id) VALUES ${sql.raw(chunk.map((id) => `(${id})`).join(', '))}`)
    }
  }

  // SQLite and MariaDB raise 1/0 differently (NULL, or an error only in strict mode): a failing cast instead.
  const failingAt = (id: number) =>
    db.dialect === 'postgres'
      ? sql`SELECT id, 1/(id-${sql.raw(String(id))}) AS x FROM cl ORDER BY id`
      : db.dialect === 'mysql'
        ? sql`SELECT id, IF(id = ${sql.raw(String(id))}, (SELECT 1 UNION SELECT 2), 1) AS x FROM cl ORDER BY id`
        : sql`SELECT id, CASE WHEN id = ${sql.raw(String(id))} THEN abs(-9223372036854775807 - 1) ELSE 1 END AS x FROM cl ORDER BY id`

  test('a server error mid-stream throws, and the next statement on the connection is right', async () => {
    const engine = await db.engine(single)
    await numbers(engine)
    let seen = 0
    const error = await (async () => {
      for await (const _row of engine.iterate(failingAt(3000))) seen++
    })().catch((e: unknown) => e)
    expect(error).toBeInstanceOf(Error)
    expect(seen).toBeLessThan(3000)
    expect(await engine.all(sql<{ v: number }>`SELECT 42 AS v`)).toEqual([{ v: 42 }])
    expect(await engine.scalar(sql<{ n: number }>`SELECT count(*) AS n FROM cl`)).toEqual(expect.anything())
    expect(Number(await engine.scalar(sql<{ n: number }>`SELECT count(*) AS n FROM cl`))).toBe(ROWS)
  })

  test.runIf(db.server)('a connection killed mid-iterate throws, and the pool recovers', async () => {
    const engine = await db.engine(single)
    await numbers(engine)
    const id = await engine.scalar(db.connectionIdSql())
    let seen = 0
    const error = await (async () => {
      for await (const _row of engine.iterate(sql`SELECT id, repeat('x', 1000) AS pad FROM cl ORDER BY id`)) {
        if (++seen === 10) await db.killConnection(Number(id))
      }
    })().catch((e: unknown) => e)
    expect(error).toBeInstanceOf(Error)
    expect(seen).toBeLessThan(ROWS)
    expect(await engine.all(sql<{ v: number }>`SELECT 42 AS v`)).toEqual([{ v: 42 }])
  })

  test.runIf(db.server)('a connection killed mid-iterate in a transaction throws at once', async () => {
    const engine = await db.engine(single)
    await numbers(engine)
    let seen = 0
    let streamError: unknown
    const error = await engine
      .transaction(async (tx) => {
        const id = await tx.scalar(db.connectionIdSql())
        try {
          for await (const _row of tx.iterate(sql`SELECT id, repeat('x', 1000) AS pad FROM cl ORDER BY id`)) {
            if (++seen === 10) await db.killConnection(Number(id))
          }
        } catch (e) {
          streamError = e
          throw e
        }
      })
      .catch((e: unknown) => e)
    // The loop itself throws, not only COMMIT.
    expect(streamError).toBeInstanceOf(Error)
    expect(error).toBeInstanceOf(Error)
    expect(seen).toBeLessThan(ROWS)
    expect(await engine.all(sql<{ v: number }>`SELECT 42 AS v`)).toEqual([{ v: 42 }])
  })
})
