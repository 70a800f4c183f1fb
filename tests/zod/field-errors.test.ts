/**
 * toFieldErrors on every dialect: unique, foreign-key, not-null and check violations, json
 * documents their schema refuses, and zod's own errors, all as zod-shaped issues naming the
 * field by its key (snake_case SQL names mapped back).
 */
import { expect, test } from 'vitest'
import { z } from 'zod'
import { defineSchema, deleteFrom, eq, insert, sql, update } from '../../packages/core/src/index'
import { insertSchema, toFieldErrors } from '../../packages/zod/src/index'
import { forEachDialect } from '../support'

const schema = defineSchema(
  {
    users: {
      columns: {
        id: { type: 'integer', primaryKey: true },
        email: { type: 'varchar', length: 120, unique: true },
        displayName: { type: 'varchar', length: 50 },
        birthYear: { type: 'integer', nullable: true },
        prefs: { type: 'json', nullable: true, schema: z.object({ theme: z.enum(['light', 'dark']) }) },
      },
      checks: { plausibleYear: sql`birth_year > 1900` },
    },
    posts: {
      columns: {
        id: { type: 'integer', primaryKey: true },
        authorId: { type: 'integer', references: 'users.id' },
        title: { type: 'text' },
      },
    },
  },
  { casing: 'snake_case' },
)
const { users, posts } = schema

async function failure(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(() => expect.unreachable('the statement should have failed'), (error: unknown) => error)
}

forEachDialect((db) => {
  async function ready() {
    const engine = await db.engine()
    await engine.createAll(schema)
    await engine.execute(insert(users).values({ email: 'alice@example.com', displayName: 'Alice' }))
    return engine
  }

  test('a duplicate is a unique error on the field, by its key', async () => {
    const engine = await ready()
    const error = await failure(engine.execute(insert(users).values({ email: 'alice@example.com', displayName: 'Again' })))
    expect(toFieldErrors(error, schema)).toEqual([{ path: ['email'], code: 'unique', message: 'already taken', constraint: 'users_email_key' }])
  })

  test('a missing parent is a foreign-key error on the snake_case column, named by its key', async () => {
    const engine = await ready()
    const error = await failure(engine.execute(insert(posts).values({ authorId: 99, title: 'orphan' })))
    expect(toFieldErrors(error, schema)).toEqual([{ path: ['authorId'], code: 'foreign_key', message: 'refers to a row that does not exist', constraint: 'posts_author_id_fkey' }])
    await engine.execute(insert(posts).values({ authorId: 1, title: 'kept' }))
    const still = await failure(engine.execute(deleteFrom(users).where(eq(users.id, 1))))
    expect(toFieldErrors(still, schema)).toEqual([expect.objectContaining({ path: [], code: 'foreign_key', message: 'is still referenced by other rows' })])
  })

  test('NULL into a NOT NULL column and a CHECK written in raw SQL', async () => {
    const engine = await ready()
    const nulled = await failure(engine.execute(insert(users).values({ email: 'bob@example.com', displayName: null as never })))
    expect(toFieldErrors(nulled, schema)).toEqual([expect.objectContaining({ path: ['displayName'], code: 'not_null', message: 'is required' })])
    const checked = await failure(engine.execute(update(users).set({ birthYear: 1800 }).where(eq(users.id, 1))))
    expect(toFieldErrors(checked, schema)).toEqual([expect.objectContaining({ path: ['birthYear'], code: 'check', constraint: 'users_plausibleYear_check' })])
  })

  test('a json document its schema refuses, with the path inside it', async () => {
    const engine = await ready()
    const error = await failure(engine.execute(update(users).set({ prefs: { theme: 'blue' } as never }).where(eq(users.id, 1))))
    expect(toFieldErrors(error, schema)).toEqual([expect.objectContaining({ path: ['prefs', 'theme'], code: 'invalid_value' })])
  })

  test('a ZodError gives the same shape, so one handler serves both', async () => {
    const parsed = insertSchema(users).safeParse({ email: 'x'.repeat(121) })
    expect(toFieldErrors(parsed.error)).toEqual([
      expect.objectContaining({ path: ['email'], code: 'too_big' }),
      expect.objectContaining({ path: ['displayName'], code: 'invalid_type' }),
    ])
    expect(toFieldErrors(new Error('not about fields'))).toBeUndefined()
    const engine = await db.engine()
    expect(toFieldErrors(await failure(engine.all(sql`SELECT * FROM no_such_table`)))).toBeUndefined()
  })
})
