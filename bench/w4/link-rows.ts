/**
 * W4 U3: many-to-many rows through a unit of work. Create 2,000 posts, each tagged with the same
 * 20 loaded tags (40,000 association rows), and flush: Quarry's session against MikroORM and
 * hand-batched SQL on the raw driver (one multi-row INSERT of posts `RETURNING id`, then the
 * association rows in multi-row INSERTs cut under the parameter limit, in one transaction).
 */
import { MikroORM as MikroSqlite } from '@mikro-orm/better-sqlite'
import { MikroORM as MikroPg } from '@mikro-orm/postgresql'
import type { EntityManager } from '@mikro-orm/core'
import postgres from 'postgres'
import { createSession } from '@quarry/orm'
import * as data from '../lib/data'
import { openSqlite, pgConfig, PG_URL } from '../lib/db'
import { compare, type Contender, type Role } from '../lib/harness'
import * as q from '../lib/quarry'
import { ratioTarget, statsTable, type Table, type Target } from '../lib/report'
import { entities, Post, Tag } from '../lib/peers/mikro'
import { posts, tags } from '../../examples/blog-schema'

const NEW_POSTS = 2000
const TAGS_EACH = 20
const ROUNDS = 9
/** SQLite's bind-parameter limit, and postgres.js's (it refuses 65,534 parameters or more). */
const SQLITE_PARAMS = 32766
const PG_PARAMS = 65533

interface Unit {
  readonly name: string
  readonly role: Role
  /** Creates posts `<tag> post <i>` with tags 1–20 each, and flushes. */
  run(tag: string): Promise<void>
  close(): Promise<void>
}

const title = (tag: string, i: number) => `${tag} post ${i}`
const BODY = 'Tagged in a unit of work.'

function quarry(url: string, count?: (sql: string) => void): Unit {
  const engine = q.createEngine(url, count ? { echo: (e) => count(e.sql) } : {})
  return {
    name: 'Quarry session',
    role: 'quarry',
    async run(tag) {
      const session = createSession(engine)
      try {
        const picked = await session.all(q.select(tags).where(q.lte(tags.id, TAGS_EACH)).orderBy(q.asc(tags.id)))
        for (let i = 0; i < NEW_POSTS; i++) session.add(posts, { title: title(tag, i), body: BODY, authorId: 1, tags: picked.slice() })
        await session.commit()
      } finally {
        await session.close()
      }
    },
    close: () => engine.close(),
  }
}

async function mikro(init: (logger?: (message: string) => void) => Promise<unknown>, count?: (sql: string) => void): Promise<Unit> {
  const orm = (await init(count ? (message) => count(message) : undefined)) as { em: { fork(): EntityManager }; close(): Promise<void> }
  return {
    name: 'MikroORM',
    role: 'peer',
    async run(tag) {
      const em = orm.em.fork()
      const picked = await em.find(Tag, { id: { $lte: TAGS_EACH } }, { orderBy: { id: 'asc' } })
      for (let i = 0; i < NEW_POSTS; i++) em.create(Post, { title: title(tag, i), body: BODY, author: 1, tags: picked } as never)
      await em.flush()
    },
    close: () => orm.close(),
  }
}

/** Rows of `columns` cells, cut into chunks under `maxParams`. */
function chunked<T>(rows: readonly T[], columns: number, maxParams: number): T[][] {
  const size = Math.floor(maxParams / columns)
  const out: T[][] = []
  for (let i = 0; i < rows.length; i += size) out.push(rows.slice(i, i + size))
  return out
}

function handSqlite(file: string, count?: (sql: string) => void): Unit {
  const db = openSqlite(file)
  const loadTags = db.prepare('SELECT id FROM tags WHERE id <= ? ORDER BY id')
  const addPosts = db.prepare(`INSERT INTO posts (title, body, author_id) VALUES ${Array.from({ length: NEW_POSTS }, () => '(?, ?, ?)').join(', ')} RETURNING id`)
  const linkStatements = new Map<number, ReturnType<typeof db.prepare>>()
  const addLinks = (rows: number) => {
    let s = linkStatements.get(rows)
    if (!s) linkStatements.set(rows, (s = db.prepare(`INSERT INTO post_tags (post_id, tag_id) VALUES ${Array.from({ length: rows }, () => '(?, ?)').join(', ')}`)))
    return s
  }
  return {
    name: 'hand-batched better-sqlite3',
    role: 'raw',
    async run(tag) {
      count?.('BEGIN')
      db.transaction(() => {
        count?.('SELECT')
        const tagIds = (loadTags.all(TAGS_EACH) as { id: number }[]).map((r) => r.id)
        const params: unknown[] = []
        for (let i = 0; i < NEW_POSTS; i++) params.push(title(tag, i), BODY, 1)
        count?.('INSERT')
        const ids = addPosts.all(params) as { id: number }[]
        const links: number[][] = []
        for (const { id } of ids) for (const t of tagIds) links.push([id, t])
        for (const chunk of chunked(links, 2, SQLITE_PARAMS)) {
          count?.('INSERT')
          addLinks(chunk.length).run(chunk.flat())
        }
      }).immediate()
      count?.('COMMIT')
    },
    close: async () => void db.close(),
  }
}

function handPostgres(count?: (sql: string) => void): Unit {
  const sql = postgres({ ...pgConfig(), pass: pgConfig().password, onnotice: () => {} })
  return {
    name: 'hand-batched postgres.js',
    role: 'raw',
    async run(tag) {
      count?.('BEGIN')
      await sql.begin(async (tx) => {
        count?.('SELECT')
        const tagIds = (await tx<{ id: number }[]>`SELECT id FROM tags WHERE id <= ${TAGS_EACH} ORDER BY id`).map((r) => r.id)
        count?.('INSERT')
        const rows = Array.from({ length: NEW_POSTS }, (_, i) => ({ title: title(tag, i), body: BODY, author_id: 1 }))
        const ids = await tx<{ id: number }[]>`INSERT INTO posts ${tx(rows)} RETURNING id`
        const links: { post_id: number; tag_id: number }[] = []
        for (const { id } of ids) for (const t of tagIds) links.push({ post_id: id, tag_id: t })
        for (const chunk of chunked(links, 2, PG_PARAMS)) {
          count?.('INSERT')
          await tx`INSERT INTO post_tags ${tx(chunk)}`
        }
      })
      count?.('COMMIT')
    },
    close: () => sql.end(),
  }
}

/** What checking and cleaning up takes, per database. */
interface LinkAdmin {
  /** Posts titled `<tag> post …` and their association rows. */
  tagged(tag: string): Promise<{ posts: number; links: number }>
  deleteNew(): Promise<void>
  close(): Promise<void>
}

function sqliteAdmin(file: string): LinkAdmin {
  const db = openSqlite(file)
  return {
    tagged: async (tag) => ({
      posts: (db.prepare('SELECT count(*) AS n FROM posts WHERE title LIKE ?').get(`${tag} post %`) as { n: number }).n,
      links: (db.prepare('SELECT count(*) AS n FROM post_tags JOIN posts ON posts.id = post_tags.post_id WHERE title LIKE ?').get(`${tag} post %`) as { n: number }).n,
    }),
    deleteNew: async () => {
      db.prepare('DELETE FROM post_tags WHERE post_id > ?').run(data.POSTS)
      db.prepare('DELETE FROM posts WHERE id > ?').run(data.POSTS)
    },
    close: async () => void db.close(),
  }
}

function pgAdmin(): LinkAdmin {
  const sql = postgres({ ...pgConfig(), pass: pgConfig().password, max: 1, onnotice: () => {} })
  return {
    tagged: async (tag) => ({
      posts: (await sql`SELECT count(*)::int AS n FROM posts WHERE title LIKE ${`${tag} post %`}`)[0].n,
      links: (await sql`SELECT count(*)::int AS n FROM post_tags JOIN posts ON posts.id = post_tags.post_id WHERE title LIKE ${`${tag} post %`}`)[0].n,
    }),
    deleteNew: async () => {
      await sql`DELETE FROM post_tags WHERE post_id > ${data.POSTS}`
      await sql`DELETE FROM posts WHERE id > ${data.POSTS}`
      await sql`VACUUM posts, post_tags`
    },
    close: () => sql.end(),
  }
}

/** U3 on one database: the timed table (with statement counts) and its targets. */
async function runOn(short: 'SQLite' | 'PostgreSQL', name: string, limit: number, makers: readonly ((count?: (sql: string) => void) => Promise<Unit> | Unit)[], admin: LinkAdmin): Promise<{ table: Table; targets: Target[] }> {
  const counts = new Map<string, string>()
  try {
    for (const make of makers) {
      let counting = false
      let statements = 0
      const unit = await make((sql) => void (counting && !/^\s*(begin|commit|rollback|start transaction|savepoint|release)\b/i.test(sql.replace(/\x1b\[[0-9;]*m/g, '').replace(/^\[query\]\s*/, '')) && statements++))
      counting = true
      await unit.run(data.runTag())
      counting = false
      await admin.deleteNew()
      await unit.close()
      counts.set(unit.name, `${statements} + BEGIN/COMMIT`)
    }
    const units: Unit[] = []
    for (const make of makers) units.push(await make())
    try {
      const contenders: Contender<string, unknown>[] = units.map((unit) => {
        const check: { tag?: string; result?: unknown } = {}
        return {
          name: unit.name,
          role: unit.role,
          before: () => data.runTag(),
          run: async (tag) => {
            await unit.run(tag)
            check.tag = tag
            return check
          },
          after: async () => {
            if (check.tag && check.result === undefined) check.result = await admin.tagged(check.tag)
            await admin.deleteNew()
          },
        }
      })
      const stats = await compare(contenders, {
        title: `W4 ${short} U3`,
        rounds: ROUNDS,
        check: (who, r) => {
          const got = (r as { result: { posts: number; links: number } }).result
          if (got.posts !== NEW_POSTS || got.links !== NEW_POSTS * TAGS_EACH) throw new Error(`${who}: expected ${NEW_POSTS} posts with ${NEW_POSTS * TAGS_EACH} tag rows, got ${JSON.stringify(got)}`)
        },
      })
      const table = statsTable(`${name}: U3 create ${NEW_POSTS.toLocaleString('en-US')} posts with ${TAGS_EACH} tags each (${(NEW_POSTS * TAGS_EACH).toLocaleString('en-US')} association rows), flush (ms)`, stats, 'ms')
      const quarry = stats.find((s) => s.role === 'quarry')!
      return {
        table: { ...table, headers: [...table.headers, 'statements'], rows: table.rows.map((row, i) => [...row, counts.get(stats[i].name)!]) },
        targets: [ratioTarget(`${short} U3: Quarry ÷ hand-batched`, quarry.vsRaw, limit)],
      }
    } finally {
      for (const unit of units) await unit.close()
    }
  } finally {
    await admin.close()
  }
}

/** U3 on SQLite, and on PostgreSQL when `pg` (its database already set up). */
export async function linkRows(sqliteFile: string, pg: boolean): Promise<{ tables: Table[]; targets: Target[] }> {
  const tables: Table[] = []
  const targets: Target[] = []
  const s = await runOn(
    'SQLite',
    'SQLite (better-sqlite3, file, WAL)',
    2,
    [
      (count) => quarry(`sqlite:///${sqliteFile}`, count),
      (count) => mikro((logger) => MikroSqlite.init({ dbName: sqliteFile, entities, ...(logger && { debug: ['query'], logger }) }), count),
      (count) => handSqlite(sqliteFile, count),
    ],
    sqliteAdmin(sqliteFile),
  )
  tables.push(s.table)
  targets.push(...s.targets)
  if (pg) {
    const c = pgConfig()
    const p = await runOn(
      'PostgreSQL',
      'PostgreSQL (Quarry on postgres.js; MikroORM on pg)',
      1.5,
      [
        (count) => quarry(PG_URL, count),
        (count) => mikro((logger) => MikroPg.init({ host: c.host, port: c.port, user: c.user, password: c.password, dbName: c.database, entities, ...(logger && { debug: ['query'], logger }) }), count),
        (count) => handPostgres(count),
      ],
      pgAdmin(),
    )
    tables.push(p.table)
    targets.push(...p.targets)
  }
  return { tables, targets }
}
