/**
 * examples/blog-api over HTTP, on every dialect: the server starts on loopback (port 0) on the
 * test's own database, applies the committed migration, and is called with fetch. CRUD, soft
 * delete, the transaction of POST /posts, lists with filters and keyset pages (equal createdAt
 * values included), 404, 409 on a duplicate and 422 naming the field.
 */
import { eq, insert, select } from '@quarry/core'
import { expect, test } from 'vitest'
import { z } from 'zod'
import { posts, users } from '../../examples/blog-api/src/schema'
import { Page, Post, User } from '../../examples/blog-api/src/schemas'
import { start, type Running } from '../../examples/blog-api/src/server'
import { forEachDialect, type TestDatabase } from '../support'

interface Reply {
  readonly status: number
  readonly json: any
}

/** One request; the body is sent as JSON (a string as it is). */
async function call(api: Running, method: string, path: string, body?: unknown): Promise<Reply> {
  const init: RequestInit = { method }
  if (body !== undefined) init.body = typeof body === 'string' ? body : JSON.stringify(body)
  if (body !== undefined) init.headers = { 'content-type': 'application/json' }
  const response = await fetch(api.url + path, init)
  const text = await response.text()
  return { status: response.status, json: text === '' ? undefined : JSON.parse(text) }
}

/** Runs `fn` against the service on this test's database, then stops it. */
async function withApi(db: TestDatabase, fn: (api: Running) => Promise<void>): Promise<void> {
  const target = await db.target()
  const api = await start({ databaseUrl: target.url, engineOptions: target.options })
  try {
    await fn(api)
  } finally {
    await api.close()
  }
}

const newUser = (name: string) => ({ username: name, email: `${name}@example.com` })

/** Every page of a list, following nextCursor; the ids in the order served. */
async function allPages(api: Running, path: string, limit: number): Promise<{ ids: number[]; pages: number }> {
  const ids: number[] = []
  let cursor: string | null = null
  let pages = 0
  do {
    const sep = path.includes('?') ? '&' : '?'
    const reply = await call(api, 'GET', `${path}${sep}limit=${limit}${cursor ? `&cursor=${cursor}` : ''}`)
    expect(reply.status).toBe(200)
    const page = Page(Post.pick({ id: true, createdAt: true })).parse(reply.json)
    expect(page.items.length).toBeLessThanOrEqual(limit)
    ids.push(...page.items.map((item) => item.id))
    cursor = page.nextCursor
    pages++
  } while (cursor !== null)
  return { ids, pages }
}

forEachDialect((db) => {
  test('users: create, read, update, soft delete, 404', async () => {
    await withApi(db, async (api) => {
      const created = await call(api, 'POST', '/users', { ...newUser('alice'), bio: 'hi' })
      expect(created.status).toBe(201)
      const alice = z.decode(User, created.json)
      expect(alice).toMatchObject({ username: 'alice', email: 'alice@example.com', bio: 'hi' })
      expect(alice.createdAt).toBeInstanceOf(Date)

      expect(await call(api, 'GET', `/users/${alice.id}`)).toEqual({ status: 200, json: created.json })
      const patched = await call(api, 'PATCH', `/users/${alice.id}`, { bio: null, email: 'alice@example.org' })
      expect(patched.status).toBe(200)
      expect(patched.json).toMatchObject({ id: alice.id, username: 'alice', email: 'alice@example.org', bio: null })
      expect((await call(api, 'GET', `/users/${alice.id}`)).json.email).toBe('alice@example.org')

      expect((await call(api, 'DELETE', `/users/${alice.id}`)).status).toBe(204)
      expect(await call(api, 'GET', `/users/${alice.id}`)).toEqual({ status: 404, json: { error: 'user not found' } })
      expect((await call(api, 'PATCH', `/users/${alice.id}`, { bio: 'x' })).status).toBe(404)
      expect((await call(api, 'DELETE', `/users/${alice.id}`)).status).toBe(404)
      // Soft: the row is still there, marked.
      const row = await api.engine.first(select(users).where(eq(users.id, alice.id)))
      expect(row?.deletedAt).toBeInstanceOf(Date)

      expect((await call(api, 'GET', '/users/999999')).status).toBe(404)
      expect((await call(api, 'GET', '/users/abc')).status).toBe(404)
      expect((await call(api, 'GET', '/nowhere')).status).toBe(404)
    })
  })

  test('409 on a duplicate and 422 on bad input, with the field named', async () => {
    await withApi(db, async (api) => {
      expect((await call(api, 'POST', '/users', newUser('bob'))).status).toBe(201)
      expect(await call(api, 'POST', '/users', { username: 'bob', email: 'other@example.com' })).toEqual({
        status: 409,
        json: { errors: [{ path: ['username'], code: 'unique', message: 'already taken', constraint: 'users_username_key' }] },
      })
      const other = await call(api, 'POST', '/users', newUser('carol'))
      const taken = await call(api, 'PATCH', `/users/${other.json.id}`, { email: 'bob@example.com' })
      expect(taken.status).toBe(409)
      expect(taken.json.errors).toMatchObject([{ path: ['email'], code: 'unique' }])

      const fields = async (body: unknown) => {
        const reply = await call(api, 'POST', '/users', body)
        expect(reply.status).toBe(422)
        return reply.json.errors.map((e: { path: unknown[] }) => e.path.join('.'))
      }
      expect(await fields({ username: 'dave', email: 'not an email' })).toEqual(['email'])
      expect(await fields({ username: 'd'.repeat(51), email: 'dave@example.com' })).toEqual(['username'])
      expect(await fields({ email: 'dave@example.com' })).toEqual(['username'])
      expect(await fields({ username: 7, email: 'dave@example.com', bio: 3 })).toEqual(['username', 'bio'])
      // A CHECK only the database knows (no spaces in usernames), answered the same way.
      const check = await call(api, 'POST', '/users', { username: 'dave smith', email: 'dave@example.com' })
      expect(check).toEqual({
        status: 422,
        json: { errors: [{ path: ['username'], code: 'check', message: 'breaks the rule users_username_no_space_check', constraint: 'users_username_no_space_check' }] },
      })
      const extra = await call(api, 'POST', '/users', { ...newUser('erin'), admin: true })
      expect(extra.status).toBe(422)
      expect(extra.json.errors[0].message).toContain('admin')
      expect((await call(api, 'POST', '/users', '{"username": ')).status).toBe(400)
      expect((await call(api, 'GET', '/users?limit=0')).json.errors).toMatchObject([{ path: ['limit'] }])
      expect((await call(api, 'GET', '/posts?cursor=nonsense')).json.errors).toMatchObject([{ path: ['cursor'], message: 'is not a cursor given out by this API' }])
      expect((await call(api, 'GET', '/posts?q=100%25')).json.errors).toMatchObject([{ path: ['q'] }])
      expect((await call(api, 'GET', '/posts?sort=title')).status).toBe(422)
    })
  })

  test('posts: create with tags in one transaction, read, update, soft delete', async () => {
    await withApi(db, async (api) => {
      const author = (await call(api, 'POST', '/users', newUser('alice'))).json
      const created = await call(api, 'POST', '/posts', { title: 'Hello', body: 'First post', authorId: author.id, tags: ['intro', 'quarry', 'intro'] })
      expect(created.status).toBe(201)
      const post = z.decode(Post, created.json)
      expect(post).toMatchObject({ title: 'Hello', authorId: author.id, author: { username: 'alice' } })
      expect(post.tags.map((t) => t.name).sort()).toEqual(['intro', 'quarry'])
      expect(await call(api, 'GET', `/posts/${post.id}`)).toEqual({ status: 200, json: created.json })

      // The tags, the post and the links are one transaction: when the post fails, no new tag stays.
      const orphan = await call(api, 'POST', '/posts', { title: 'Lost', body: '…', authorId: 999_999, tags: ['intro', 'never'] })
      expect(orphan).toEqual({
        status: 422,
        json: { errors: [{ path: ['authorId'], code: 'foreign_key', message: 'refers to a row that does not exist', constraint: 'posts_author_id_fkey' }] },
      })
      expect((await call(api, 'GET', '/tags')).json.map((t: { name: string }) => t.name)).toEqual(['intro', 'quarry'])
      expect((await call(api, 'POST', '/posts', { title: 'x'.repeat(201), body: '', authorId: author.id })).json.errors).toMatchObject([{ path: ['title'] }])
      expect((await call(api, 'POST', '/posts', { title: 'x', body: '', authorId: author.id, tags: ['t'.repeat(51)] })).json.errors).toMatchObject([{ path: ['tags', 0] }])

      const patched = await call(api, 'PATCH', `/posts/${post.id}`, { title: 'Hello again', tags: ['quarry', 'sql'] })
      expect(patched.status).toBe(200)
      expect(patched.json.title).toBe('Hello again')
      expect(patched.json.tags.map((t: { name: string }) => t.name).sort()).toEqual(['quarry', 'sql'])
      expect((await call(api, 'GET', `/posts/${post.id}`)).json).toEqual(patched.json)

      expect((await call(api, 'DELETE', `/posts/${post.id}`)).status).toBe(204)
      expect((await call(api, 'GET', `/posts/${post.id}`)).status).toBe(404)
      expect((await call(api, 'GET', '/posts')).json.items).toEqual([])
      expect((await api.engine.first(select(posts).where(eq(posts.id, post.id))))?.deletedAt).toBeInstanceOf(Date)
    })
  })

  test('deleting a user soft-deletes their posts in the same transaction; their name cannot post again', async () => {
    await withApi(db, async (api) => {
      const alice = (await call(api, 'POST', '/users', newUser('alice'))).json
      const bob = (await call(api, 'POST', '/users', newUser('bob'))).json
      for (const [author, title] of [[alice, 'a1'], [alice, 'a2'], [bob, 'b1']] as const) {
        expect((await call(api, 'POST', '/posts', { title, body: '…', authorId: author.id })).status).toBe(201)
      }
      expect((await call(api, 'DELETE', `/users/${alice.id}`)).status).toBe(204)
      expect((await call(api, 'GET', '/posts')).json.items.map((p: { title: string }) => p.title)).toEqual(['b1'])
      const rows = await api.engine.all(select(posts).where(eq(posts.authorId, alice.id)))
      expect(rows.map((row) => row.deletedAt !== null)).toEqual([true, true])
      expect(await call(api, 'POST', '/posts', { title: 'ghost', body: '…', authorId: alice.id })).toEqual({ status: 422, json: {
        errors: [{ path: ['authorId'], code: 'custom', message: 'this user was deleted' }],
      } })
    })
  })

  test('lists: filters from the query string, keyset pages, eager loading', async () => {
    await withApi(db, async (api) => {
      const alice = (await call(api, 'POST', '/users', newUser('alice'))).json
      const bob = (await call(api, 'POST', '/users', newUser('bob'))).json
      const made: { id: number; author: number; tags: string[]; title: string }[] = []
      for (let i = 0; i < 7; i++) {
        const author = i % 2 === 0 ? alice.id : bob.id
        const tags = i % 3 === 0 ? ['even3', 'all'] : ['all']
        const title = i === 4 ? 'The Special one' : `post ${i}`
        const reply = await call(api, 'POST', '/posts', { title, body: '…', authorId: author, tags })
        made.push({ id: reply.json.id, author, tags, title })
      }
      const newest = [...made].reverse().map((p) => p.id)

      const first = await call(api, 'GET', '/posts?limit=3')
      expect(first.json.items.map((p: { id: number }) => p.id)).toEqual(newest.slice(0, 3))
      expect(first.json.items[0].author.username).toBe(made[6]!.author === alice.id ? 'alice' : 'bob')
      expect(first.json.items[0].tags.map((t: { name: string }) => t.name).sort()).toEqual([...made[6]!.tags].sort())
      expect(await allPages(api, '/posts', 3)).toEqual({ ids: newest, pages: 3 })
      expect(await allPages(api, '/posts', 7)).toEqual({ ids: newest, pages: 1 })

      const byAlice = made.filter((p) => p.author === alice.id).map((p) => p.id).reverse()
      expect((await allPages(api, `/posts?author=${alice.id}`, 2)).ids).toEqual(byAlice)
      const tagged = made.filter((p) => p.tags.includes('even3')).map((p) => p.id).reverse()
      expect((await allPages(api, '/posts?tag=even3', 1)).ids).toEqual(tagged)
      expect((await allPages(api, `/posts?tag=even3&author=${bob.id}`, 5)).ids).toEqual(made.filter((p) => p.author === bob.id && p.tags.includes('even3')).map((p) => p.id))
      expect((await allPages(api, '/posts?q=special', 5)).ids).toEqual([made[4]!.id])
      expect((await allPages(api, '/posts?tag=nothing', 5)).ids).toEqual([])

      const usersPage = await call(api, 'GET', '/users?q=AL&limit=1')
      expect(usersPage.json).toMatchObject({ items: [{ username: 'alice' }], nextCursor: null })
      const twoUsers = await call(api, 'GET', '/users?limit=1')
      const next = await call(api, 'GET', `/users?limit=1&cursor=${twoUsers.json.nextCursor}`)
      expect([twoUsers.json.items[0].id, next.json.items[0].id].sort()).toEqual([alice.id, bob.id].sort())
      expect(next.json.nextCursor).toBeNull()
    })
  })

  test('keyset pages over rows with equal createdAt: none skipped, none repeated', async () => {
    await withApi(db, async (api) => {
      const author = (await call(api, 'POST', '/users', newUser('alice'))).json
      const same = new Date('2026-01-02T03:04:05.678Z')
      const later = new Date('2026-01-02T03:04:05.679Z')
      const rows = [...Array.from({ length: 5 }, (_, i) => ({ createdAt: same, title: `same ${i}` })), { createdAt: later, title: 'later' }, { createdAt: same, title: 'same 5' }]
      await api.engine.execute(insert(posts).values(rows.map((r) => ({ ...r, body: '…', authorId: author.id }))))
      const stored = await api.engine.all(select(posts))
      const expected = stored.sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime() || b.id - a.id).map((p) => p.id)
      expect(stored.filter((p) => p.createdAt.getTime() === same.getTime())).toHaveLength(6)
      for (const limit of [1, 2, 4]) expect((await allPages(api, '/posts', limit)).ids).toEqual(expected)
    })
  })

  test('/openapi.json is generated from the zod schemas', async () => {
    await withApi(db, async (api) => {
      const reply = await call(api, 'GET', '/openapi.json')
      expect(reply.status).toBe(200)
      const doc = reply.json
      expect(doc.openapi).toBe('3.1.0')
      expect(Object.keys(doc.paths).sort()).toEqual(['/posts', '/posts/{id}', '/tags', '/users', '/users/{id}'])
      expect(doc.components.schemas.NewUser).toMatchObject({
        type: 'object',
        required: ['username', 'email'],
        additionalProperties: false,
        properties: { username: { type: 'string', maxLength: 50 }, email: { type: 'string', format: 'email', maxLength: 120 } },
      })
      expect(doc.components.schemas.Post.properties.createdAt).toMatchObject({ type: 'string', format: 'date-time' })
      expect(doc.paths['/posts'].get.parameters.map((p: { name: string }) => p.name)).toEqual(['author', 'tag', 'q', 'limit', 'cursor'])
      expect(doc.paths['/posts'].post.responses['422'].content['application/json'].schema).toEqual({ $ref: '#/components/schemas/FieldErrors' })
    })
  })
})
