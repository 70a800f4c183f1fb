/**
 * TOUR section 6: eager loading without N+1. Statement counts come from the engine's echo hook:
 * 1 + one per selectin level whatever the row count; joined loading is one statement.
 */
import { desc, eq, insert, select, update } from '@quarry/core'
import { joinedload, selectinload, SessionError, withDeleted } from '@quarry/orm'
import { expect, test } from 'vitest'
import { forEachDialect } from '../support/dialects'
import { posts, postTags, schema, tags, users } from '../support/blog-schema'
import { setUp } from './helpers'

const PARENTS = 120

forEachDialect((db) => {
  async function seeded() {
    const ctx = await setUp(db, schema)
    const { engine } = ctx
    await engine.execute(insert(users).values(Array.from({ length: PARENTS }, (_, i) => ({ username: `u${i}`, email: `u${i}@x` }))))
    await engine.execute(insert(tags).values([{ name: 't0' }, { name: 't1' }, { name: 't2' }]))
    // Two posts per user except the last, which has none.
    const postRows = Array.from({ length: (PARENTS - 1) * 2 }, (_, i) => ({ title: `p${i}`, body: '', authorId: Math.floor(i / 2) + 1 }))
    await engine.execute(insert(posts).values(postRows))
    await engine.execute(insert(postTags).values(postRows.map((_, i) => ({ postId: i + 1, tagId: (i % 3) + 1 }))))
    ctx.log.reset()
    return ctx
  }

  test('selectinload: 1 + one statement per level for 100+ parents', async () => {
    const { session, log } = await seeded()
    await using s = session()
    const all = await s.all(select(users).orderBy(users.id), selectinload(users.posts))
    expect(log.count()).toBe(2)
    expect(all).toHaveLength(PARENTS)
    expect(all[0].posts.map((p) => p.title)).toEqual(['p0', 'p1'])
    expect(all[PARENTS - 1].posts).toEqual([])
    log.reset()
    const nested = await s.all(select(users).orderBy(users.id), selectinload(users.posts, posts.tags))
    expect(log.count()).toBe(2) // users again, and tags; posts were already loaded
    expect(nested[0].posts[0].tags.map((t) => t.name)).toEqual(['t0'])
    await s.close() // SQLite has one connection: a second session waits for the first to finish
    log.reset()
    await using fresh = session()
    const again = await fresh.all(select(users).orderBy(users.id), selectinload(users.posts, posts.tags), selectinload(users.posts, posts.author))
    expect(log.count()).toBe(3) // users, posts, tags; authors come from the identity map
    expect(again[3].posts[1].author).toBe(again[3])
  })

  test('selectin collections come in primary-key order, whatever order the database returns rows in', async () => {
    const { engine, session } = await seeded()
    // Rows updated after insertion move on disk (PostgreSQL appends new versions): the first
    // posts of user 1 and the tags' association rows no longer lie in key order.
    await engine.execute(insert(posts).values([{ id: 900, title: 'late', body: '', authorId: 1 }]))
    await engine.execute(insert(postTags).values([{ postId: 1, tagId: 3 }, { postId: 1, tagId: 2 }]))
    await engine.execute(update(posts).set({ body: 'moved' }).where(eq(posts.id, 1)))
    await engine.execute(update(tags).set({ name: 't0' }).where(eq(tags.id, 1)))
    await using s = session()
    const [first] = await s.all(select(users).where(eq(users.id, 1)), selectinload(users.posts, posts.tags))
    expect(first.posts.map((p) => p.id)).toEqual([1, 2, 900])
    expect(first.posts[0].tags.map((t) => t.id)).toEqual([1, 2, 3])
  })

  test('IN lists are cut under the parameter limit', async () => {
    const { session, log } = await seeded()
    await using s = session({ maxParams: 50 })
    const all = await s.all(select(users), selectinload(users.posts))
    expect(log.count()).toBe(1 + Math.ceil(PARENTS / 50))
    expect(all.reduce((n, u) => n + u.posts.length, 0)).toBe((PARENTS - 1) * 2)
  })

  test('joinedload: one statement, parents deduplicated, nested through an association table', async () => {
    const { session, log } = await seeded()
    await using s = session()
    const all = await s.all(select(users).where(eq(users.username, 'u1')), joinedload(users.posts, posts.tags))
    expect(log.count()).toBe(1)
    expect(all).toHaveLength(1)
    expect(all[0].posts.map((p) => [p.title, p.tags.map((t) => t.name)])).toEqual([
      ['p2', ['t2']],
      ['p3', ['t0']],
    ])
    log.reset()
    const many = await s.all(select(users).orderBy(users.id), joinedload(users.posts))
    expect(log.count()).toBe(1)
    expect(many.map((u) => u.username)).toEqual(Array.from({ length: PARENTS }, (_, i) => `u${i}`))
    expect(many[PARENTS - 1].posts).toEqual([])
    const p = await s.all(select(posts).where(eq(posts.id, 1)), joinedload(posts.author))
    expect(p[0].author.username).toBe('u0')
  })

  test('joined and selectin mix; get() takes load options too', async () => {
    const { session, log } = await seeded()
    await using s = session()
    const all = await s.all(select(users).orderBy(users.id).where(eq(users.id, 2)), joinedload(users.posts), selectinload(users.posts, posts.tags))
    expect(log.count()).toBe(2)
    expect(all[0].posts[0].tags[0].name).toBe('t2')
    log.reset()
    const u = await s.get(users, 3, selectinload(users.posts))
    expect(log.count()).toBe(2)
    expect(u!.posts).toHaveLength(2)
    log.reset()
    expect(await s.get(users, 3, selectinload(users.posts))).toBe(u)
    expect(log.count()).toBe(0)
  })

  test('bad load paths and joined collections with LIMIT are refused', async () => {
    const { session } = await seeded()
    await using s = session()
    await expect(s.all(select(users) as never, selectinload(posts.tags) as never)).rejects.toThrow(SessionError)
    expect(() => (selectinload as (...a: unknown[]) => unknown)(users.posts, users.posts)).toThrow(/does not continue/)
    expect(await s.all(select(users).limit(2), selectinload(users.posts), withDeleted())).toHaveLength(2)
  })

  test('joinedload of a collection with limit/offset counts parents, not joined rows', async () => {
    const { session, log } = await seeded()
    await using s = session()
    const page = await s.all(select(users).orderBy(desc(users.username)).limit(3).offset(1), joinedload(users.posts, posts.tags))
    expect(log.count()).toBe(1)
    expect(page.map((u) => u.username)).toEqual(['u98', 'u97', 'u96'])
    expect(page.map((u) => u.posts.length)).toEqual([2, 2, 2])
    expect(page[0].posts[0].tags).toHaveLength(1)
    const first = await s.first(select(users).orderBy(users.id), joinedload(users.posts))
    expect(first!.posts.map((p) => p.title)).toEqual(['p0', 'p1'])
  })
})
