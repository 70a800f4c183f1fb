/**
 * Statement timeouts and cancel (issue 12 item 19): a statement over its timeout, or whose
 * AbortSignal fires, is canceled on the server and throws StatementTimeoutError /
 * StatementCanceledError; its connection is usable afterwards or closed; close({ timeoutMs })
 * cancels what is still running. SQLite's driver cannot interrupt a statement: timeouts are refused
 * there, and a signal is checked before the statement starts.
 */
import { expect, test } from 'vitest'
import { createEngine, sql } from '../../packages/core/src/index'
import { QuarryError, StatementCanceledError, StatementTimeoutError, TransactionAbortedError, UrlError } from '../../packages/core/src/errors'
import { forEachDialect, type TestDatabase } from '../support'

/** Statements on the server whose text contains `marker` (not counting the one asking). */
async function running(db: TestDatabase, marker: string): Promise<number> {
  const admin = await db.admin()
  const pattern = '%' + marker + '%'
  return Number(
    await admin.scalar(
      db.dialect === 'postgres'
        ? sql`SELECT count(*) AS n FROM pg_stat_activity WHERE query LIKE ${pattern} AND state = 'active' AND pid <> pg_backend_pid()`
        : sql`SELECT count(*) AS n FROM information_schema.processlist WHERE info LIKE ${pattern} AND id <> CONNECTION_ID()`,
    ),
  )
}

/** Waits until a statement containing `marker` runs on the server (it has been sent). */
async function started(db: TestDatabase, marker: string): Promise<void> {
  const deadline = Date.now() + 10_000
  while ((await running(db, marker)) === 0) {
    if (Date.now() > deadline) throw new Error(`no statement containing '${marker}' appeared on the server`)
  }
}

/** Waits until no statement containing `marker` runs on the server any more; false after 5 s. */
async function gone(db: TestDatabase, marker: string): Promise<boolean> {
  const deadline = Date.now() + 5_000
  while ((await running(db, marker)) > 0) if (Date.now() > deadline) return false
  return true
}

let markers = 0
const marker = (what: string) => `quarry-${what}-${process.pid}-${++markers}`

forEachDialect((db) => {
  const single = { pool: { size: 1, maxOverflow: 0, timeoutMs: 10_000 } }

  test.runIf(db.server)('a statement over its timeoutMs is canceled on the server: StatementTimeoutError, and the connection is reused', async () => {
    const engine = await db.engine(single)
    const id = await engine.scalar(db.connectionIdSql())
    const tag = marker('call')
    const start = Date.now()
    const error = await engine.scalar(db.sleepSql(30, tag), undefined, { timeoutMs: 300 }).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(StatementTimeoutError)
    expect(Date.now() - start).toBeLessThan(5_000)
    expect((error as Error).message).toMatch(/^the SELECT statement ran longer than its statement timeout of 300 ms and was canceled/)
    expect((error as StatementTimeoutError).timeoutMs).toBe(300)
    expect(await gone(db, tag)).toBe(true)
    // PostgreSQL confirms the cancel, so the same connection goes on; MariaDB's SLEEP() answers 1
    // instead of an error, so that connection is closed and a new one opened.
    expect(await engine.scalar(sql<{ n: number }>`SELECT 7 AS n`)).toBe(7)
    if (db.dialect === 'postgres') expect(await engine.scalar(db.connectionIdSql())).toBe(id)
  })

  test.runIf(db.server)('engine-wide statementTimeoutMs, and a transaction’s own, cancel statements inside transactions', async () => {
    const engine = await db.engine({ ...single, statementTimeoutMs: 300 })
    const tag = marker('engine')
    expect(await engine.scalar(db.sleepSql(30, tag)).catch((e: unknown) => e)).toBeInstanceOf(StatementTimeoutError)
    expect(await gone(db, tag)).toBe(true)
    // A call's own timeout wins over the engine's.
    expect(Number(await engine.scalar(db.sleepSql(0.5, marker('longer')), undefined, { timeoutMs: 10_000 }))).toBe(0)
    const inner = marker('tx')
    const outcome = await engine
      .transaction(
        async (tx) => {
          const error = await tx.scalar(db.sleepSql(30, inner)).catch((e: unknown) => e)
          expect(error).toBeInstanceOf(StatementTimeoutError)
          expect((error as StatementTimeoutError).timeoutMs).toBe(200)
          // The canceled statement aborted the transaction (on every dialect): later statements say why.
          await expect(tx.scalar(sql`SELECT 1 AS n`)).rejects.toThrow(TransactionAbortedError)
          return 'done'
        },
        { statementTimeoutMs: 200 },
      )
      .catch((e: unknown) => e)
    expect(outcome).toEqual(expect.any(TransactionAbortedError))
    expect(await gone(db, inner)).toBe(true)
    expect(await engine.scalar(sql<{ n: number }>`SELECT 8 AS n`)).toBe(8)
  })

  test.runIf(db.server)('an AbortSignal cancels the statement on the server: StatementCanceledError with the reason as cause', async () => {
    const engine = await db.engine(single)
    const tag = marker('signal')
    const controller = new AbortController()
    const pending = engine.scalar(db.sleepSql(30, tag), undefined, { signal: controller.signal }).catch((e: unknown) => e)
    await started(db, tag)
    controller.abort(new Error('the user left'))
    const error = await pending
    expect(error).toBeInstanceOf(StatementCanceledError)
    expect(error).not.toBeInstanceOf(StatementTimeoutError)
    expect((error as Error).message).toMatch(/^the SELECT statement was canceled by its AbortSignal/)
    expect(((error as Error).cause as Error).message).toBe('the user left')
    expect(await gone(db, tag)).toBe(true)
    expect(await engine.scalar(sql<{ n: number }>`SELECT 9 AS n`)).toBe(9)
  })

  test.runIf(db.server)('close({ timeoutMs }) cancels a statement still running, and the server no longer runs it', async () => {
    const engine = await db.engine(single)
    const tag = marker('close')
    const pending = engine.scalar(db.sleepSql(60, tag)).catch((e: unknown) => e)
    await started(db, tag)
    const warnings: string[] = []
    const warn = console.warn
    console.warn = (message: string) => void warnings.push(message)
    const start = Date.now()
    try {
      await engine.close({ timeoutMs: 100 })
    } finally {
      console.warn = warn
    }
    expect(Date.now() - start).toBeLessThan(10_000)
    expect(warnings.join('\n')).toMatch(/waited 100 ms for 1 connection\(s\) still in use .*canceled the statements they were running/)
    expect(await gone(db, tag)).toBe(true)
    await pending
  })

  test('options are checked: unknown keys, bad timeouts and signals name the option', async () => {
    const engine = await db.engine()
    const one = sql`SELECT 1 AS n`
    await expect(engine.all(one, undefined, { timeout: 5 } as never)).rejects.toThrow(/unknown statement option 'timeout' \(use timeoutMs, signal\)/)
    await expect(engine.all(one, undefined, { timeoutMs: -1 })).rejects.toThrow(/timeoutMs must be a whole number of milliseconds/)
    await expect(engine.all(one, undefined, { signal: {} as AbortSignal })).rejects.toThrow(/must be an AbortSignal/)
    await expect(engine.transaction(async () => 1, { statementTimeoutMs: 1.5 })).rejects.toThrow(/statementTimeoutMs must be a whole number/)
    await expect(engine.iterate(one, undefined, { timeoutMs: 5 })[Symbol.asyncIterator]().next()).rejects.toThrow(/iterate\(\) takes no timeoutMs/)
    await expect(engine.close({ timeoutMs: -5 })).rejects.toThrow(/close\(\{ timeoutMs \}\) must be a number/)
  })

  test('a signal aborted before the call sends nothing', async () => {
    const engine = await db.engine()
    await engine.execute(sql`CREATE TABLE hits (n INTEGER)`)
    const signal = AbortSignal.abort(new Error('too late'))
    const error = await engine.execute(sql`INSERT INTO hits (n) VALUES (${1})`, undefined, { signal }).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(StatementCanceledError)
    expect((error as Error).message).toMatch(/the INSERT statement was not sent: its AbortSignal had already aborted/)
    await expect(engine.iterate(sql`SELECT n FROM hits`, undefined, { signal })[Symbol.asyncIterator]().next()).rejects.toThrow(StatementCanceledError)
    // A signal that has not fired lets the statement run.
    await engine.execute(sql`INSERT INTO hits (n) VALUES (${2})`, undefined, { signal: new AbortController().signal })
    expect(await engine.all(sql<{ n: number }>`SELECT n FROM hits`)).toEqual([{ n: 2 }])
  })

  test.runIf(!db.server)('SQLite cannot interrupt a statement: a timeout is refused, naming the option and why', async () => {
    const engine = await db.engine({ statementTimeoutMs: 1000 })
    await expect(engine.scalar(sql`SELECT 1 AS n`)).rejects.toThrow(/statementTimeoutMs \(1000 ms\) cannot be honoured on .*better-sqlite3 runs each statement synchronously/)
    const plain = await db.engine()
    const error = await plain.scalar(sql`SELECT 1 AS n`, undefined, { timeoutMs: 50 }).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(QuarryError)
    expect((error as Error).message).toMatch(/a statement timeout of 50 ms cannot be honoured/)
  })

  test.runIf(db.dialect === 'postgres')('statement_timeout in a PostgreSQL URL sets the statement timeout', async () => {
    const target = await db.target()
    const engine = createEngine(`${target.url}${target.url.includes('?') ? '&' : '?'}statement_timeout=250ms`, { ...target.options, ...single })
    try {
      const error = await engine.scalar(db.sleepSql(30, marker('url'))).catch((e: unknown) => e)
      expect(error).toBeInstanceOf(StatementTimeoutError)
      expect((error as StatementTimeoutError).timeoutMs).toBe(250)
    } finally {
      await engine.close()
    }
    expect(() => createEngine(`${target.url}?statement_timeout=soon`)).toThrow(UrlError)
    expect(() => createEngine(`${target.url}?statement_timeout=2s`, { statementTimeoutMs: 1000 })).toThrow(/disagree/)
    await createEngine(`${target.url}?statement_timeout=2s`, { statementTimeoutMs: 2000 }).close()
  })
})
