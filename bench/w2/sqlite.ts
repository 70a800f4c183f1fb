/**
 * W2: SQLite through better-sqlite3 (a file in WAL mode). Baseline: raw better-sqlite3 prepared
 * statements. Peers: Kysely, Drizzle (plain and prepared), Knex, MikroORM.
 */
import { MikroORM } from '@mikro-orm/better-sqlite'
import * as d from 'drizzle-orm'
import { drizzle } from 'drizzle-orm/better-sqlite3'
import knexFactory, { type Knex } from 'knex'
import { Kysely, SqliteDialect } from 'kysely'
import { createRequire } from 'node:module'
import { Database, openSqlite, rootVersion, setupSqlite } from '../lib/db'
import { machineLine } from '../lib/harness'
import * as q from '../lib/quarry'
import { kyselyClient } from '../lib/peers/kysely-client'
import { quarryClients } from '../lib/quarry-clients'
import { attachPosts, runReads, WITH_POSTS, type Admin, type BlogClient, type NewUser } from '../lib/reads'
import { finished, type WorkloadResult } from '../lib/report'
import * as dz from '../lib/peers/drizzle-sqlite'
import type { DB } from '../lib/peers/kysely-types'
import { entities, Post, User } from '../lib/peers/mikro'

type Row = Record<string, unknown>
const placeholders = (n: number) => Array.from({ length: n }, () => '?').join(', ')

function rawClient(file: string): BlogClient {
  const db = openSqlite(file)
  const byId = db.prepare('SELECT * FROM users WHERE id = ?')
  const allPosts = db.prepare('SELECT * FROM posts')
  const insert = db.prepare('INSERT INTO users (username, email, bio) VALUES (?, ?, ?)')
  const insertAll = db.transaction((rows: NewUser[]) => {
    for (const r of rows) insert.run(r.username, r.email, r.bio)
  })
  const someUsers = db.prepare('SELECT * FROM users WHERE id <= ? ORDER BY id')
  const theirPosts = db.prepare(`SELECT * FROM posts WHERE author_id IN (${placeholders(WITH_POSTS)})`)
  return {
    name: 'raw better-sqlite3',
    role: 'raw',
    userById: { sync: true, get: (id) => byId.get(id) },
    allPosts: () => allPosts.all(),
    insertUsers: (rows) => insertAll(rows),
    usersWithPosts: () => {
      const us = someUsers.all(WITH_POSTS) as Row[]
      return attachPosts(us, theirPosts.all(...us.map((u) => u.id)) as Row[], 'author_id')
    },
    close: () => void db.close(),
  }
}

/** The floor of any asynchronous API: the raw prepared statement, awaited ((a) only; not the baseline). */
function rawAwaitedClient(file: string): BlogClient {
  const db = openSqlite(file)
  const byId = db.prepare('SELECT * FROM users WHERE id = ?')
  return { name: 'raw better-sqlite3, awaited', role: 'raw', userById: { sync: false, get: async (id) => byId.get(id) }, close: () => void db.close() }
}

function drizzleClients(file: string): BlogClient[] {
  const sqlite = openSqlite(file)
  const db = drizzle(sqlite, { schema: dz })
  const byId = db.select().from(dz.users).where(d.eq(dz.users.id, d.sql.placeholder('id'))).prepare()
  const allPosts = db.select().from(dz.posts).prepare()
  return [
    {
      name: 'Drizzle',
      role: 'peer',
      // better-sqlite3 is synchronous and so is Drizzle's API on it: .get()/.all()/.run()/.sync().
      userById: { sync: true, get: (id) => db.select().from(dz.users).where(d.eq(dz.users.id, id)).get() },
      allPosts: () => db.select().from(dz.posts).all(),
      insertUsers: (rows) => db.transaction((tx) => void tx.insert(dz.users).values(rows).run()),
      usersWithPosts: () =>
        db.query.users.findMany({ where: d.lte(dz.users.id, WITH_POSTS), orderBy: d.asc(dz.users.id), with: { posts: true } }).sync(),
      close: () => void sqlite.close(),
    },
    {
      name: 'Drizzle prepared',
      role: 'peer',
      userById: { sync: true, get: (id) => byId.get({ id }) },
      allPosts: () => allPosts.all(),
      close: () => {},
    },
  ]
}

/** Knex's better-sqlite3 client, given the same better-sqlite3 as everyone else. */
function knexClient(file: string): BlogClient {
  const Base = (createRequire(import.meta.url)('knex/lib/dialects/better-sqlite3') as { default?: unknown }).default ?? createRequire(import.meta.url)('knex/lib/dialects/better-sqlite3')
  class Client extends (Base as new (config: Knex.Config) => object) {
    _driver() {
      return Database
    }
  }
  const knex = knexFactory({
    client: Client as never,
    connection: { filename: file },
    useNullAsDefault: true,
    pool: { afterCreate: (conn: { pragma(s: string): void }, done: (e: unknown, c: unknown) => void) => (conn.pragma('foreign_keys = ON'), done(null, conn)) },
  })
  return {
    name: 'Knex',
    role: 'peer',
    userById: { sync: false, get: (id) => knex('users').where('id', id).first() },
    allPosts: () => knex('posts').select(),
    insertUsers: (rows) => knex.transaction((trx) => knex.batchInsert('users', rows, 500).transacting(trx)),
    usersWithPosts: async () => {
      const us: Row[] = await knex('users').where('id', '<=', WITH_POSTS).orderBy('id')
      const ps: Row[] = await knex('posts').whereIn('author_id', us.map((u) => u.id as number))
      return attachPosts(us, ps, 'author_id')
    },
    close: () => knex.destroy(),
  }
}

async function mikroClient(file: string): Promise<BlogClient> {
  const orm = await MikroORM.init({ dbName: file, entities, debug: false, allowGlobalContext: false })
  return {
    name: 'MikroORM',
    role: 'peer',
    userById: { sync: false, get: (id) => orm.em.fork().findOne(User, id) },
    allPosts: () => orm.em.fork().find(Post, {}),
    insertUsers: (rows) => orm.em.fork().transactional((em) => em.insertMany(User, rows)),
    usersWithPosts: () => orm.em.fork().find(User, { id: { $lte: WITH_POSTS } }, { populate: ['posts'], orderBy: { id: 'asc' } }),
    close: () => orm.close(),
  }
}

function sqliteAdmin(file: string): Admin {
  const db = openSqlite(file)
  return {
    countUsersTagged: async (tag) => (db.prepare('SELECT count(*) AS n FROM users WHERE username LIKE ?').get(`${tag}-%`) as { n: number }).n,
    userByName: async (username) => db.prepare('SELECT * FROM users WHERE username = ?').get(username) as Record<string, unknown> | undefined,
    deleteNewUsers: async () => {
      db.prepare('DELETE FROM users WHERE id > 1000').run()
    },
  }
}

export async function w2(): Promise<WorkloadResult> {
  const started = performance.now()
  const machine = machineLine()
  const file = await setupSqlite('w2')
  const engine = q.createEngine(`sqlite:///${file}`)
  const clients: BlogClient[] = [rawClient(file), rawAwaitedClient(file), ...quarryClients(engine), kyselyClient('Kysely', new Kysely<DB>({ dialect: new SqliteDialect({ database: openSqlite(file) }) })), ...drizzleClients(file), knexClient(file), await mikroClient(file)]
  try {
    const { tables, targets } = await runReads('W2', clients, sqliteAdmin(file), 'raw better-sqlite3')
    return {
      id: 'w2',
      title: 'SQLite through better-sqlite3 (file, WAL)',
      machine,
      ...finished(started),
      notes: [
        `better-sqlite3 ${rootVersion('better-sqlite3')} for every contender (MikroORM's pinned 11.x is redirected to it: two SQLite libraries in one process corrupt a shared WAL file). Every connection: WAL, foreign keys on.`,
        'Raw better-sqlite3 and Drizzle (whose better-sqlite3 API is synchronous) are called without `await`; Quarry, Kysely, Knex and MikroORM are asynchronous. "raw better-sqlite3, awaited" (an `async` function around the same prepared statement) shows what `await` alone costs in (a); ratios are to the synchronous raw baseline.',
        'Quarry decodes `created_at`/`updated_at` to `Date` (in (a) and (d)); raw, Kysely, Knex and Drizzle (text columns) return the stored text. Posts have no column to decode.',
        '(c): raw = one prepared INSERT run per row inside `db.transaction`; Quarry `insert(users).values(rows)` in `engine.transaction`; Kysely/Drizzle one multi-row INSERT in a transaction; Knex `batchInsert` (500 rows per statement: the SQLite compound-SELECT limit); MikroORM `em.insertMany` in `em.transactional`.',
        '(d): Drizzle uses its relational query (`db.query.users.findMany({ with: { posts: true } })`, one statement with JSON aggregation); MikroORM `em.find(User, …, { populate: [\'posts\'] })`; Quarry session = `createSession(engine).all(select(users)…, selectinload(users.posts) | joinedload(users.posts))`, one session per run.',
        'MikroORM (a) forks a fresh EntityManager per lookup (its identity map would otherwise answer repeated ids without a query).',
      ],
      tables,
      targets,
    }
  } finally {
    for (const c of clients) await c.close()
  }
}
