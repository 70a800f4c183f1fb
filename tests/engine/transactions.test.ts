/**
 * Transactions: commit, rollback, savepoints, isolation, held connections, the aborted state
 * after a failed statement (on every dialect), and concurrent transactions that never share a connection.
 */
import { expect, test } from 'vitest'
import { asc, count, eq, insert, select, sql } from '../../packages/core/src/index'
import { QuarryError, TransactionAbortedError, UniqueViolation } from '../../packages/core/src/errors'
import { forEachDialect } from '../support'
import { schema, users } from './fixtures'

const user = (name: string) => ({ username: name, email: `${name}@example.com` })

forEachDialect((db) => {
  async function ready() {
    const engine = await db.engine()
    await engine.createAll(schema)
    return engine
  }
  const names = async (engine: Awaited<ReturnType<typeof ready>>) =>
    (await engine.all(select({ name: users.username }).from(users).orderBy(asc(users.username)))).map((row) => row.name)

  test('commits when the callback returns, and returns its value', async () => {
    const engine = await ready()
    const result = await engine.transaction(async (tx) => {
      await tx.execute(insert(users).values(user('alice')))
      return tx.scalar(select(count()).from(users))
    })
    expect(result).toBe(1)
    expect(await names(engine)).toEqual(['alice'])
  })

  test('sends BEGIN before the first statement, and a failing first statement leaves nothing behind', async () => {
    const engine = await ready()
    await engine.execute(insert(users).values(user('alice')))
    const seen: string[] = []
    // The first word of each statement; MySQL opens with START TRANSACTION.
    const verb = (text: string) => text.split(' ')[0]!.toUpperCase().replace('START', 'BEGIN')
    const watched = await db.engine({ echo: (event) => seen.push(verb(event.sql)) })
    await expect(
      watched.transaction(async (tx) => {
        await tx.execute(insert(users).values([user('bob'), user('alice')]))
      }),
    ).rejects.toBeInstanceOf(UniqueViolation)
    expect(seen).toEqual(['BEGIN', 'INSERT', 'ROLLBACK'])
    expect(await names(engine)).toEqual(['alice'])
    // A transaction that runs no statement still opens and commits.
    seen.length = 0
    expect(await watched.transaction(async () => 42)).toBe(42)
    expect(seen).toEqual(['BEGIN', 'COMMIT'])
  })

  test('rolls back and re-throws when the callback throws', async () => {
    const engine = await ready()
    const boom = new Error('boom')
    await expect(
      engine.transaction(async (tx) => {
        await tx.execute(insert(users).values(user('alice')))
        throw boom
      }),
    ).rejects.toBe(boom)
    expect(await names(engine)).toEqual([])
  })

  test('a nested transaction is a savepoint', async () => {
    const engine = await ready()
    await engine.transaction(async (tx) => {
      await tx.execute(insert(users).values(user('outer')))
      await expect(
        tx.transaction(async (inner) => {
          await inner.execute(insert(users).values(user('inner-lost')))
          throw new Error('undo inner')
        }),
      ).rejects.toThrow('undo inner')
      await tx.transaction(async (inner) => {
        await inner.execute(insert(users).values(user('inner-kept')))
        await inner.transaction(async (deeper) => deeper.execute(insert(users).values(user('deeper'))))
      })
    })
    expect(await names(engine)).toEqual(['deeper', 'inner-kept', 'outer'])
  })

  test('a failed statement rolled back to its savepoint leaves the transaction usable', async () => {
    const engine = await ready()
    await engine.transaction(async (tx) => {
      await tx.execute(insert(users).values(user('alice')))
      await expect(tx.transaction((inner) => inner.execute(insert(users).values(user('alice'))))).rejects.toThrow(UniqueViolation)
      await tx.execute(insert(users).values(user('bob')))
    })
    expect(await names(engine)).toEqual(['alice', 'bob'])
  })

  test('isolation levels', async () => {
    const engine = await ready()
    for (const isolation of ['read committed', 'repeatable read', 'serializable'] as const) {
      expect(await engine.transaction((tx) => tx.scalar(sql<{ n: number }>`SELECT 1 AS n`), { isolation })).toBe(1)
    }
    if (db.dialect === 'postgres') {
      const level = await engine.transaction((tx) => tx.scalar(sql<{ l: string }>`SHOW transaction_isolation`), { isolation: 'serializable' })
      expect(level).toBe('serializable')
    }
    await expect(engine.transaction(async () => 1, { isolation: 'chaos' as never })).rejects.toThrow(/unknown isolation level 'chaos'/)
  })

  test('the tx object is dead once the transaction ends', async () => {
    const engine = await ready()
    let leaked: Parameters<Parameters<typeof engine.transaction>[0]>[0] | undefined
    await engine.transaction(async (tx) => {
      leaked = tx
    })
    await expect(leaked!.all(select(users))).rejects.toThrow(/transaction has already ended/)
  })

  test('statements after a failure get TransactionAbortedError, and nothing commits, on every dialect', async () => {
    const engine = await ready()
    await engine.execute(insert(users).values(user('alice')))
    const seen: string[] = []
    const watched = await db.engine({ echo: (event) => seen.push(event.sql.split(' ')[0]!.toUpperCase()) })
    const error = await watched
      .transaction(async (tx) => {
        await tx.execute(insert(users).values(user('bob')))
        await tx.execute(insert(users).values(user('alice'))).catch(() => {})
        // SQLite and MySQL would undo the failed statement only and go on; the engine aborts as PostgreSQL does.
        await tx.execute(insert(users).values(user('carol')))
      })
      .catch((e: unknown) => e)
    expect(error).toBeInstanceOf(TransactionAbortedError)
    expect((error as Error).message).toMatch(/^a previous statement in this transaction failed \(UniqueViolation: /)
    expect((error as Error).message).toContain('roll back')
    expect((error as Error).cause).toBeInstanceOf(UniqueViolation)
    // carol's insert was never sent.
    expect(seen.filter((verb) => verb === 'INSERT')).toHaveLength(2)
    expect(seen.at(-1)).toBe('ROLLBACK')
    expect(await names(engine)).toEqual(['alice'])
  })

  test('a swallowed failure makes the commit fail instead of committing the rest, on every dialect', async () => {
    const engine = await ready()
    await engine.execute(insert(users).values(user('alice')))
    const outcome = engine.transaction(async (tx) => {
      await tx.execute(insert(users).values(user('bob')))
      await tx.execute(insert(users).values(user('alice'))).catch(() => {})
      return 'done'
    })
    await expect(outcome).rejects.toThrow(TransactionAbortedError)
    expect(await names(engine)).toEqual(['alice'])
    // The connection is clean afterwards: the next transaction commits.
    await engine.transaction((tx) => tx.execute(insert(users).values(user('dave'))))
    expect(await names(engine)).toEqual(['alice', 'dave'])
  })

  test('a failure caught inside a nested transaction is rolled back to its savepoint: the outer one goes on and commits', async () => {
    const engine = await ready()
    await engine.execute(insert(users).values(user('alice')))
    const result = await engine.transaction(async (tx) => {
      await tx.execute(insert(users).values(user('bob')))
      const inner = await tx
        .transaction(async (sp) => {
          await sp.execute(insert(users).values(user('inner-lost')))
          await sp.execute(insert(users).values(user('alice'))).catch(() => {})
          // Still inside the savepoint: aborted there too.
          await expect(sp.execute(insert(users).values(user('inner-after')))).rejects.toThrow(TransactionAbortedError)
          return 'inner returned'
        })
        .catch((e: unknown) => e)
      // Returning normally does not release a savepoint whose statement failed: it is rolled back.
      expect(inner).toBeInstanceOf(TransactionAbortedError)
      await tx.execute(insert(users).values(user('carol')))
      return tx.scalar(select(count()).from(users))
    })
    expect(result).toBe(3)
    expect(await names(engine)).toEqual(['alice', 'bob', 'carol'])
  })

  test('after a failure the outer transaction refuses a new savepoint too', async () => {
    const engine = await ready()
    await engine.execute(insert(users).values(user('alice')))
    const outcome = engine.transaction(async (tx) => {
      await tx.execute(insert(users).values(user('alice'))).catch(() => {})
      await expect(tx.transaction((sp) => sp.execute(insert(users).values(user('bob'))))).rejects.toThrow(TransactionAbortedError)
    })
    await expect(outcome).rejects.toThrow(TransactionAbortedError)
    expect(await names(engine)).toEqual(['alice'])
  })

  test('connect() holds one connection until release (or await using)', async () => {
    const engine = await ready()
    {
      await using connection = await engine.connect()
      await connection.execute(insert(users).values(user('alice')))
      await connection.transaction((tx) => tx.execute(insert(users).values(user('bob'))))
      if (db.server) {
        const id = db.dialect === 'postgres' ? sql`SELECT pg_backend_pid() AS id` : sql`SELECT CONNECTION_ID() AS id`
        expect(await connection.scalar(id)).toBe(await connection.scalar(id))
      }
    }
    const connection = await engine.connect()
    expect(await connection.scalar(select(count()).from(users))).toBe(2)
    await connection.release()
    await connection.release()
    await expect(connection.all(select(users))).rejects.toThrow(/connection was released/)
    expect(await names(engine)).toEqual(['alice', 'bob'])
  })

  test('20 concurrent transactions, every third failing, leave exactly the others', async () => {
    const engine = await db.engine({ pool: { size: 3, maxOverflow: 2 } })
    await engine.createAll(schema)
    const connectionId = db.dialect === 'postgres'
      ? sql<{ id: number }>`SELECT pg_backend_pid() AS id`
      : db.dialect === 'mysql'
        ? sql<{ id: number }>`SELECT CONNECTION_ID() AS id`
        : sql<{ id: number }>`SELECT 0 AS id`
    const results = await Promise.allSettled(
      Array.from({ length: 20 }, (_, i) =>
        engine.transaction(async (tx) => {
          const before = await tx.scalar(connectionId)
          await tx.execute(insert(users).values(user(`u${String(i).padStart(2, '0')}-a`)))
          await new Promise((resolve) => setTimeout(resolve, (i * 7) % 11))
          await tx.execute(insert(users).values(user(`u${String(i).padStart(2, '0')}-b`)))
          expect(await tx.scalar(connectionId)).toBe(before)
          if (i % 3 === 2) throw new Error(`tx ${i} fails`)
          return i
        }),
      ),
    )
    const failed = results.flatMap((result, i) => (result.status === 'rejected' ? [i] : []))
    expect(failed).toEqual([2, 5, 8, 11, 14, 17])
    for (const i of failed) expect((results[i] as PromiseRejectedResult).reason.message).toBe(`tx ${i} fails`)
    const expected = Array.from({ length: 20 }, (_, i) => i)
      .filter((i) => i % 3 !== 2)
      .flatMap((i) => [`u${String(i).padStart(2, '0')}-a`, `u${String(i).padStart(2, '0')}-b`])
    expect(await names(engine)).toEqual(expected)
  })

  test('statements outside a transaction wait for it (SQLite) or run beside it (servers)', async () => {
    const engine = await ready()
    let release!: () => void
    const gate = new Promise<void>((resolve) => (release = resolve))
    let entered!: () => void
    const inside = new Promise<void>((resolve) => (entered = resolve))
    const transaction = engine.transaction(async (tx) => {
      await tx.execute(insert(users).values(user('in-tx')))
      entered()
      await gate
    })
    await inside
    const outside = engine.scalar(select(count()).from(users))
    if (db.server) {
      // A server runs it at once, beside the open transaction, so it cannot see the row yet.
      expect(await outside).toBe(0)
    } else {
      // SQLite's single connection runs it after COMMIT: still waiting once every pending callback has run.
      let settled = false
      void outside.then(() => (settled = true))
      await new Promise((resolve) => setImmediate(resolve))
      expect(settled).toBe(false)
    }
    release()
    await transaction
    expect(await outside).toBe(db.server ? 0 : 1)
  })

  test('a QuarryError names a transaction used after it ended inside a savepoint', async () => {
    const engine = await ready()
    await engine.transaction(async (tx) => {
      let inner: typeof tx | undefined
      await tx.transaction(async (t) => {
        inner = t
      })
      await expect(inner!.scalar(sql`SELECT 1 AS n`)).rejects.toThrow(QuarryError)
    })
  })
})

forEachDialect((db) => {
  test('transactions started together on one connection run one after another', async () => {
    const engine = await db.engine()
    await engine.createAll(schema)
    await using connection = await engine.connect()
    const order: string[] = []
    await Promise.all(
      ['a', 'b', 'c'].map((name) =>
        connection.transaction(async (tx) => {
          order.push(`${name}:begin`)
          await tx.execute(insert(users).values(user(name)))
          await new Promise((resolve) => setTimeout(resolve, 5))
          order.push(`${name}:end`)
        }),
      ),
    )
    expect(order).toEqual(['a:begin', 'a:end', 'b:begin', 'b:end', 'c:begin', 'c:end'])
    // (On SQLite the engine's only connection is the one held here, so stay on it.)
    await connection.transaction(async (tx) => {
      const inner = await Promise.allSettled([
        tx.transaction(async (sp) => sp.execute(insert(users).values(user('d')))),
        tx.transaction(async (sp) => {
          await sp.execute(insert(users).values(user('e')))
          throw new Error('undo e')
        }),
      ])
      expect(inner.map((result) => result.status)).toEqual(['fulfilled', 'rejected'])
    })
    expect(await connection.all(select({ name: users.username }).from(users).orderBy(asc(users.username)))).toEqual(
      ['a', 'b', 'c', 'd'].map((name) => ({ name })),
    )
  })
})
