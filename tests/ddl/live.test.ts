/**
 * createAll / dropAll through the engine on every dialect: idempotency, FK actions, check, unique
 * and enum constraints, defaults and auto-increment, foreign-key cycles.
 */
import { CheckViolation, count, deleteFrom, eq, ForeignKeyViolation, insert, select, sql, UniqueViolation, update } from '@quarry/core'
import type { Engine } from '../../packages/core/src/engine'
import { expect, test } from 'vitest'
import { forEachDialect } from '../support'
import { cyclic, shop } from './ddl-schemas'

const { users, posts, tags, postTags } = shop
const { teams, people } = cyclic

forEachDialect((db) => {
  async function created(): Promise<Engine> {
    const engine = await db.engine()
    await engine.createAll(shop)
    return engine
  }
  const rowsIn = (engine: Engine, table: typeof users | typeof posts | typeof tags | typeof postTags) => engine.scalar(select(count()).from(table))

  test('createAll creates the schema, and running it again changes nothing', async () => {
    const engine = await created()
    await engine.execute(insert(tags).values({ name: 'sql', lang: 'en' }))
    await engine.createAll(shop)
    expect(await rowsIn(engine, tags)).toBe(1)
    for (const table of [users, posts, postTags]) expect(await rowsIn(engine, table)).toBe(0)
  })

  test('createAll creates every declared index under its deterministic name, once', async () => {
    const engine = await created()
    await engine.createAll(shop)
    const catalog = {
      sqlite: sql`SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'posts' AND sql IS NOT NULL`,
      postgres: sql`SELECT indexname AS name FROM pg_indexes WHERE tablename = 'posts' AND schemaname = current_schema()`,
      mysql: sql`SELECT DISTINCT index_name AS name FROM information_schema.statistics WHERE table_schema = DATABASE() AND table_name = 'posts'`,
    }[db.dialect]
    const names = ((await engine.all(catalog)) as { name: string }[]).map((r) => r.name)
    for (const index of ['posts_author_id_idx', 'posts_author_id_slug_key', 'posts_title_slug_idx']) expect(names).toContain(index)
  })

  test('numbers rows and fills client and server defaults', async () => {
    const engine = await created()
    const before = Date.now()
    await engine.execute(insert(users).values([{ email: 'a@x.io', age: 30 }, { email: 'b@x.io', age: null }]))
    const rows = await engine.all(select(users).orderBy(users.id))
    expect(rows.map((r) => r.id)).toEqual([1, 2])
    expect(rows[0]).toMatchObject({ status: 'active', bio: "it's \\ fine", score: '1.50', verified: false, age: 30 })
    for (const at of [rows[0].createdAt, rows[0].seenAt]) {
      expect(at).toBeInstanceOf(Date)
      expect(Math.abs(at.getTime() - before)).toBeLessThan(10_000)
    }
  })

  test('a check constraint and an enum reject bad data', async () => {
    const engine = await created()
    const young = await engine.execute(insert(users).values({ email: 'young@x.io', age: 12 })).catch((e: unknown) => e)
    expect(young).toBeInstanceOf(CheckViolation)
    expect((young as CheckViolation).constraint).toBe('users_adult_check')
    await expect(engine.execute(insert(users).values({ email: 'odd@x.io', status: 'deleted' as 'active' }))).rejects.toThrow()
    expect(await rowsIn(engine, users)).toBe(0)
  })

  test('a unique constraint and a unique index reject duplicates', async () => {
    const engine = await created()
    await engine.execute(insert(users).values([{ email: 'a@x.io' }, { email: 'b@x.io' }]))
    await expect(engine.execute(insert(users).values({ email: 'a@x.io' }))).rejects.toBeInstanceOf(UniqueViolation)
    await engine.execute(insert(posts).values([{ authorId: 1, slug: 'hello', title: 'Hello' }, { authorId: 2, slug: 'hello', title: 'Hello' }]))
    await expect(engine.execute(insert(posts).values({ authorId: 1, slug: 'hello', title: 'Again' }))).rejects.toBeInstanceOf(UniqueViolation)
    await engine.execute(insert(tags).values({ name: 'sql', lang: 'en' }))
    await expect(engine.execute(insert(tags).values({ name: 'sql', lang: 'en' }))).rejects.toBeInstanceOf(UniqueViolation)
  })

  test('foreign keys are enforced and ON DELETE / ON UPDATE actions run', async () => {
    const engine = await created()
    await engine.execute(insert(users).values([{ email: 'a@x.io' }, { email: 'b@x.io' }, { email: 'c@x.io' }]))
    await expect(engine.execute(insert(posts).values({ authorId: 99, slug: 'x', title: 'x' }))).rejects.toBeInstanceOf(ForeignKeyViolation)
    await engine.execute(insert(posts).values([{ authorId: 1, slug: 'one', title: 'One' }, { authorId: 2, slug: 'two', title: 'Two', editorId: 3 }]))
    await engine.execute(insert(tags).values({ name: 'sql', lang: 'en' }))
    const postId = await engine.scalar(select({ id: posts.id }).from(posts).where(eq(posts.slug, 'one')))
    const tagId = await engine.scalar(select({ id: tags.id }).from(tags))
    await engine.execute(insert(postTags).values({ postId, tagId }))
    await engine.execute(update(users).set({ id: 10 }).where(eq(users.id, 1)))
    expect(await engine.scalar(select({ a: posts.authorId }).from(posts).where(eq(posts.slug, 'one')))).toBe(10)
    await engine.execute(deleteFrom(users).where(eq(users.id, 10)))
    expect(await rowsIn(engine, posts)).toBe(1)
    expect(await rowsIn(engine, postTags)).toBe(0)
    await engine.execute(deleteFrom(users).where(eq(users.id, 3)))
    expect(await engine.scalar(select({ e: posts.editorId }).from(posts))).toBeNull()
  })

  test('dropAll drops every table, and running it again is harmless', async () => {
    const engine = await created()
    await engine.dropAll(shop)
    await engine.dropAll(shop)
    await expect(rowsIn(engine, users)).rejects.toThrow()
    await engine.createAll(shop)
    expect(await rowsIn(engine, users)).toBe(0)
  })

  test('tables that reference each other are created and dropped', async () => {
    const engine = await db.engine()
    await engine.createAll(cyclic)
    await engine.createAll(cyclic)
    await engine.execute(insert(teams).values({ id: 1 }))
    await engine.execute(insert(people).values({ id: 1, teamId: 1 }))
    await engine.execute(update(teams).set({ captainId: 1 }).all())
    await expect(engine.execute(update(teams).set({ captainId: 5 }).all())).rejects.toBeInstanceOf(ForeignKeyViolation)
    await engine.dropAll(cyclic)
    await expect(engine.all(select(teams))).rejects.toThrow()
    await expect(engine.all(select(people))).rejects.toThrow()
  })
})
