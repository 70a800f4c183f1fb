/**
 * Quarry's contenders in the W2/W3 reads, the same on every database: plain and prepared
 * lookups, all posts, the bulk insert, and 200 users with their posts through core's two
 * queries and through the session (selectin and joined).
 */
import { createSession, joinedload, selectinload } from '@quarry/orm'
import * as q from './quarry'
import { attachPosts, WITH_POSTS, type BlogClient } from './reads'
import { posts, users } from '../../examples/blog-schema'

type Row = Record<string, unknown>

/** Quarry's clients on `engine`. */
export function quarryClients(engine: q.Engine): BlogClient[] {
  const byId = q.prepare(q.select(users).where(q.eq(users.id, q.param('id'))))
  const allPosts = q.prepare(q.select(posts))
  const sessionLoad = (strategy: typeof selectinload) => async () => {
    const session = createSession(engine)
    try {
      return await session.all(q.select(users).where(q.lte(users.id, WITH_POSTS)).orderBy(q.asc(users.id)), strategy(users.posts))
    } finally {
      await session.close()
    }
  }
  return [
    {
      name: 'Quarry',
      role: 'quarry',
      userById: { sync: false, get: (id) => engine.first(q.select(users).where(q.eq(users.id, id))) },
      allPosts: () => engine.all(q.select(posts)),
      insertUsers: (rows) => engine.transaction((tx) => tx.execute(q.insert(users).values(rows))),
      usersWithPosts: async () => {
        const us = await engine.all(q.select(users).where(q.lte(users.id, WITH_POSTS)).orderBy(q.asc(users.id)))
        const ps = await engine.all(q.select(posts).where(q.inArray(posts.authorId, us.map((u) => u.id))))
        return attachPosts(us as Row[], ps as Row[], 'authorId')
      },
      close: () => engine.close(),
    },
    {
      name: 'Quarry prepared',
      role: 'quarry',
      userById: { sync: false, get: (id) => engine.first(byId, { id }) },
      allPosts: () => engine.all(allPosts),
      close: () => {},
    },
    { name: 'Quarry session selectin', role: 'quarry', usersWithPosts: sessionLoad(selectinload), close: () => {} },
    { name: 'Quarry session joined', role: 'quarry', usersWithPosts: sessionLoad(joinedload), close: () => {} },
  ]
}
