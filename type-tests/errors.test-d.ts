/**
 * What must not compile. Checked by tsd only (`expectError`); plain tsc skips this file.
 * Each `expectError` holds exactly one mistake.
 */
import { expectError } from 'tsd'
import {
  any,
  between,
  compile,
  defineSchema,
  desc,
  eq,
  exists,
  has,
  inArray,
  insert,
  like,
  literal,
  scalar,
  select,
  update,
  deleteFrom,
  count,
  sql,
} from '@quarry/core'
import { postTags, posts, tags, users } from '../tests/support/blog-schema'

// A misspelt column.
expectError(users.usrname)
expectError(select({ x: users.usrname }).from(users))
expectError(select(users).where(eq(users.usrname, 'alice')))

// A column of a table that is not in FROM or JOIN: in WHERE, ORDER BY, GROUP BY, a join condition…
expectError(select(users).where(eq(posts.title, 'x')))
expectError(select(users).orderBy(desc(posts.id)))
expectError(select(users).orderBy(posts.id))
expectError(select({ n: count() }).from(users).groupBy(posts.authorId))
expectError(select(users).innerJoin(posts, eq(tags.id, posts.id)))
expectError(update(users).set({ bio: 'x' }).where(eq(posts.id, 1)))
expectError(deleteFrom(users).where(eq(posts.id, 1)))
expectError(update(users).set({ bio: 'x' }).returning({ title: posts.title }))
// …and in the selection, as soon as the query is used.
const stray = select({ name: users.username, title: posts.title }).from(users)
expectError(compile(stray, 'postgres'))
expectError(exists(stray))
expectError(scalar(select({ id: posts.id }).from(users)))
expectError(inArray(users.id, select({ id: posts.id }).from(users)))
expectError(compile(select({ name: users.username }), 'sqlite'))

// A value of the wrong type.
expectError(eq(users.id, 'x'))
expectError(eq(users.id, users.username))
expectError(like(users.id, '%x'))
expectError(between(users.id, 'a', 'z'))
expectError(inArray(users.id, ['1', '2']))
expectError(inArray(users.id, select({ name: users.username }).from(users)))
expectError(insert(users).values({ username: 42, email: 'a@example.com' }))
expectError(insert(users).values([{ username: 'a', email: 'a@x' }, { username: 'b', email: null }]))
expectError(update(users).set({ username: 42 }))
expectError(update(users).set({ createdAt: '2026-01-01' }))
expectError(insert(users).values({ username: 'a', email: 'b' }).onConflictDoUpdate({ target: users.email, set: { bio: 1 } }))
expectError(select({ id: users.id }).from(users).union(select({ id: users.username }).from(users)))

// An insert missing a required column, or naming an unknown one.
expectError(insert(users).values({ username: 'alice' }))
expectError(insert(postTags).values({ postId: 1 }))
expectError(insert(users).values({ username: 'alice', email: 'a@example.com', nickname: 'al' }))
expectError(update(users).set({ nickname: 'al' }))

// A misspelt reference or relation target in a schema.
expectError(
  defineSchema({
    users: { columns: { id: { type: 'integer', primaryKey: true } } },
    posts: { columns: { id: { type: 'integer', primaryKey: true }, authorId: { type: 'integer', references: 'users.idd' } } },
  }),
)
expectError(
  defineSchema({
    users: { columns: { id: { type: 'integer', primaryKey: true } } },
    posts: { columns: { id: { type: 'integer', primaryKey: true }, authorId: { type: 'integer', references: { to: 'user.id', onDelete: 'cascade' } } } },
  }),
)
expectError(
  defineSchema({
    users: { columns: { id: { type: 'integer', primaryKey: true } } },
    posts: {
      columns: { id: { type: 'integer', primaryKey: true }, authorId: { type: 'integer', references: 'users.id' } },
      relations: { author: { one: 'userz' } },
    },
  }),
)
expectError(
  defineSchema({
    users: { columns: { id: { type: 'integer', primaryKey: true } }, relations: { posts: { many: 'post' } } },
    posts: { columns: { id: { type: 'integer', primaryKey: true }, authorId: { type: 'integer', references: 'users.id' } } },
  }),
)

// Column keys named outside `columns` (primaryKey, indexes, uniques, softDelete, foreignKey) must exist.
expectError(defineSchema({ users: { columns: { id: { type: 'integer' }, name: { type: 'text' } }, primaryKey: ['id', 'nam'] } }))
expectError(defineSchema({ users: { columns: { id: { type: 'integer', primaryKey: true }, name: { type: 'text' } }, indexes: [{ columns: ['nme'] }] } }))
expectError(defineSchema({ users: { columns: { id: { type: 'integer', primaryKey: true }, name: { type: 'text' } }, uniques: [['id', 'x']] } }))
expectError(defineSchema({ users: { columns: { id: { type: 'integer', primaryKey: true }, deletedAt: { type: 'timestamp', nullable: true } }, softDelete: 'deleted' } }))
expectError(
  defineSchema({
    users: { columns: { id: { type: 'integer', primaryKey: true } } },
    posts: { columns: { id: { type: 'integer', primaryKey: true }, authorId: { type: 'integer', references: 'users.id' } }, relations: { author: { one: 'users', foreignKey: 'author' } } },
  }),
)
expectError(
  defineSchema({
    users: { columns: { id: { type: 'integer', primaryKey: true } }, relations: { posts: { many: 'posts', foreignKey: 'author' } } },
    posts: { columns: { id: { type: 'integer', primaryKey: true }, authorId: { type: 'integer', references: 'users.id' } } },
  }),
)
// …and the same keys, spelt right, compile.
defineSchema({
  users: {
    columns: { id: { type: 'integer', primaryKey: true }, name: { type: 'text' }, deletedAt: { type: 'timestamp', nullable: true } },
    indexes: [{ columns: ['name'] }],
    uniques: [['id', 'name']],
    softDelete: 'deletedAt',
    relations: { posts: { many: 'posts', foreignKey: 'authorId' } },
  },
  posts: { columns: { id: { type: 'integer', primaryKey: true }, authorId: { type: 'integer', references: 'users.id' } }, relations: { author: { one: 'users', foreignKey: 'authorId' } } },
})
defineSchema({ tags: { columns: { a: { type: 'integer' }, b: { type: 'integer' } }, primaryKey: ['a', 'b'] } })

// Relation filters take relations: `any` a to-many one, `has` a to-one one, with a condition on the target.
expectError(any(posts.authorId, eq(users.id, 1)))
expectError(has(users.posts, eq(posts.id, 1)))
expectError(any(posts.author, eq(users.id, 1)))
expectError(any(users.posts, eq(tags.name, 'x')))

// @quarry/zod: an override for a column the table does not have.
import { insertSchema as zodInsertSchema } from '@quarry/zod'
import { z as zod } from 'zod'
expectError(zodInsertSchema(users, { columns: { emial: zod.string() } }))

// Statement options: timeoutMs (not timeout), an AbortSignal, and close's timeoutMs.
declare const engine: import('@quarry/core').Engine
expectError(engine.all(select(users), undefined, { timeout: 5 }))
expectError(engine.all(select(users), undefined, { signal: 'stop' }))
expectError(engine.close({ timeout: 1 }))

// A foreign key's constraint name is a string.
expectError(defineSchema({
  a: { columns: { id: { type: 'integer', primaryKey: true } } },
  b: { columns: { aId: { type: 'integer', references: { to: 'a.id', name: 42 } } } },
}))
// A named reference still checks its target.
expectError(defineSchema({
  a: { columns: { id: { type: 'integer', primaryKey: true } } },
  b: { columns: { aId: { type: 'integer', references: { to: 'a.nope', name: 'fk_b_a' } } } },
}))
// A named check needs its expression.
expectError(defineSchema({ a: { columns: { id: { type: 'integer' } }, checks: { ok: { name: 'a_ok' } } } }))
// …and its expression is SQL, not a string.
expectError(defineSchema({ a: { columns: { id: { type: 'integer' } }, checks: { ok: { name: 'a_ok', expr: 'id > 0' } } } }))
// A named unique constraint names columns of its table.
expectError(defineSchema({ a: { columns: { id: { type: 'integer' } }, uniques: [{ columns: ['nope'], name: 'a_u' }] } }))
// A correlated subquery reads only the outer tables it names: users is not among them.
expectError(select(count()).from(postTags).correlate(posts).where(eq(postTags.postId, posts.id), eq(users.id, 1)))
// A UNION branch of another type is still an error (only NULL widens a column).
expectError(select({ n: literal(1) }).from(posts).union(select({ n: literal('x') }).from(users)))
expectError(select({ n: posts.title }).from(posts).union(select({ n: users.id }).from(users)))
