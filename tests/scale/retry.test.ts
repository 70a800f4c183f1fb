/**
 * transaction(fn, { retry }) and runSession(…, { retry }): concurrent SERIALIZABLE transactions
 * that really conflict (PostgreSQL 40001, MariaDB deadlock 1213) are re-run until the final state
 * is the serial one; a run that called preventRetry() lets the failure through; when attempts run
 * out the error says how many were made.
 */
import Database from 'better-sqlite3'
import { expect, test } from 'vitest'
import { createEngine, defineSchema, eq, insert, select, sql, update, withRetry, type Engine, type Queryable } from '../../packages/core/src/index'
import { DatabaseError, QuarryError, SerializationFailure } from '../../packages/core/src/errors'
import { runSession } from '../../packages/orm/src/index'
import { forEachDialect, type TestDatabase } from '../support'

const schema = defineSchema({
  counters: {
    columns: {
      id: { type: 'integer', primaryKey: true },
      n: { type: 'integer' },
    },
  },
})
const { counters } = schema

const WORKERS = 10
const ROUNDS = 3
const COUNTERS = 3
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

/** A promise each party awaits until `parties` have arrived. */
function barrier(parties: number): () => Promise<void> {
  let arrived = 0
  let open!: () => void
  const opened = new Promise<void>((resolve) => (open = resolve))
  return () => {
    if (++arrived === parties) open()
    return opened
  }
}

async function counterValues(engine: Queryable): Promise<number[]> {
  return (await engine.all(select({ n: counters.n }).from(counters).orderBy(counters.id))).map((row) => row.n)
}

/** Reads counter `id` and writes it back plus one, with a pause between so that transactions overlap. */
async function increment(tx: Queryable, id: number): Promise<void> {
  const n = await tx.scalar(select({ n: counters.n }).from(counters).where(eq(counters.id, id)))
  await sleep(2)
  await tx.execute(update(counters).set({ n: n + 1 }).where(eq(counters.id, id)))
}

forEachDialect((db) => {
  async function ready(): Promise<Engine> {
    const engine = await db.engine({ pool: { size: WORKERS, maxOverflow: 2 } })
    await engine.createAll(schema)
    await engine.execute(insert(counters).values(Array.from({ length: COUNTERS }, (_, i) => ({ id: i + 1, n: 0 }))))
    return engine
  }

  test('10 concurrent workers incrementing counters under SERIALIZABLE end in the serial state', async () => {
    const engine = await ready()
    let retries = 0
    const seenAttempts = new Set<number>()
    await Promise.all(
      Array.from({ length: WORKERS }, async (_, worker) => {
        for (let round = 0; round < ROUNDS; round++) {
          await engine.transaction(
            async (tx) => {
              seenAttempts.add(tx.attempt)
              // Two counters per transaction, in an order that differs between workers: deadlocks too.
              const first = (worker % COUNTERS) + 1
              const second = ((worker + round + 1) % COUNTERS) + 1
              await increment(tx, first)
              if (second !== first) await increment(tx, second)
            },
            { isolation: 'serializable', retry: { attempts: 100, backoff: { initialMs: 2, maxMs: 50 }, onRetry: () => retries++ } },
          )
        }
      }),
    )
    // The serial state: replay the same increments one at a time.
    const expected = Array.from({ length: COUNTERS }, () => 0)
    for (let worker = 0; worker < WORKERS; worker++) {
      for (let round = 0; round < ROUNDS; round++) {
        const first = worker % COUNTERS
        const second = (worker + round + 1) % COUNTERS
        expected[first]! += 1
        if (second !== first) expected[second]! += 1
      }
    }
    expect(await counterValues(engine)).toEqual(expected)
    // SQLite's one connection runs transactions one after another: nothing to retry there.
    if (db.server) {
      expect(retries).toBeGreaterThan(0)
      expect(Math.max(...seenAttempts)).toBeGreaterThan(1)
    } else expect(retries).toBe(0)
  })

  test('runSession re-runs the whole unit of work with a fresh session, so no increment is lost', async () => {
    const engine = await ready()
    let retries = 0
    await Promise.all(
      Array.from({ length: WORKERS }, (_, worker) =>
        runSession(
          engine,
          async (session) => {
            const counter = await session.get(counters, (worker % COUNTERS) + 1)
            await sleep(2)
            counter!.n += 1
          },
          { isolation: 'serializable', retry: { attempts: 100, backoff: { initialMs: 2, maxMs: 50 }, onRetry: () => retries++ } },
        ),
      ),
    )
    const expected = Array.from({ length: COUNTERS }, (_, i) => Array.from({ length: WORKERS }, (_, w) => w % COUNTERS).filter((c) => c === i).length)
    expect(await counterValues(engine)).toEqual(expected)
    if (db.server) expect(retries).toBeGreaterThan(0)
  })
})

/** Two transactions that both read counter 1 before either writes it: one of them must fail. */
async function conflictingPair(engine: Engine, options: { preventRetry: boolean; attempts: number }) {
  const bothRead = barrier(2)
  const runs: number[] = []
  const worker = (name: number) =>
    engine.transaction(
      async (tx) => {
        runs.push(name)
        if (options.preventRetry) tx.preventRetry('an email was sent')
        const n = await tx.scalar(select({ n: counters.n }).from(counters).where(eq(counters.id, 1)))
        if (tx.attempt === 1) await bothRead()
        await tx.execute(update(counters).set({ n: n + 1 }).where(eq(counters.id, 1)))
      },
      { isolation: 'serializable', retry: { attempts: options.attempts, backoff: { initialMs: 1, maxMs: 5 } } },
    )
  const results = await Promise.allSettled([worker(1), worker(2)])
  return { results, runs }
}

forEachDialect((db: TestDatabase) => {
  async function ready(): Promise<Engine> {
    const engine = await db.engine()
    await engine.createAll(schema)
    await engine.execute(insert(counters).values({ id: 1, n: 0 }))
    return engine
  }

  // Two transactions open at once on two connections: SQLite's single connection runs them in turn.
  test.skipIf(!db.server)('a real conflict is retried: both increments land', async () => {
    const engine = await ready()
    const { results, runs } = await conflictingPair(engine, { preventRetry: false, attempts: 5 })
    expect(results.map((result) => result.status)).toEqual(['fulfilled', 'fulfilled'])
    expect(runs).toHaveLength(3)
    expect(await counterValues(engine)).toEqual([2])
  })

  test.skipIf(!db.server)('after preventRetry() the conflict reaches the caller and the function ran once', async () => {
    const engine = await ready()
    const { results, runs } = await conflictingPair(engine, { preventRetry: true, attempts: 5 })
    const failed = results.filter((result) => result.status === 'rejected')
    expect(failed).toHaveLength(1)
    const error = (failed[0] as PromiseRejectedResult).reason
    expect(error).toBeInstanceOf(SerializationFailure)
    expect(error.retryable).toBe(true)
    expect(error.message).not.toMatch(/attempts/)
    expect(runs.sort()).toEqual([1, 2])
    expect(await counterValues(engine)).toEqual([1])
  })

  test('when attempts run out the error says how many were made, and keeps its class and code', async () => {
    const engine = await ready()
    let runs = 0
    let retries = 0
    let conflict: (tx: Queryable) => Promise<unknown>
    let cleanup = () => {}
    let target = engine
    if (db.dialect === 'postgres') conflict = (tx) => tx.execute(sql`DO $$ BEGIN RAISE EXCEPTION 'conflict' USING ERRCODE = '40001'; END $$`)
    else if (db.dialect === 'mysql') conflict = (tx) => tx.execute(sql`SIGNAL SQLSTATE '40001' SET MYSQL_ERRNO = 1213, MESSAGE_TEXT = 'conflict'`)
    else {
      // Another connection holds SQLite's write lock: the engine's writes fail with SQLITE_BUSY.
      const other = new Database((await db.target()).name)
      other.exec('BEGIN EXCLUSIVE')
      cleanup = () => other.close()
      target = createEngine(`${(await db.target()).url}?timeout=20`)
      const closeOther = cleanup
      cleanup = () => void target.close().finally(closeOther)
      conflict = (tx) => tx.execute(update(counters).set({ n: 5 }).where(eq(counters.id, 1)))
    }
    try {
      const error = await target
        .transaction(
          async (tx) => {
            runs++
            await conflict(tx)
          },
          { retry: { attempts: 3, backoff: () => 1, onRetry: () => retries++ } },
        )
        .catch((caught: unknown) => caught)
      expect(error).toBeInstanceOf(SerializationFailure)
      expect((error as DatabaseError).message).toMatch(/^gave up after 3 attempts: /)
      expect((error as DatabaseError & { attempts: number }).attempts).toBe(3)
      expect((error as DatabaseError).cause).toBeInstanceOf(SerializationFailure)
      expect(retries).toBe(2)
      // SQLite refuses the BEGIN itself (the lock is taken there), so the callback never starts.
      expect(runs).toBe(db.dialect === 'sqlite' ? 0 : 3)
    } finally {
      cleanup()
    }
  })

  test('errors that are not retryable are thrown at once; retry options are checked', async () => {
    const engine = await ready()
    let runs = 0
    const failing = engine.transaction(
      async (tx) => {
        runs++
        await tx.execute(insert(counters).values({ id: 1, n: 0 }))
      },
      { retry: { attempts: 5 } },
    )
    await expect(failing).rejects.toMatchObject({ name: 'UniqueViolation', retryable: false })
    expect(runs).toBe(1)
    await expect(engine.transaction(async () => 1, { retry: { attempts: 0 } })).rejects.toThrow('transaction retry.attempts must be an integer ≥ 1 (got 0)')
    await expect(engine.transaction(async () => 1, { retry: { attempts: 2, backoff: { maxMs: -1 } } })).rejects.toThrow('retry.backoff.maxMs must be a number ≥ 0')
    await expect(engine.transaction(async (tx) => tx.transaction(async () => 1, { retry: { attempts: 2 } }))).rejects.toThrow(QuarryError)
    await expect(engine.transaction(async (tx) => tx.transaction(async () => 1, { retry: { attempts: 2 } }))).rejects.toThrow(/only the outermost transaction/)
    // withRetry on its own: a plain function re-run on a retryable database error.
    let tries = 0
    const value = await withRetry({ attempts: 3, backoff: () => 0 }, async (attempt) => {
      tries++
      if (attempt.number < 2) throw new SerializationFailure('lost a race', { retryable: true })
      return 'done'
    })
    expect([value, tries]).toEqual(['done', 2])
  })
})
