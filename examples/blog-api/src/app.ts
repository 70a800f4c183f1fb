/**
 * The routes. Each handler gets its own session from the middleware (`c.var.session`), validates
 * what comes in with the derived schemas, and encodes what goes out with them.
 */
import { any, asc, eq, ilike, inArray, isNull, select, update, type ConditionOf, type Engine, type Row } from '@quarry/core'
import { selectinload, withDeleted, type Session } from '@quarry/orm'
import { Hono, type Context } from 'hono'
import { z } from 'zod'
import { sessionPerRequest, type Env } from './db.js'
import { body, notFound, onError } from './errors.js'
import { openApiDocument } from './openapi.js'
import { after, newestFirst, page } from './pagination.js'
import { posts, tags, users } from './schema.js'
import { Id, NewPost, NewUser, Post, PostPatch, PostQuery, Tag, User, UserPatch, UserQuery } from './schemas.js'

/** The `:id` path parameter; anything but a positive integer is a 404. */
function idOf(c: Context, what: string): number {
  const id = Id.safeParse(c.req.param('id'))
  return id.success ? id.data : notFound(what)
}

/** A validation failure found by the handler, answered like the schema's own (422 naming the field). */
function invalid(path: string, message: string): never {
  // ZodRealError, not ZodError: zod 4's ZodError is not an Error, and Hono hands only Errors to onError.
  throw new z.ZodRealError([{ code: 'custom', path: [path], message, input: undefined }])
}

/** The tags with these names, the missing ones added to the session (inserted at the next flush). */
async function tagsNamed(session: Session, names: readonly string[]): Promise<Row<typeof tags>[]> {
  const wanted = [...new Set(names)]
  if (wanted.length === 0) return []
  const found = await session.all(select(tags).where(inArray(tags.name, wanted)))
  const known = new Set(found.map((tag) => tag.name))
  return [...found, ...wanted.filter((name) => !known.has(name)).map((name) => session.add(tags, { name }))]
}

/** A post with its author and tags, as the API returns it. */
async function postOut(session: Session, id: number) {
  const post = await session.first(select(posts).where(eq(posts.id, id)), selectinload(posts.author), selectinload(posts.tags))
  return z.encode(Post, post ?? notFound('post'))
}

/** The service, on an engine; the caller owns the engine (and closes it). */
export function createApp(engine: Engine): Hono<Env> {
  const app = new Hono<Env>()
  app.onError(onError)
  app.notFound((c) => c.json({ error: 'no such route' }, 404))
  app.get('/openapi.json', (c) => c.json(openApiDocument()))
  app.use(sessionPerRequest(engine))

  app.post('/users', async (c) => {
    const { session } = c.var
    const user = session.add(users, await body(c, NewUser))
    await session.commit()
    return c.json(z.encode(User, user), 201)
  })

  app.get('/users', async (c) => {
    const { q, limit, cursor } = UserQuery.parse(c.req.query())
    const conditions: ConditionOf<typeof users>[] = []
    if (q !== undefined) conditions.push(ilike(users.username, `%${q}%`))
    if (cursor !== undefined) conditions.push(after(users.createdAt, users.id, cursor))
    const query = select(users).where(...conditions).orderBy(...newestFirst(users.createdAt, users.id)).limit(limit + 1)
    const { items, nextCursor } = page(await c.var.session.all(query), limit)
    return c.json({ items: items.map((user) => z.encode(User, user)), nextCursor })
  })

  app.get('/users/:id', async (c) => {
    const user = (await c.var.session.get(users, idOf(c, 'user'))) ?? notFound('user')
    return c.json(z.encode(User, user))
  })

  app.patch('/users/:id', async (c) => {
    const { session } = c.var
    const changes = await body(c, UserPatch)
    const user = (await session.get(users, idOf(c, 'user'))) ?? notFound('user')
    Object.assign(user, changes)
    await session.commit()
    return c.json(z.encode(User, user))
  })

  // Two writes, one transaction: the user and their posts are soft-deleted together or not at all.
  app.delete('/users/:id', async (c) => {
    const { session } = c.var
    const user = (await session.get(users, idOf(c, 'user'))) ?? notFound('user')
    const at = new Date()
    await session.execute(update(posts).set({ deletedAt: at }).where(eq(posts.authorId, user.id), isNull(posts.deletedAt)))
    session.delete(user)
    await session.commit()
    return c.body(null, 204)
  })

  // Three writes in one commit: missing tags, the post, and the rows linking them.
  app.post('/posts', async (c) => {
    const { session } = c.var
    const input = await body(c, NewPost)
    // A missing author is the foreign key's to refuse (toFieldErrors names authorId); a
    // soft-deleted one still exists for the database, so it is refused here.
    const author = await session.get(users, input.authorId, withDeleted())
    if (author?.deletedAt) invalid('authorId', 'this user was deleted')
    const post = session.add(posts, { title: input.title, body: input.body, authorId: input.authorId, tags: await tagsNamed(session, input.tags) })
    await session.commit()
    // The session holds all of it after the commit (the key and server defaults read back, the
    // tags, the author loaded above; a missing author failed the commit): no read back needed.
    return c.json(z.encode(Post, { ...post, author: author!, tags: post.tags }), 201)
  })

  app.get('/posts', async (c) => {
    const { author, tag, q, limit, cursor } = PostQuery.parse(c.req.query())
    const conditions: ConditionOf<typeof posts>[] = []
    if (author !== undefined) conditions.push(eq(posts.authorId, author))
    if (tag !== undefined) conditions.push(any(posts.tags, eq(tags.name, tag)))
    if (q !== undefined) conditions.push(ilike(posts.title, `%${q}%`))
    if (cursor !== undefined) conditions.push(after(posts.createdAt, posts.id, cursor))
    const query = select(posts).where(...conditions).orderBy(...newestFirst(posts.createdAt, posts.id)).limit(limit + 1)
    const rows = await c.var.session.all(query, selectinload(posts.author), selectinload(posts.tags))
    const { items, nextCursor } = page(rows, limit)
    return c.json({ items: items.map((post) => z.encode(Post, post)), nextCursor })
  })

  app.get('/posts/:id', async (c) => c.json(await postOut(c.var.session, idOf(c, 'post'))))

  app.patch('/posts/:id', async (c) => {
    const { session } = c.var
    const { tags: names, ...changes } = await body(c, PostPatch)
    const post = (await session.get(posts, idOf(c, 'post'), selectinload(posts.tags))) ?? notFound('post')
    Object.assign(post, changes)
    if (names !== undefined) post.tags.splice(0, post.tags.length, ...(await tagsNamed(session, names)))
    await session.commit()
    return c.json(await postOut(session, post.id))
  })

  app.delete('/posts/:id', async (c) => {
    const { session } = c.var
    session.delete((await session.get(posts, idOf(c, 'post'))) ?? notFound('post'))
    await session.commit()
    return c.body(null, 204)
  })

  app.get('/tags', async (c) => {
    const rows = await c.var.session.all(select(tags).orderBy(asc(tags.name)))
    return c.json(rows.map((tag) => Tag.parse(tag)))
  })

  return app
}
