/** INSERT / UPDATE / DELETE: what they accept, and what RETURNING gives. */
import { expectType } from 'tsd'
import { concat, deleteFrom, eq, excluded, insert, lt, select, sql, update, type Executable, type RowOf } from '@quarry/core'
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
  rowOf(update(users).set({ username: concat(users.username, '_old'), updatedAt: sql<Date>`CURRENT_TIMESTAMP` }).returning({ id: users.id, bio: users.bio })),
)

// DELETE: RETURNING.
expectType<User>(rowOf(deleteFrom(users).where(eq(users.id, 1)).returning()))
expectType<{ title: string }>(rowOf(deleteFrom(posts).where(eq(posts.authorId, 1)).returning({ title: posts.title })))
