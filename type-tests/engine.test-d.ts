/** What the engine's methods give for each kind of statement: rows, one row, a scalar, effects. */
import { expectType } from 'tsd'
import { count, eq, insert, param, prepare, select, sql, update, type Engine, type ExecuteResult, type Transaction } from '@quarry/core'
import { posts, users } from '../tests/support/blog-schema'

declare const engine: Engine

type User = { id: number; username: string; email: string; bio: string | null; deletedAt: Date | null; createdAt: Date; updatedAt: Date }

async function reads() {
  expectType<User[]>(await engine.all(select(users)))
  expectType<User | undefined>(await engine.first(select(users).where(eq(users.id, 1))))
  expectType<User>(await engine.one(select(users).where(eq(users.id, 1))))
  expectType<{ id: number; title: string }[]>(await engine.all(select({ id: posts.id, title: posts.title }).from(posts)))
  expectType<string[]>(await engine.all(select(users.email).from(users)))
  for await (const user of engine.iterate(select(users))) expectType<User>(user)
}

async function scalars() {
  // One expression, or an object of one key: its value. Several keys: unknown.
  expectType<number>(await engine.scalar(select(count()).from(users)))
  expectType<number>(await engine.scalar(select({ n: count() }).from(users)))
  expectType<string | null>(await engine.scalar(select(users.bio).from(users)))
  expectType<number>(await engine.scalar(sql<{ n: number }>`select 1 as n`))
  expectType<unknown>(await engine.scalar(select({ id: users.id, name: users.username }).from(users)))
}

async function rawAndPrepared() {
  expectType<{ n: number }[]>(await engine.all(sql<{ n: number }>`select count(*) as n from ${users}`))
  const byId = prepare(select(users).where(eq(users.id, param('id'))))
  expectType<User | undefined>(await engine.first(byId, { id: 1 }))
}

async function effects() {
  // A statement without RETURNING has no rows: `never`, not `undefined`.
  expectType<ExecuteResult<never>>(await engine.execute(update(users).set({ bio: 'x' }).where(eq(users.id, 1))))
  expectType<never[]>(await engine.all(update(users).set({ bio: 'x' }).all()))
  const inserted = await engine.execute(insert(users).values({ username: 'a', email: 'a@x' }).returning({ id: users.id }))
  expectType<{ id: number }[] | undefined>(inserted.rows)
  expectType<number>(inserted.rowsAffected)
  expectType<number | bigint | undefined>(inserted.insertId)
  expectType<{ id: number }[]>(await engine.all(insert(users).values({ username: 'a', email: 'a@x' }).returning({ id: users.id })))
}

async function transactions() {
  const n = await engine.transaction(async (tx) => {
    expectType<Transaction>(tx)
    return tx.scalar(select(count()).from(users))
  })
  expectType<number>(n)
}

void reads
void scalars
void rawAndPrepared
void effects
void transactions

async function timeouts() {
  // A call's { timeoutMs, signal } come last and change nothing in the result type.
  expectType<User[]>(await engine.all(select(users), undefined, { timeoutMs: 5_000, signal: new AbortController().signal }))
  expectType<number>(await engine.scalar(select(count()).from(users), undefined, { timeoutMs: 100 }))
  await engine.transaction(async (tx) => tx.all(select(users), undefined, { timeoutMs: 1 }), { statementTimeoutMs: 2_000 })
  await engine.close({ timeoutMs: 1_000 })
}
