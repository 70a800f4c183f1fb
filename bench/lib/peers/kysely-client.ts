/**
 * Kysely's contender in the W2/W3 reads: the same queries on every database, only the dialect
 * it is built on differs.
 */
import type { Kysely } from 'kysely'
import { attachPosts, WITH_POSTS, type BlogClient } from '../reads'
import type { DB } from './kysely-types'

type Row = Record<string, unknown>

/** Kysely's client over `db`, reported as `name`. */
export function kyselyClient(name: string, db: Kysely<DB>): BlogClient {
  return {
    name,
    role: 'peer',
    userById: { sync: false, get: (id) => db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst() },
    allPosts: () => db.selectFrom('posts').selectAll().execute(),
    insertUsers: (rows) => db.transaction().execute((trx) => trx.insertInto('users').values(rows).execute()),
    usersWithPosts: async () => {
      const us = await db.selectFrom('users').selectAll().where('id', '<=', WITH_POSTS).orderBy('id').execute()
      const ps = await db.selectFrom('posts').selectAll().where('author_id', 'in', us.map((u) => u.id)).execute()
      return attachPosts(us as Row[], ps as Row[], 'author_id')
    },
    close: () => db.destroy(),
  }
}
