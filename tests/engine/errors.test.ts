/**
 * Driver errors become Quarry's DatabaseError family with table, columns and constraint, the
 * driver error (without values) as `cause`, and a message with the SQL but never the parameter values. Also: bad
 * values from untyped JS, unreachable servers, and connections killed mid-query.
 */
import { expect, test } from 'vitest'
import { eq, insert, select, sql, update } from '../../packages/core/src/index'
import {
  CheckViolation,
  ConnectionError,
  DatabaseError,
  DataError,
  ForeignKeyViolation,
  IntegrityError,
  NotNullViolation,
  ProgrammingError,
  UniqueViolation,
} from '../../packages/core/src/errors'
import { createEngine } from '../../packages/core/src/engine'
import { forEachDialect, withDatabase } from '../support'
import { posts, schema, users } from './fixtures'

async function caught(promise: Promise<unknown>): Promise<DatabaseError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  )
  expect(error).toBeInstanceOf(DatabaseError)
  return error as DatabaseError
}

forEachDialect((db) => {
  async function ready() {
    const engine = await db.engine()
    await engine.createAll(schema)
    await engine.execute(insert(users).values({ username: 'alice', email: 'alice@example.com', age: 30 }))
    return engine
  }

  test('UniqueViolation: table, columns, constraint, cause, SQL but no values', async () => {
    const engine = await ready()
    const error = await caught(engine.execute(insert(users).values({ username: 'alice', email: 'secret-address@example.com' })))
    expect(error).toBeInstanceOf(UniqueViolation)
    expect(error).toBeInstanceOf(IntegrityError)
    expect(error).toMatchObject({ table: 'users', columns: ['username'], constraint: 'users_username_key' })
    expect(error.cause).toBeInstanceOf(Error)
    expect(error.cause).not.toBeInstanceOf(DatabaseError)
    expect(error.message).toContain('INSERT INTO')
    expect(error.sql).toMatch(/^INSERT INTO/)
    expect(error.message).not.toContain('alice')
    expect(error.message).not.toContain('secret-address')
  })

  test('ForeignKeyViolation', async () => {
    const engine = await ready()
    const error = await caught(engine.execute(insert(posts).values({ title: 'orphan', authorId: 999 })))
    expect(error).toBeInstanceOf(ForeignKeyViolation)
    expect(error).toMatchObject({ table: 'posts', columns: ['author_id'], constraint: 'posts_author_id_fkey' })
    await engine.execute(insert(posts).values({ title: 'kept', authorId: 1 }))
    const parent = await caught(engine.execute(sql`DELETE FROM users WHERE id = ${1}`))
    expect(parent).toBeInstanceOf(ForeignKeyViolation)
  })

  test('NotNullViolation', async () => {
    const engine = await ready()
    const error = await caught(engine.execute(insert(users).values({ username: 'bob', email: null as never })))
    expect(error).toBeInstanceOf(NotNullViolation)
    expect(error).toMatchObject({ table: 'users', columns: ['email'] })
  })

  test('CheckViolation', async () => {
    const engine = await ready()
    const error = await caught(engine.execute(update(users).set({ age: -5 }).where(eq(users.username, 'alice'))))
    expect(error).toBeInstanceOf(CheckViolation)
    expect(error.constraint).toMatch(/age_?positive/i)
    expect(error.table).toBe('users')
  })

  test('DataError: a wrong value from untyped JS, without the value in the message', async () => {
    const engine = await db.engine()
    await engine.execute(sql.raw(`CREATE TABLE nums (n INTEGER NOT NULL)${db.dialect === 'sqlite' ? ' STRICT' : ''}`))
    const error = await caught(engine.execute(sql`INSERT INTO nums (n) VALUES (${'not-a-number' as unknown as number})`))
    expect(error).toBeInstanceOf(DataError)
    expect(error.message).not.toContain('not-a-number')
    expect(error.message).toContain('INSERT INTO nums')
    const object = await caught(engine.execute(sql`INSERT INTO nums (n) VALUES (${{ nested: 'object-value' }})`))
    expect(object).toBeInstanceOf(DataError)
    expect(object.message).not.toContain('object-value')
    // Raw SQL returns the driver's values: COUNT(*) is a bigint (a string on PostgreSQL and MySQL).
    expect(Number(await engine.scalar(sql`SELECT COUNT(*) AS n FROM nums`))).toBe(0)
  })

  test('ProgrammingError: unknown table, bad syntax', async () => {
    const engine = await db.engine()
    expect(await caught(engine.all(sql`SELECT * FROM no_such_table`))).toBeInstanceOf(ProgrammingError)
    expect(await caught(engine.all(sql`SELEC 1`))).toBeInstanceOf(ProgrammingError)
  })

  test('ConnectionError when the database cannot be reached', async () => {
    const url = db.dialect === 'sqlite'
      ? 'sqlite:////nonexistent-dir/quarry/x.db'
      : db.serverUrl.replace(/:\d+\//, ':1/').replace(/@([^/:]+)\//, '@$1:1/')
    const engine = createEngine(url, { pool: { timeoutMs: 3000 } })
    try {
      const error = await caught(engine.scalar(sql`SELECT 1 AS n`))
      expect(error).toBeInstanceOf(ConnectionError)
    } finally {
      await engine.close()
    }
  })

  test.runIf(db.server)('ConnectionError for a wrong database name, password hidden', async () => {
    const engine = createEngine(withDatabase(db.serverUrl, 'quarry_no_such_db'), { pool: { timeoutMs: 3000 } })
    try {
      expect(await caught(engine.scalar(sql`SELECT 1 AS n`))).toBeInstanceOf(ConnectionError)
    } finally {
      await engine.close()
    }
  })

  test.runIf(db.server)('a connection killed mid-query gives ConnectionError and the pool recovers', async () => {
    const engine = await db.engine({ pool: { size: 1, maxOverflow: 0 } })
    const marker = `kill-me-${Date.now()}`
    const running = caught(engine.scalar(db.sleepSql(5, marker)))
    await db.killConnectionRunning(marker)
    const error = await running
    expect(error).toBeInstanceOf(ConnectionError)
    expect(await engine.scalar(sql<{ n: number }>`SELECT 1 AS n`)).toBe(1)
    expect(await engine.scalar(sql<{ n: number }>`SELECT 2 AS n`)).toBe(2)
  })

  test.runIf(db.server)('a connection killed inside a transaction fails the transaction; the pool recovers', async () => {
    const engine = await db.engine({ pool: { size: 1, maxOverflow: 0 } })
    await engine.createAll(schema)
    const marker = `kill-tx-${Date.now()}`
    const transaction = caught(
      engine.transaction(async (tx) => {
        await tx.execute(insert(users).values({ username: 'ghost', email: 'ghost@example.com' }))
        await tx.scalar(db.sleepSql(5, marker))
      }),
    )
    await db.killConnectionRunning(marker)
    expect(await transaction).toBeInstanceOf(ConnectionError)
    expect(await engine.all(select(users))).toEqual([])
    await engine.transaction((tx) => tx.execute(insert(users).values({ username: 'real', email: 'real@example.com' })))
    expect((await engine.all(select(users))).map((u) => u.username)).toEqual(['real'])
  })

  test.runIf(db.server)('a connection killed while idle in a transaction: the next statement fails, never outside it', async () => {
    const engine = await db.engine({ pool: { size: 1, maxOverflow: 0 } })
    await engine.createAll(schema)
    const outcome = await caught(
      engine.transaction(async (tx) => {
        await tx.execute(insert(users).values({ username: 'ghost', email: 'ghost@example.com' }))
        await db.killConnection(Number(await tx.scalar(db.connectionIdSql())))
        await tx.execute(insert(users).values({ username: 'after-kill', email: 'after@example.com' }))
      }),
    )
    expect(outcome).toBeInstanceOf(ConnectionError)
    expect(await engine.all(select(users))).toEqual([])
    expect(await engine.scalar(sql<{ n: number }>`SELECT 1 AS n`)).toBe(1)
  })
})
