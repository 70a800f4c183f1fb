/**
 * The shared multi-dialect harness: write a test once, run it on SQLite, PostgreSQL and
 * MySQL/MariaDB. Each test gets its own fresh database (MySQL: a database; PostgreSQL: a schema
 * reached through `searchPath`; SQLite: a file in a temporary directory), created on first use
 * and dropped after the test, with every engine the test opened closed.
 *
 * @example
 * forEachDialect((db) => {
 *   test('counts rows', async () => {
 *     const engine = await db.engine()
 *     expect(await engine.scalar(sql<{ n: number }>`select 1 as n`)).toBe(1)
 *   })
 * })
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, afterEach, describe, inject } from 'vitest'
import { getDialect } from '../../packages/core/src/dialects'
import type { Capabilities, Dialect, DialectName } from '../../packages/core/src/dialects/dialect'
import { createEngine, type Engine, type EngineOptions } from '../../packages/core/src/engine'
import { sql } from '../../packages/core/src/expr/sql'
import { DIALECTS, serverUrl } from './servers'

/** Where one test's database lives. */
export interface TestTarget {
  readonly url: string
  /** Options the URL needs (PostgreSQL: the test's `searchPath`). */
  readonly options: EngineOptions
  /** The database (MySQL), schema (PostgreSQL) or file (SQLite) made for this test. */
  readonly name: string
}

/** One dialect as a test sees it. */
export interface TestDatabase {
  readonly dialect: DialectName
  readonly dialectObject: Dialect
  readonly capabilities: Capabilities
  /** True for client/server databases (connections can be killed, the server can be unreachable). */
  readonly server: boolean
  /** The server URL the per-test databases are made on. */
  readonly serverUrl: string
  /** This test's fresh database (created on first call within a test). */
  target(): Promise<TestTarget>
  /** An engine on this test's database; closed after the test. `options` are merged over the target's. */
  engine(options?: EngineOptions): Promise<Engine>
  /** An engine on the server itself, outside the test's database (shared, closed after the file). */
  admin(): Promise<Engine>
  /** Waits until a statement containing `marker` runs on the server, then kills its connection. */
  killConnectionRunning(marker: string): Promise<void>
  /**
   * Kills the server connection with this id (`pg_backend_pid()` / `CONNECTION_ID()`) and returns
   * once the server no longer lists it.
   */
  killConnection(id: number): Promise<void>
  /** SQL giving the id of the connection it runs on, as `id`. */
  connectionIdSql(): ReturnType<typeof sql>
  /** SQL for a statement that takes `seconds` to run, tagged with `marker` so it can be found. */
  sleepSql(seconds: number, marker: string): ReturnType<typeof sql>
}

let counter = 0
let sqliteDir: string | undefined

function uniqueName(): string {
  return `quarry_t_${process.pid}_${Date.now().toString(36)}_${++counter}`
}

/** The server URL with another database name. */
export function withDatabase(url: string, database: string): string {
  const match = /^([^:]+:\/\/[^/?]*)(\/[^?]*)?(\?.*)?$/.exec(url)
  if (!match) throw new Error(`cannot set the database of '${url}'`)
  return `${match[1]}/${database}${match[3] ?? ''}`
}

function createTestDatabase(dialect: DialectName): TestDatabase {
  const base = serverUrl(dialect)
  const dialectObject = getDialect(dialect)
  let current: TestTarget | undefined
  let creating: Promise<TestTarget> | undefined
  let engines: Engine[] = []
  let adminEngine: Engine | undefined

  async function admin(): Promise<Engine> {
    adminEngine ??= createEngine(base, { pool: { size: 2, maxOverflow: 2, timeoutMs: 10_000 } })
    return adminEngine
  }

  async function create(): Promise<TestTarget> {
    const name = uniqueName()
    if (dialect === 'sqlite') {
      sqliteDir ??= mkdtempSync(join(tmpdir(), 'quarry-tests-'))
      const file = join(sqliteDir, `${name}.db`)
      return { url: `sqlite:///${file}`, options: {}, name: file }
    }
    const server = await admin()
    if (dialect === 'postgres') {
      await server.execute(sql`CREATE SCHEMA ${sql.identifier(name)}`)
      return { url: base, options: { searchPath: name }, name }
    }
    await server.execute(sql`CREATE DATABASE ${sql.identifier(name)}`)
    return { url: withDatabase(base, name), options: {}, name }
  }

  async function drop(target: TestTarget): Promise<void> {
    if (dialect === 'sqlite') {
      for (const suffix of ['', '-wal', '-shm', '-journal']) rmSync(target.name + suffix, { force: true })
      return
    }
    const server = await admin()
    if (dialect === 'postgres') await server.execute(sql`DROP SCHEMA IF EXISTS ${sql.identifier(target.name)} CASCADE`)
    else await server.execute(sql`DROP DATABASE IF EXISTS ${sql.identifier(target.name)}`)
  }

  async function target(): Promise<TestTarget> {
    if (current) return current
    creating ??= create().then((made) => (current = made))
    return creating
  }

  async function cleanUp(): Promise<void> {
    const open = engines
    engines = []
    await Promise.allSettled(open.map((engine) => engine.close()))
    const done = current ?? (creating ? await creating.catch(() => undefined) : undefined)
    current = undefined
    creating = undefined
    if (done) await drop(done)
  }

  return {
    dialect,
    dialectObject,
    capabilities: dialectObject.capabilities,
    server: dialect !== 'sqlite',
    serverUrl: base,
    target,
    async engine(options: EngineOptions = {}) {
      const made = await target()
      const engine = createEngine(made.url, { ...made.options, ...options, pool: { ...made.options.pool, ...options.pool } })
      engines.push(engine)
      return engine
    },
    admin,
    async killConnectionRunning(marker: string) {
      const server = await admin()
      const deadline = Date.now() + 10_000
      for (;;) {
        if (dialect === 'postgres') {
          const killed = await server.all(
            sql`SELECT pg_terminate_backend(pid) AS killed FROM pg_stat_activity WHERE query LIKE ${'%' + marker + '%'} AND pid <> pg_backend_pid()`,
          )
          if (killed.length > 0) return
        } else if (dialect === 'mysql') {
          const ids = await server.all<{ id: number }>(
            sql`SELECT id FROM information_schema.processlist WHERE info LIKE ${'%' + marker + '%'} AND id <> CONNECTION_ID()`,
          )
          if (ids.length > 0) {
            for (const { id } of ids) await server.execute(sql.raw(`KILL ${Number(id)}`))
            return
          }
        } else {
          throw new Error('SQLite has no connections to kill')
        }
        if (Date.now() > deadline) throw new Error(`no statement containing '${marker}' appeared on the server`)
        await new Promise((resolve) => setTimeout(resolve, 20))
      }
    },
    async killConnection(id: number) {
      const server = await admin()
      // Returns once the server no longer has the connection, so a test never races its exit.
      if (dialect === 'postgres') await server.execute(sql`SELECT pg_terminate_backend(${id}, 10000)`)
      else if (dialect === 'mysql') {
        await server.execute(sql.raw(`KILL ${Number(id)}`))
        const deadline = Date.now() + 10_000
        while ((await server.all(sql`SELECT id FROM information_schema.processlist WHERE id = ${id}`)).length > 0) {
          if (Date.now() > deadline) throw new Error(`connection ${id} was still on the server 10 s after KILL`)
          await new Promise((resolve) => setTimeout(resolve, 10))
        }
      } else throw new Error('SQLite has no connections to kill')
    },
    connectionIdSql() {
      if (dialect === 'postgres') return sql`SELECT pg_backend_pid() AS id`
      if (dialect === 'mysql') return sql`SELECT CONNECTION_ID() AS id`
      return sql`SELECT 0 AS id`
    },
    sleepSql(seconds: number, marker: string) {
      const tag = sql.raw(`/* ${marker.replace(/\*\//g, '')} */`)
      if (dialect === 'postgres') return sql`SELECT pg_sleep(${sql.raw(String(seconds))}) ${tag}`
      if (dialect === 'mysql') return sql`SELECT SLEEP(${sql.raw(String(seconds))}) ${tag}`
      return sql`SELECT 1 ${tag}`
    },
    // Internal: used by forEachDialect.
    ...({ cleanUp, closeAdmin: async () => adminEngine?.close() } as object),
  } as TestDatabase
}

/**
 * Runs `define` once per dialect inside `describe('<dialect>')`. Dialects whose server the
 * global setup could not reach are skipped.
 */
export function forEachDialect(define: (db: TestDatabase) => void): void {
  const availability = inject('quarryDialects')
  for (const dialect of DIALECTS) {
    const state = availability?.[dialect]
    const available = state?.available ?? dialect === 'sqlite'
    describe.skipIf(!available)(dialect, () => {
      const db = createTestDatabase(dialect) as TestDatabase & { cleanUp(): Promise<void>; closeAdmin(): Promise<void> }
      afterEach(() => db.cleanUp())
      afterAll(async () => {
        await db.closeAdmin()
        if (sqliteDir) rmSync(sqliteDir, { recursive: true, force: true })
        sqliteDir = undefined
      })
      define(db)
    })
  }
}

/** The dialects (for tests that loop by hand). */
export { DIALECTS }
