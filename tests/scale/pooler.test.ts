/**
 * `pooler: 'transaction'` through a real PgBouncer (pool_mode = transaction, 2 server connections)
 * started on a free loopback port by scripts/topology/pgbouncer.mjs, in front of the suite's
 * PostgreSQL, on a database made for this file. Skipped, saying why, when pgbouncer is not
 * installed (`node scripts/topology/pgbouncer.mjs --install`) unless CI=true, where that fails.
 */
import { spawnSync } from 'node:child_process'
import { mkdirSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, inject, test } from 'vitest'
import { createEngine, defineSchema, eq, insert, select, sql, update, type Engine } from '../../packages/core/src/index'
import { CompileError, DatabaseError, PoolerError, QuarryError, StatementTimeoutError, UrlError } from '../../packages/core/src/errors'
import { pgbouncerBinary, startPgbouncer, type Pgbouncer } from '../../scripts/topology/pgbouncer.mjs'
import { runSession } from '../../packages/orm/src/index'
import { serverUrl } from '../support/servers'
import { withDatabase } from '../support/dialects'

const ci = process.env.CI === 'true'
const binary = pgbouncerBinary()
const postgres = inject('quarryDialects').postgres
const why = !postgres.available ? `PostgreSQL is unreachable (${postgres.reason})` : binary === undefined ? 'pgbouncer is not installed (node scripts/topology/pgbouncer.mjs --install)' : undefined
if (why !== undefined && ci && binary === undefined) throw new Error(`CI=true and ${why}`)
if (why !== undefined) console.log(`[quarry tests] SKIPPING tests/scale/pooler.test.ts: ${why}`)

const CLI = join(import.meta.dirname, '../../packages/migrate/src/cli.ts')
const WORK = join(import.meta.dirname, '.work-pooler')

const schema = defineSchema({
  accounts: {
    columns: {
      id: { type: 'integer', primaryKey: true },
      owner: { type: 'varchar', length: 50 },
      balance: { type: 'integer' },
    },
  },
  ledger: {
    columns: {
      id: { type: 'integer', primaryKey: true },
      accountId: { type: 'integer', references: { to: 'accounts.id' } },
      amount: { type: 'integer' },
    },
  },
})
const { accounts, ledger } = schema

const database = `quarry_pooler_${process.pid}_${Date.now().toString(36)}`
let bouncer: Pgbouncer
let admin: Engine
/** URLs of this file's database: through pgbouncer, and straight to PostgreSQL. */
let pooled: string
let direct: string
const engines: Engine[] = []

/** An engine through pgbouncer, closed after the file. */
function engine(options: Parameters<typeof createEngine>[1] = { pooler: 'transaction' }, url = pooled): Engine {
  const made = createEngine(url, options)
  engines.push(made)
  return made
}

/** Unhandled rejections seen while `fn` runs and shortly after. */
async function unhandledDuring(fn: () => Promise<unknown>): Promise<unknown[]> {
  const seen: unknown[] = []
  const listener = (reason: unknown) => void seen.push(reason)
  process.on('unhandledRejection', listener)
  try {
    await fn()
    await new Promise((resolve) => setTimeout(resolve, 100))
  } finally {
    process.off('unhandledRejection', listener)
  }
  return seen
}

describe.skipIf(why !== undefined)('PostgreSQL behind PgBouncer (transaction pooling)', () => {
  beforeAll(async () => {
    admin = createEngine(serverUrl('postgres'))
    await admin.execute(sql.raw(`CREATE DATABASE "${database}"`))
    bouncer = await startPgbouncer({ poolSize: 2 })
    pooled = bouncer.url(database)
    direct = withDatabase(serverUrl('postgres'), database)
    await engine().createAll(schema)
  })

  afterAll(async () => {
    await Promise.all(engines.map((made) => made.close({ timeoutMs: 1000 })))
    await bouncer?.stop()
    for (const name of [database, `${database}_m`]) await admin?.execute(sql.raw(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`))
    await admin?.close()
    rmSync(WORK, { recursive: true, force: true })
  })

  test('a refused session SET as the first statement of a transaction rejects cleanly: no unhandled rejection (pipelined BEGIN)', async () => {
    const db = engine()
    let caught: unknown
    const unhandled = await unhandledDuring(async () => {
      caught = await db.transaction(async (tx) => tx.execute(sql.raw('SET search_path = public'))).catch((error: unknown) => error)
    })
    expect(caught).toBeInstanceOf(PoolerError)
    expect((caught as Error).message).toContain("pooler: 'transaction'")
    expect((caught as Error).message).toContain('SET LOCAL')
    expect(unhandled).toEqual([])
    expect(await db.scalar(sql<{ n: number }>`SELECT 1 AS n`)).toBe(1)
  })

  test('any statement refused before it is sent, first in a transaction, rejects cleanly (too many parameters, straight to PostgreSQL)', async () => {
    const db = engine({}, direct)
    const count = 70_000
    const strings = ['SELECT 1 WHERE 1 IN (', ...Array<string>(count - 1).fill(', '), ')']
    const many = sql(Object.assign(strings, { raw: strings }) as TemplateStringsArray, ...Array.from({ length: count }, (_, i) => i))
    let caught: unknown
    const unhandled = await unhandledDuring(async () => {
      caught = await db.transaction(async (tx) => tx.all(many)).catch((error: unknown) => error)
    })
    expect(caught).toBeInstanceOf(CompileError)
    expect(unhandled).toEqual([])
    await db.close()
  })

  test('CRUD, RETURNING and iterate() through the pooler', async () => {
    const db = engine()
    await db.execute(insert(accounts).values([{ id: 1, owner: 'ann', balance: 100 }, { id: 2, owner: 'bob', balance: 50 }]))
    const [row] = (await db.execute(update(accounts).set({ balance: 120 }).where(eq(accounts.id, 1)).returning({ balance: accounts.balance }))).rows!
    expect(row).toEqual({ balance: 120 })
    expect(await db.all(select({ owner: accounts.owner, balance: accounts.balance }).from(accounts).orderBy(accounts.id))).toEqual([
      { owner: 'ann', balance: 120 },
      { owner: 'bob', balance: 50 },
    ])
    const seen: string[] = []
    for await (const account of db.iterate(select({ owner: accounts.owner }).from(accounts).orderBy(accounts.id))) seen.push(account.owner)
    expect(seen).toEqual(['ann', 'bob'])
    await db.execute(sql`DELETE FROM accounts WHERE id = ${2}`)
    expect(await db.scalar(sql<{ n: number }>`SELECT count(*)::int AS n FROM accounts`)).toBe(1)
    await db.execute(sql`DELETE FROM accounts`)
  })

  test('transactions commit and roll back; a savepoint rolled back keeps the rest of its transaction', async () => {
    const db = engine()
    await db.transaction(async (tx) => {
      await tx.execute(insert(accounts).values({ id: 10, owner: 'cy', balance: 10 }))
      await tx
        .transaction(async (inner) => {
          await inner.execute(insert(accounts).values({ id: 11, owner: 'dee', balance: 10 }))
          throw new Error('undo the savepoint')
        })
        .catch(() => undefined)
      await tx.execute(update(accounts).set({ balance: 15 }).where(eq(accounts.id, 10)))
      // A transaction-scoped setting and lock are fine behind the pooler.
      await tx.execute(sql.raw('SET LOCAL statement_timeout = 5000'))
      expect(await tx.scalar(sql<{ s: string }>`SELECT current_setting('statement_timeout') AS s`)).toBe('5s')
      await tx.execute(sql`SELECT pg_advisory_xact_lock(${42})`)
    })
    await expect(
      db.transaction(async (tx) => {
        await tx.execute(insert(accounts).values({ id: 12, owner: 'eve', balance: 10 }))
        throw new Error('roll back')
      }),
    ).rejects.toThrow('roll back')
    expect(await db.all(select({ id: accounts.id, balance: accounts.balance }).from(accounts).orderBy(accounts.id))).toEqual([{ id: 10, balance: 15 }])
    await db.execute(sql`DELETE FROM accounts`)
  })

  test('50 concurrent transactions over 2 server connections all land, each seeing its own writes', async () => {
    const db = engine({ pooler: 'transaction', pool: { size: 25, maxOverflow: 25 } })
    await db.execute(insert(accounts).values({ id: 1, owner: 'pot', balance: 0 }))
    const started = performance.now()
    const results = await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        db.transaction(async (tx) => {
          await tx.execute(insert(ledger).values({ id: i + 1, accountId: 1, amount: i + 1 }))
          await tx.execute(sql`UPDATE accounts SET balance = balance + ${i + 1} WHERE id = 1`)
          return tx.scalar(sql<{ n: number }>`SELECT amount AS n FROM ledger WHERE id = ${i + 1}`)
        }),
      ),
    )
    const ms = Math.round(performance.now() - started)
    expect(results).toEqual(Array.from({ length: 50 }, (_, i) => i + 1))
    expect(await db.scalar(select({ balance: accounts.balance }).from(accounts))).toBe(1275)
    expect(await db.scalar(sql<{ n: number }>`SELECT count(*)::int AS n FROM ledger`)).toBe(50)
    // pgbouncer kept to its 2 server connections while 50 clients ran transactions.
    const servers = await admin.scalar(sql<{ n: number }>`SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = ${database} AND pid <> pg_backend_pid()`)
    expect(servers).toBeLessThanOrEqual(2)
    console.log(`[pooler] 50 concurrent transactions over ${servers} server connections: ${ms} ms`)
    await db.execute(sql`DELETE FROM ledger`)
    await db.execute(sql`DELETE FROM accounts`)
  })

  test('ORM sessions under SERIALIZABLE with retry through the pooler: 10 workers, 3 increments each, end in the serial state', async () => {
    const db = engine({ pooler: 'transaction', pool: { size: 10, maxOverflow: 0 } })
    await db.execute(insert(accounts).values([{ id: 1, owner: 'a', balance: 0 }, { id: 2, owner: 'b', balance: 0 }]))
    let retries = 0
    await Promise.all(
      Array.from({ length: 10 }, (_, worker) =>
        (async () => {
          for (let round = 0; round < 3; round++) {
            await runSession(
              db,
              async (session) => {
                const account = await session.get(accounts, (worker % 2) + 1)
                account!.balance += 1
              },
              { isolation: 'serializable', retry: { attempts: 100, backoff: { initialMs: 2, maxMs: 50 }, onRetry: () => retries++ } },
            )
          }
        })(),
      ),
    )
    expect(await db.all(select({ balance: accounts.balance }).from(accounts).orderBy(accounts.id))).toEqual([{ balance: 15 }, { balance: 15 }])
    console.log(`[pooler] 30 serializable ORM sessions over 2 server connections: ${retries} retries`)
    await db.execute(sql`DELETE FROM accounts`)
  })

  test('without pooler mode, prepared statements break transactions through PgBouncer; with it, none fails', async () => {
    /** Runs rounds of 20 concurrent two-statement transactions; the errors they met. */
    async function workload(db: Engine, rounds: number, stopAtFirst: boolean): Promise<unknown[]> {
      const errors: unknown[] = []
      for (let round = 0; round < rounds && !(stopAtFirst && errors.length > 0); round++) {
        await Promise.all(
          Array.from({ length: 20 }, (_, i) =>
            db
              .transaction(async (tx) => {
                await tx.all(sql`SELECT ${i}::int + ${i % 3} AS n`)
                await tx.all(sql`SELECT ${i}::int AS q`)
              })
              .catch((error: unknown) => void errors.push(error)),
          ),
        )
      }
      return errors
    }
    const plain = await workload(engine({ pool: { size: 20, maxOverflow: 0 } }), 20, true)
    expect(plain.length).toBeGreaterThan(0)
    expect(plain[0]).toBeInstanceOf(DatabaseError)
    expect((plain[0] as DatabaseError).message).toMatch(/prepared statement .* does not exist/)
    expect(await workload(engine({ pooler: 'transaction', pool: { size: 20, maxOverflow: 0 } }), 5, false)).toEqual([])
  })

  test('session state is refused before it is sent, naming the option and what to use instead', async () => {
    const db = engine()
    const refused = [
      'SET search_path = public',
      'SET SESSION statement_timeout = 1000',
      "SET TIME ZONE 'UTC'",
      '/* note */ set role postgres',
      'RESET ALL',
      'LISTEN jobs',
      'SELECT pg_advisory_lock(1)',
      'SELECT pg_try_advisory_lock(1, 2)',
      'SELECT pg_advisory_unlock_all()',
      "SELECT set_config('search_path', 'public', false)",
      'SET LOCAL statement_timeout = 1000',
    ]
    for (const text of refused) {
      const error = await db.execute(sql.raw(text)).catch((caught: unknown) => caught)
      expect(error, text).toBeInstanceOf(PoolerError)
      expect((error as Error).message, text).toContain("pooler: 'transaction'")
    }
    // Inside a transaction too, and the transaction stays usable.
    await db.transaction(async (tx) => {
      await expect(tx.execute(sql.raw('SELECT pg_advisory_lock(7)'))).rejects.toThrow(/pg_advisory_xact_lock/)
      await tx.execute(sql.raw("SELECT set_config('application_name', 'x', true)"))
      expect(await tx.scalar(sql<{ n: number }>`SELECT 1 AS n`)).toBe(1)
    })
    // Options that are session state are refused when the engine is made.
    expect(() => createEngine(pooled, { pooler: 'transaction', searchPath: 'app' })).toThrow(/searchPath .* pooler: 'transaction'/)
    expect(() => createEngine(`${pooled}?pooler=transaction&search_path=app`)).toThrow(/searchPath/)
    expect(() => createEngine(`${pooled}?pooler=session`)).toThrow(UrlError)
    expect(() => createEngine('mysql://root@127.0.0.1/test', { pooler: 'transaction' })).toThrow(/PostgreSQL option/)
    expect(() => createEngine(`${pooled}?pooler=transaction`, { pooler: 'bogus' as 'transaction' })).toThrow(QuarryError)
    // The URL form turns it on as well.
    const viaUrl = engine({}, `${pooled}?pooler=transaction`)
    await expect(viaUrl.execute(sql.raw('SET search_path = public'))).rejects.toThrow(PoolerError)
  })

  test('statement timeouts cancel through the pooler and leave both server connections usable', async () => {
    const db = engine({ pooler: 'transaction', statementTimeoutMs: 300 })
    for (let i = 0; i < 3; i++) {
      const started = performance.now()
      await expect(db.all(sql`SELECT pg_sleep(5)`)).rejects.toThrow(StatementTimeoutError)
      expect(performance.now() - started).toBeLessThan(2500)
    }
    await expect(db.transaction(async (tx) => tx.all(sql`SELECT pg_sleep(5)`), { statementTimeoutMs: 200 })).rejects.toThrow(StatementTimeoutError)
    const answers = await Promise.all(Array.from({ length: 6 }, (_, i) => db.scalar(sql<{ n: number }>`SELECT ${i}::int AS n`)))
    expect(answers).toEqual([0, 1, 2, 3, 4, 5])
  })

  test('migrations run on directUrl (DIRECT_DATABASE_URL), and through the pooler itself with ?pooler=transaction', async () => {
    // A database of its own: autogenerate would otherwise drop the other tests' tables.
    const migrated = `${database}_m`
    await admin.execute(sql.raw(`CREATE DATABASE "${migrated}"`))
    const directUrl = withDatabase(serverUrl('postgres'), migrated)
    const pooledUrl = bouncer.url(migrated)
    const dir = join(WORK, `${process.pid}`)
    mkdirSync(join(dir, 'src'), { recursive: true })
    writeFileSync(
      join(dir, 'src/schema.ts'),
      `import { defineSchema } from '@quarry/core'\nexport const schema = defineSchema({ notes: { columns: { id: { type: 'integer', primaryKey: true }, body: { type: 'text' } } } })\n`,
    )
    // `url` cannot be reached: every command must use directUrl.
    writeFileSync(
      join(dir, 'quarry.config.ts'),
      `export default { url: 'postgres://nobody@127.0.0.1:1/nowhere', directUrl: ${JSON.stringify(directUrl)}, schema: './src/schema.ts', migrations: './migrations' }\n`,
    )
    const quarry = (env: Record<string, string>, ...args: string[]) => {
      const run = spawnSync(process.execPath, ['--conditions=@quarry/source', '--import', 'tsx', CLI, ...args], {
        cwd: dir,
        env: { ...process.env, DATABASE_URL: '', DIRECT_DATABASE_URL: '', ...env },
        encoding: 'utf8',
        timeout: 60_000,
      })
      return { code: run.status ?? -1, out: (run.stdout ?? '') + (run.stderr ?? '') }
    }
    const revision = quarry({}, 'revision', '-m', 'notes', '--autogenerate')
    expect(revision.code, revision.out).toBe(0)
    const up = quarry({}, 'upgrade')
    expect(up.code, up.out).toBe(0)
    expect(up.out).toContain('applied 1 migrations')
    const db = engine({ pooler: 'transaction' }, pooledUrl)
    await db.execute(sql`INSERT INTO notes (id, body) VALUES (1, 'hi')`)
    // DIRECT_DATABASE_URL overrides the config; here it is the pooler in pooler mode, whose
    // transaction-scoped migration lock and DDL work too.
    const down = quarry({ DIRECT_DATABASE_URL: `${pooledUrl}?pooler=transaction` }, 'downgrade', 'base')
    expect(down.code, down.out).toBe(0)
    const again = quarry({ DIRECT_DATABASE_URL: `${pooledUrl}?pooler=transaction` }, 'upgrade')
    expect(again.code, again.out).toBe(0)
    expect(await db.all(sql`SELECT id FROM notes`)).toEqual([])
  })
})
