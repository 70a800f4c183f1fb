/** INSERT / UPDATE / DELETE: what they accept, and what RETURNING gives. */
import { expectType } from 'tsd'
import { and, compile, concat, deleteFrom, eq, excluded, insert, lt, prepare, select, sql, update, type Condition, type Engine, type Executable, type RowOf } from '@quarry/core'
import type { Session } from '@quarry/orm'
import { postTags, posts, users } from '../tests/support/blog-schema'

declare function rowOf<TQuery extends Executable>(query: TQuery): RowOf<TQuery>

type User = { id: number; username: string; email: string; bio: string | null; deletedAt: Date | null; createdAt: Date; updatedAt: Date }

// Without RETURNING a statement gives no rows.
expectType<never>(rowOf(insert(users).values({ username: 'alice', email: 'a@example.com' })))

// INSERT: one row, many rows, a select; upserts; RETURNING whole rows or chosen columns.
expectType<User>(rowOf(insert(users).values({ username: 'alice', email: 'a@example.com' }).returning()))
expectType<{ id: number; name: string }>(
  rowOf(
    insert(users)
      .values([{ username: 'a', email: 'a@x' }, { username: 'b', email: 'b@x', bio: null, createdAt: new Date() }])
      .returning({ id: users.id, name: users.username }),
  ),
)
expectType<{ postId: number }>(rowOf(insert(postTags).values({ postId: 1, tagId: 2 }).onConflictDoNothing().returning({ postId: postTags.postId })))
expectType<User>(
  rowOf(
    insert(users)
      .values({ username: 'alice', email: 'a@example.com' })
      .onConflictDoUpdate({ target: users.email, set: { username: excluded(users.username), bio: concat(users.username, '!') }, where: lt(users.id, 10) })
      .returning(),
  ),
)
expectType<{ title: string }>(
  rowOf(insert(posts).fromSelect(select({ title: users.username, body: users.email, authorId: users.id }).from(users)).returning({ title: posts.title })),
)

// UPDATE: values and expressions; RETURNING.
expectType<User>(rowOf(update(users).set({ bio: 'Legacy user', deletedAt: null }).where(lt(users.createdAt, new Date())).returning()))
expectType<{ id: number; bio: string | null }>(
  rowOf(update(users).set({ username: concat(users.username, '_old'), updatedAt: sql<Date>`CURRENT_TIMESTAMP` }).all().returning({ id: users.id, bio: users.bio })),
)

// DELETE: RETURNING.
expectType<User>(rowOf(deleteFrom(users).where(eq(users.id, 1)).returning()))
expectType<{ title: string }>(rowOf(deleteFrom(posts).where(eq(posts.authorId, 1)).returning({ title: posts.title })))

// An UPDATE or DELETE says which rows it changes: where() with a condition, or .all() for every
// row. Until then it is no Executable, so running, compiling or preparing it does not compile.
declare const engine: Engine
declare const session: Session
declare const maybe: Condition<'users'> | undefined
declare const conditions: Condition<'users'>[]
async function filtered() {
  expectType<number>((await engine.execute(deleteFrom(users).where(eq(users.id, 1)))).rowsAffected)
  expectType<number>((await engine.execute(deleteFrom(users).all())).rowsAffected)
  expectType<number>((await engine.execute(update(users).set({ bio: null }).all())).rowsAffected)
  expectType<number>((await session.execute(update(users).set({ bio: null }).where(eq(users.id, 1), lt(users.id, 9)))).rowsAffected)
  expectType<User[]>(await engine.all(deleteFrom(users).all().returning()))
  expectType<User[]>(await engine.all(update(users).where(eq(users.id, 1)).set({ bio: 'x' }).returning()))
  compile(deleteFrom(users).where(and(eq(users.id, 1), lt(users.id, 2))), 'sqlite')

  // @ts-expect-error a delete without where() or .all()
  await engine.execute(deleteFrom(users))
  // @ts-expect-error an update without where() or .all()
  await engine.execute(update(users).set({ bio: null }))
  // @ts-expect-error RETURNING does not make it filtered
  await engine.all(update(users).set({ bio: null }).returning())
  // @ts-expect-error nor in a transaction
  await engine.transaction((tx) => tx.execute(deleteFrom(users)))
  // @ts-expect-error nor through a session
  await session.execute(deleteFrom(users))
  // @ts-expect-error nor compiled
  compile(deleteFrom(users), 'postgres')
  // @ts-expect-error nor prepared
  prepare(update(users).set({ bio: null }))
  // @ts-expect-error where() takes conditions, not undefined
  deleteFrom(users).where(maybe)
  // @ts-expect-error where() needs at least one condition
  update(users).set({ bio: null }).where(...conditions)
  // @ts-expect-error nor none at all
  deleteFrom(users).where()
}
