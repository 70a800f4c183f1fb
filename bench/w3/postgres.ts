/**
 * W3: PostgreSQL on loopback. Quarry runs through postgres.js; baselines raw postgres.js and raw
 * pg; peers Kysely (pg), Drizzle on postgres.js (plain and prepared), Knex (pg), MikroORM (pg).
 */
import { MikroORM } from '@mikro-orm/postgresql'
import * as d from 'drizzle-orm'
import { drizzle } from 'drizzle-orm/postgres-js'
import knexFactory from 'knex'
import { Kysely, PostgresDialect } from 'kysely'
import { createRequire } from 'node:module'
import pg from 'pg'
import postgres from 'postgres'
import { PG_URL, pgAvailable, pgConfig, rootVersion, setupPostgres } from '../lib/db'
import { machineLine } from '../lib/harness'
import * as q from '../lib/quarry'
import { kyselyClient } from '../lib/peers/kysely-client'
import { quarryClients } from '../lib/quarry-clients'
import { attachPosts, runReads, WITH_POSTS, type Admin, type BlogClient, type NewUser } from '../lib/reads'
import { finished, pending, type WorkloadResult } from '../lib/report'
import * as dz from '../lib/peers/drizzle-pg'
import type { DB } from '../lib/peers/kysely-types'
import { entities, Post, User } from '../lib/peers/mikro'

type Row = Record<string, unknown>
const POOL = 10
const postgresJs = () => postgres({ ...pgConfig(), pass: pgConfig().password, max: POOL, onnotice: () => {} })

function rawPostgresClient(): BlogClient {
  const sql = postgresJs()
  return {
    name: 'raw postgres.js',
    role: 'raw',
    userById: { sync: false, get: async (id) => (await sql`SELECT * FROM users WHERE id = ${id}`)[0] },
    allPosts: () => sql`SELECT * FROM posts`,
    insertUsers: (rows) => sql.begin((tx) => tx`INSERT INTO users ${tx(rows, 'username', 'email', 'bio')}`),
    usersWithPosts: async () => {
      const us = await sql<Row[]>`SELECT * FROM users WHERE id <= ${WITH_POSTS} ORDER BY id`
      const ps = await sql<Row[]>`SELECT * FROM posts WHERE author_id IN ${sql(us.map((u) => u.id as number))}`
      return attachPosts([...us], ps, 'author_id')
    },
    close: () => sql.end(),
  }
}

function rawPgClient(): BlogClient {
  const pool = new pg.Pool({ ...pgConfig(), max: POOL })
  const inList = Array.from({ length: WITH_POSTS }, (_, i) => `$${i + 1}`).join(', ')
  return {
    name: 'raw pg',
    role: 'raw',
    userById: { sync: false, get: async (id) => (await pool.query({ name: 'user_by_id', text: 'SELECT * FROM users WHERE id = $1', values: [id] })).rows[0] },
    allPosts: async () => (await pool.query({ name: 'all_posts', text: 'SELECT * FROM posts' })).rows,
    insertUsers: async (rows: NewUser[]) => {
      const client = await pool.connect()
      try {
        await client.query('BEGIN')
        const values: unknown[] = []
        const tuples = rows.map((r) => `($${values.push(r.username)}, $${values.push(r.email)}, $${values.push(r.bio)})`)
        await client.query(`INSERT INTO users (username, email, bio) VALUES ${tuples.join(', ')}`, values)
        await client.query('COMMIT')
      } catch (error) {
        await client.query('ROLLBACK')
        throw error
      } finally {
        client.release()
      }
    },
    usersWithPosts: async () => {
      const us = (await pool.query({ name: 'some_users', text: 'SELECT * FROM users WHERE id <= $1 ORDER BY id', values: [WITH_POSTS] })).rows
      const ps = (await pool.query({ name: 'their_posts', text: `SELECT * FROM posts WHERE author_id IN (${inList})`, values: us.map((u: Row) => u.id) })).rows
      return attachPosts(us, ps, 'author_id')
    },
    close: () => pool.end(),
  }
}

function drizzleClients(): BlogClient[] {
  const client = postgresJs()
  const db = drizzle(client, { schema: dz })
  const byId = db.select().from(dz.users).where(d.eq(dz.users.id, d.sql.placeholder('id'))).prepare('user_by_id')
  const allPosts = db.select().from(dz.posts).prepare('all_posts')
  return [
    {
      name: 'Drizzle (postgres.js)',
      role: 'peer',
      userById: { sync: false, get: async (id) => (await db.select().from(dz.users).where(d.eq(dz.users.id, id)))[0] },
      allPosts: () => db.select().from(dz.posts),
      insertUsers: (rows) => db.transaction(async (tx) => void (await tx.insert(dz.users).values(rows))),
      usersWithPosts: () => db.query.users.findMany({ where: d.lte(dz.users.id, WITH_POSTS), orderBy: d.asc(dz.users.id), with: { posts: true } }),
      close: () => client.end(),
    },
    {
      name: 'Drizzle prepared',
      role: 'peer',
      userById: { sync: false, get: async (id) => (await byId.execute({ id }))[0] },
      allPosts: () => allPosts.execute(),
      close: () => {},
    },
  ]
}

function knexClient(): BlogClient {
  const knex = knexFactory({ client: 'pg', connection: pgConfig(), pool: { min: 0, max: POOL } })
  return {
    name: 'Knex (pg)',
    role: 'peer',
    userById: { sync: false, get: (id) => knex('users').where('id', id).first() },
    allPosts: () => knex('posts').select(),
    insertUsers: (rows) => knex.transaction((trx) => trx('users').insert(rows)),
    usersWithPosts: async () => {
      const us: Row[] = await knex('users').where('id', '<=', WITH_POSTS).orderBy('id')
      const ps: Row[] = await knex('posts').whereIn('author_id', us.map((u) => u.id as number))
      return attachPosts(us, ps, 'author_id')
    },
    close: () => knex.destroy(),
  }
}

async function mikroClient(): Promise<BlogClient> {
  const c = pgConfig()
  const orm = await MikroORM.init({ host: c.host, port: c.port, user: c.user, password: c.password, dbName: c.database, entities, debug: false, pool: { min: 0, max: POOL } })
  return {
    name: 'MikroORM (pg)',
    role: 'peer',
    userById: { sync: false, get: (id) => orm.em.fork().findOne(User, id) },
    allPosts: () => orm.em.fork().find(Post, {}),
    insertUsers: (rows) => orm.em.fork().transactional((em) => em.insertMany(User, rows)),
    usersWithPosts: () => orm.em.fork().find(User, { id: { $lte: WITH_POSTS } }, { populate: ['posts'], orderBy: { id: 'asc' } }),
    close: () => orm.close(),
  }
}

function pgAdmin(): Admin & { close(): Promise<void> } {
  const sql = postgres({ ...pgConfig(), pass: pgConfig().password, max: 1, onnotice: () => {} })
  return {
    countUsersTagged: async (tag) => Number((await sql`SELECT count(*)::int AS n FROM users WHERE username LIKE ${`${tag}-%`}`)[0].n),
    userByName: async (username) => (await sql`SELECT * FROM users WHERE username = ${username}`)[0],
    // VACUUM too: without it dead rows pile up run after run, and each contender would insert
    // into a more bloated table than the one before it in the round.
    deleteNewUsers: async () => {
      await sql`DELETE FROM users WHERE id > 1000`
      await sql`VACUUM users`
    },
    close: () => sql.end(),
  }
}

export async function w3(): Promise<WorkloadResult> {
  const started = performance.now()
  const machine = machineLine()
  const base = {
    id: 'w3',
    title: 'PostgreSQL on loopback (Quarry through postgres.js)',
    machine,
  }
  if (!(await pgAvailable())) {
    return {
      ...base,
      ...finished(started),
      notes: [`PostgreSQL did not answer at ${PG_URL.replace(/:[^:@/]*@/, ':***@')}: not run.`],
      tables: [],
      targets: [pending('(a)–(d)', 'see W2', 'not run: no PostgreSQL')],
    }
  }
  await setupPostgres()
  const engine = q.createEngine(PG_URL)
  const admin = pgAdmin()
  const clients: BlogClient[] = [rawPostgresClient(), rawPgClient(), ...quarryClients(engine), kyselyClient('Kysely (pg)', new Kysely<DB>({ dialect: new PostgresDialect({ pool: new pg.Pool({ ...pgConfig(), max: POOL }) }) })), ...drizzleClients(), knexClient(), await mikroClient()]
  try {
    const { tables, targets } = await runReads('W3', clients, admin, 'raw postgres.js', { lookupWarmup: 1 })
    return {
      ...base,
      ...finished(started),
      notes: [
        `postgres.js ${rootVersion('postgres')} (Quarry, Drizzle, raw), pg ${(createRequire(import.meta.url)('pg/package.json') as { version: string }).version} (raw pg, Kysely, Knex, MikroORM: they have no postgres.js dialect). Every client has a pool of up to ${POOL} connections; statements run one at a time. Database \`quarry_bench\`, recreated at the start.`,
        '"÷ raw" is against raw postgres.js (Quarry\'s own driver); raw pg is shown beside it. Raw postgres.js prepares statements on the server (its default), raw pg uses named (prepared) statements.',
        'Every library decodes the timestamps to `Date` (postgres.js, pg and Quarry\'s codecs alike).',
        '(c): raw postgres.js `INSERT … ${sql(rows)}` in `sql.begin`; raw pg one multi-row INSERT in BEGIN/COMMIT; Quarry `insert(users).values(rows)` in `engine.transaction`; Kysely/Drizzle/Knex one multi-row INSERT in a transaction; MikroORM `em.insertMany` in `em.transactional`. After each run (untimed) the new rows are deleted and `users` vacuumed, so every contender inserts into the same table rather than one bloated by the runs before it.',
        '(d): Drizzle uses its relational query (one statement with JSON aggregation); MikroORM `populate: [\'posts\']`; Quarry session = `createSession(engine).all(…, selectinload(users.posts) | joinedload(users.posts))`, one session per run. MikroORM (a) forks an EntityManager per lookup.',
      ],
      tables,
      targets,
    }
  } finally {
    for (const c of clients) await c.close()
    await admin.close()
  }
}
