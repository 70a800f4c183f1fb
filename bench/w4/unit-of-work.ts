/**
 * W4: unit of work, on SQLite and PostgreSQL. U1 loads 1,000 posts, changes every title and
 * flushes; U2 creates 1,000 users with 5 posts each and flushes; U3 (`link-rows.ts`) creates 2,000
 * posts with 20 tags each. Quarry's session against
 * MikroORM and hand-batched SQL (the fewest statements, in one transaction) on the raw driver;
 * timed, and the statements each sends counted in one extra untimed run.
 */
import { MikroORM as MikroSqlite } from '@mikro-orm/better-sqlite'
import { MikroORM as MikroPg } from '@mikro-orm/postgresql'
import type { EntityManager } from '@mikro-orm/core'
import postgres from 'postgres'
import { createSession } from '@quarry/orm'
import * as data from '../lib/data'
import { openSqlite, PG_URL, pgAvailable, pgConfig, setupPostgres, setupSqlite } from '../lib/db'
import { compare, fmt, machineLine, median, type Contender, type Role } from '../lib/harness'
import * as q from '../lib/quarry'
import { finished, pending, ratioTarget, statsTable, type Table, type Target, type WorkloadResult } from '../lib/report'
import { entities, Post, User } from '../lib/peers/mikro'
import { linkRows } from './link-rows'
import { posts, users } from '../../examples/blog-schema'

const LOADED = 1000
const NEW_USERS = 1000
const POSTS_EACH = 5
const ROUNDS = 15
const CONTROL = /^\s*(begin|commit|rollback|savepoint|release|start transaction)\b/i

/** Statements sent, and how many of them were transaction control. */
class Counter {
  all = 0
  control = 0
  add(sql: string): void {
    this.all++
    if (CONTROL.test(sql)) this.control++
  }
  toString(): string {
    return `${this.all - this.control} + ${this.control} BEGIN/COMMIT`
  }
}

interface Uow {
  readonly name: string
  readonly role: Role
  /** U1: load posts 1–1,000, set each title to `Post <id> v<tag>`, flush (absent: the contender runs U2 only). */
  u1?(tag: string): Promise<void>
  /** U2: create users `<tag>-<i>` with 5 posts each, flush. */
  u2(tag: string): Promise<void>
  close(): Promise<void>
}

const newTitle = (id: number, tag: string) => `Post ${id} v${tag}`
const newUser = (tag: string, i: number) => ({ username: `${tag}-${i}`, email: `${tag}-${i}@example.net`, bio: null })
const newPost = (tag: string, i: number, k: number) => ({ title: `${tag}-${i} post ${k}`, body: 'Written in a unit of work.' })
const postsOf = (tag: string, i: number) => Array.from({ length: POSTS_EACH }, (_, k) => newPost(tag, i, k))
/**
 * A new user with its posts, as one object literal. Inputs are not built with spread
 * (`{ ...newUser(), posts }`): on Node 20, an object made by spreading another gets a V8 map on
 * which every property added later takes a slow path (four added properties: 2.6 µs against
 * 0.05 µs on a literal). A session writes ids and server defaults into the objects it is given,
 * so such inputs time that V8 path; the `spread` contender shows by how much.
 */
const newUserWithPosts = (tag: string, i: number) => ({ username: `${tag}-${i}`, email: `${tag}-${i}@example.net`, bio: null, posts: postsOf(tag, i) })
const newUserWithPostsSpread = (tag: string, i: number) => ({ ...newUser(tag, i), posts: postsOf(tag, i) })

/** Quarry's session; `spread`: U2 only, with users built by spread (see `newUserWithPosts`). */
function quarryUow(url: string, counter?: Counter, spread = false): Uow {
  const engine = q.createEngine(url, counter ? { echo: (e) => counter.add(e.sql) } : {})
  const newInput = spread ? newUserWithPostsSpread : newUserWithPosts
  return {
    name: spread ? 'Quarry session, users built by spread' : 'Quarry session',
    role: 'quarry',
    u1: spread ? undefined : async (tag) => {
      const session = createSession(engine)
      try {
        const rows = await session.all(q.select(posts).where(q.lte(posts.id, LOADED)).orderBy(q.asc(posts.id)))
        for (const p of rows) p.title = newTitle(p.id, tag)
        await session.commit()
      } finally {
        await session.close()
      }
    },
    async u2(tag) {
      const session = createSession(engine)
      try {
        for (let i = 0; i < NEW_USERS; i++) session.add(users, newInput(tag, i))
        await session.commit()
      } finally {
        await session.close()
      }
    },
    close: () => engine.close(),
  }
}

/** What W4 uses of a MikroORM instance (either driver's). */
interface Orm {
  readonly em: { fork(): EntityManager }
  close(): Promise<void>
}

async function mikroUow(init: (logger?: (message: string) => void) => Promise<unknown>, counter?: Counter): Promise<Uow> {
  // The logger colours its lines: strip the escapes and the namespace to get the statement.
  const orm = (await init(counter ? (message) => counter.add(message.replace(/\x1b\[[0-9;]*m/g, '').replace(/^\[query\]\s*/, '')) : undefined)) as Orm
  return {
    name: 'MikroORM',
    role: 'peer',
    async u1(tag) {
      const em = orm.em.fork()
      const rows = await em.find(Post, { id: { $lte: LOADED } }, { orderBy: { id: 'asc' } })
      for (const p of rows) p.title = newTitle(p.id, tag)
      await em.flush()
    },
    async u2(tag) {
      const em = orm.em.fork()
      for (let i = 0; i < NEW_USERS; i++) {
        em.create(User, newUserWithPosts(tag, i) as never)
      }
      await em.flush()
    },
    close: () => orm.close(),
  }
}

function handSqlite(file: string, counter?: Counter): Uow {
  const db = openSqlite(file)
  const run = <T>(sql: string, f: () => T): T => (counter?.add(sql), f())
  const tx = <T>(f: () => T): T => {
    counter?.add('BEGIN')
    const out = db.transaction(f).immediate()
    counter?.add('COMMIT')
    return out
  }
  const load = db.prepare('SELECT * FROM posts WHERE id <= ? ORDER BY id')
  const rename = db.prepare(`UPDATE posts SET title = v.column2 FROM (VALUES ${Array.from({ length: LOADED }, () => '(?, ?)').join(', ')}) AS v WHERE posts.id = v.column1`)
  const addUsers = db.prepare(`INSERT INTO users (username, email, bio) VALUES ${Array.from({ length: NEW_USERS }, () => '(?, ?, ?)').join(', ')} RETURNING id`)
  const addPosts = db.prepare(`INSERT INTO posts (title, body, author_id) VALUES ${Array.from({ length: NEW_USERS * POSTS_EACH }, () => '(?, ?, ?)').join(', ')}`)
  return {
    name: 'hand-batched better-sqlite3',
    role: 'raw',
    async u1(tag) {
      tx(() => {
        const rows = run('SELECT', () => load.all(LOADED)) as { id: number }[]
        const params: unknown[] = []
        for (const r of rows) params.push(r.id, newTitle(r.id, tag))
        run('UPDATE', () => rename.run(params))
      })
    },
    async u2(tag) {
      tx(() => {
        const params: unknown[] = []
        for (let i = 0; i < NEW_USERS; i++) {
          const u = newUser(tag, i)
          params.push(u.username, u.email, u.bio)
        }
        const ids = run('INSERT', () => addUsers.all(params)) as { id: number }[]
        const postParams: unknown[] = []
        ids.forEach((row, i) => {
          for (let k = 0; k < POSTS_EACH; k++) {
            const p = newPost(tag, i, k)
            postParams.push(p.title, p.body, row.id)
          }
        })
        run('INSERT', () => addPosts.run(postParams))
      })
    },
    close: async () => void db.close(),
  }
}

function handPostgres(counter?: Counter): Uow {
  const sql = postgres({ ...pgConfig(), pass: pgConfig().password, onnotice: () => {} })
  const count = (text: string) => counter?.add(text)
  return {
    name: 'hand-batched postgres.js',
    role: 'raw',
    async u1(tag) {
      count('BEGIN')
      await sql.begin(async (tx) => {
        count('SELECT')
        const rows = await tx<{ id: number }[]>`SELECT * FROM posts WHERE id <= ${LOADED} ORDER BY id`
        count('UPDATE')
        await tx`UPDATE posts SET title = v.title FROM (VALUES ${tx(rows.map((r) => [r.id, newTitle(r.id, tag)]))}) AS v(id, title) WHERE posts.id = v.id::int`
      })
      count('COMMIT')
    },
    async u2(tag) {
      count('BEGIN')
      await sql.begin(async (tx) => {
        count('INSERT')
        const ids = await tx<{ id: number }[]>`INSERT INTO users ${tx(Array.from({ length: NEW_USERS }, (_, i) => newUser(tag, i)))} RETURNING id`
        const rows = ids.flatMap((row, i) => postsOf(tag, i).map((p) => ({ title: p.title, body: p.body, author_id: row.id })))
        count('INSERT')
        await tx`INSERT INTO posts ${tx(rows)}`
      })
      count('COMMIT')
    },
    close: () => sql.end(),
  }
}

/**
 * The database's own work for the hand-batched statements of a unit, in ms: PostgreSQL's planning
 * plus execution time (foreign-key triggers included) from `EXPLAIN (ANALYZE, TIMING OFF)`, summed
 * over the statements, plus the COMMIT (its WAL flush, one round trip). Every client sending the
 * same change pays at least this, so MikroORM's median over it is the most any client could be
 * faster than MikroORM.
 */
function pgServerWork(): { u1(tag: string): Promise<number>; u2(tag: string): Promise<number>; close(): Promise<void> } {
  const sql = postgres({ ...pgConfig(), pass: pgConfig().password, max: 1, onnotice: () => {} })
  type Plan = { 'Planning Time': number; 'Execution Time': number }[]
  const work = async (query: PromiseLike<unknown>) => {
    const [{ 'QUERY PLAN': plan }] = (await query) as { 'QUERY PLAN': Plan }[]
    return plan[0]['Planning Time'] + plan[0]['Execution Time']
  }
  /** Runs `statements` in a transaction; their own work plus the COMMIT's round trip. */
  async function committed(statements: (tx: postgres.ReservedSql) => Promise<number>): Promise<number> {
    const tx = await sql.reserve()
    try {
      await tx`BEGIN`
      const ms = await statements(tx)
      const start = performance.now()
      await tx`COMMIT`
      return ms + performance.now() - start
    } finally {
      tx.release()
    }
  }
  return {
    u1: (tag) =>
      committed(async (tx) => {
        const rows = await tx<{ id: number }[]>`SELECT id FROM posts WHERE id <= ${LOADED} ORDER BY id`
        const read = await work(tx`EXPLAIN (ANALYZE, TIMING OFF, FORMAT JSON) SELECT * FROM posts WHERE id <= ${LOADED} ORDER BY id`)
        const values = tx(rows.map((r) => [r.id, newTitle(r.id, tag)]))
        return read + (await work(tx`EXPLAIN (ANALYZE, TIMING OFF, FORMAT JSON) UPDATE posts SET title = v.title FROM (VALUES ${values}) AS v(id, title) WHERE posts.id = v.id::int`))
      }),
    u2: (tag) =>
      committed(async (tx) => {
        const people = Array.from({ length: NEW_USERS }, (_, i) => newUser(tag, i))
        const insertUsers = await work(tx`EXPLAIN (ANALYZE, TIMING OFF, FORMAT JSON) INSERT INTO users ${tx(people)} RETURNING id`)
        // EXPLAIN returns the plan, not the ids: read them back (untimed) in insertion order.
        const ids = await tx<{ id: number }[]>`SELECT id FROM users WHERE username LIKE ${`${tag}-%`} ORDER BY id`
        const rows = ids.flatMap((row, i) => postsOf(tag, i).map((p) => ({ title: p.title, body: p.body, author_id: row.id })))
        return insertUsers + (await work(tx`EXPLAIN (ANALYZE, TIMING OFF, FORMAT JSON) INSERT INTO posts ${tx(rows)}`))
      }),
    close: () => sql.end(),
  }
}

/** What the checks and clean-up need from the database. */
interface Admin {
  titlesTagged(tag: string): Promise<number>
  usersTagged(tag: string): Promise<{ users: number; posts: number; sample: string[] }>
  deleteNew(): Promise<void>
  /** After every run: PostgreSQL vacuums the tables, so no contender meets the dead rows of the runs before it. */
  tidy(): Promise<void>
  close(): Promise<void>
}

function sqliteAdmin(file: string): Admin {
  const db = openSqlite(file)
  return {
    titlesTagged: async (tag) => (db.prepare('SELECT count(*) AS n FROM posts WHERE id <= ? AND title = ? || id || ?').get(LOADED, 'Post ', ` v${tag}`) as { n: number }).n,
    usersTagged: async (tag) => ({
      users: (db.prepare('SELECT count(*) AS n FROM users WHERE username LIKE ?').get(`${tag}-%`) as { n: number }).n,
      posts: (db.prepare('SELECT count(*) AS n FROM posts JOIN users ON users.id = posts.author_id WHERE username LIKE ?').get(`${tag}-%`) as { n: number }).n,
      sample: (db.prepare('SELECT title FROM posts JOIN users ON users.id = posts.author_id WHERE username = ? ORDER BY title').all(`${tag}-777`) as { title: string }[]).map((r) => r.title),
    }),
    deleteNew: async () => {
      db.prepare('DELETE FROM posts WHERE author_id > ?').run(data.USERS)
      db.prepare('DELETE FROM users WHERE id > ?').run(data.USERS)
    },
    tidy: async () => {},
    close: async () => void db.close(),
  }
}

function pgAdmin(): Admin {
  const sql = postgres({ ...pgConfig(), pass: pgConfig().password, max: 1, onnotice: () => {} })
  return {
    titlesTagged: async (tag) => (await sql`SELECT count(*)::int AS n FROM posts WHERE id <= ${LOADED} AND title = 'Post ' || id || ${` v${tag}`}`)[0].n,
    usersTagged: async (tag) => ({
      users: (await sql`SELECT count(*)::int AS n FROM users WHERE username LIKE ${`${tag}-%`}`)[0].n,
      posts: (await sql`SELECT count(*)::int AS n FROM posts JOIN users ON users.id = posts.author_id WHERE username LIKE ${`${tag}-%`}`)[0].n,
      sample: (await sql`SELECT title FROM posts JOIN users ON users.id = posts.author_id WHERE username = ${`${tag}-777`} ORDER BY title`).map((r) => r.title as string),
    }),
    deleteNew: async () => {
      await sql`DELETE FROM posts WHERE author_id > ${data.USERS}`
      await sql`DELETE FROM users WHERE id > ${data.USERS}`
    },
    tidy: async () => void (await sql`VACUUM posts, users`),
    close: () => sql.end(),
  }
}

interface Db {
  readonly name: string
  readonly short: string
  /** Quarry's limit as a multiple of hand-batched SQL. */
  readonly limit: number
  /** One factory per contender; with a counter, the instance counts the statements it sends. */
  readonly contenders: readonly ((counter?: Counter) => Promise<Uow> | Uow)[]
  admin(): Admin
  /** The database's own time for the hand-batched statements, where it can tell (PostgreSQL). */
  serverWork?(): ReturnType<typeof pgServerWork>
}

async function runDb(db: Db): Promise<{ tables: Table[]; targets: Target[] }> {
  const tables: Table[] = []
  const targets: Target[] = []
  const admin = db.admin()
  // Statement counts: one untimed run of each unit, on instances that count.
  const counts = new Map<string, { u1: string; u2: string }>()
  for (const create of db.contenders) {
    const c1 = new Counter()
    const c2 = new Counter()
    // What an instance sends while it starts (MikroORM reads the schema) is not part of U1.
    let counter = new Counter()
    const uow = await create({ add: (sql: string) => counter.add(sql) } as Counter)
    counter = c1
    await uow.u1?.(data.runTag())
    counter = c2
    await uow.u2(data.runTag())
    await admin.deleteNew()
    await uow.close()
    counts.set(uow.name, { u1: c1.toString(), u2: c2.toString() })
  }
  const uows: Uow[] = []
  for (const create of db.contenders) uows.push(await create())
  try {
    for (const unit of ['u1', 'u2'] as const) {
      const contenders: Contender<string, unknown>[] = uows.filter((uow) => uow[unit]).map((uow) => {
        const check: { tag?: string; done?: boolean; result?: unknown } = {}
        return {
          name: uow.name,
          role: uow.role,
          before: () => data.runTag(),
          run: async (tag) => {
            await uow[unit]!(tag)
            check.tag = tag
            return check
          },
          after: async () => {
            if (!check.done && check.tag) {
              check.done = true
              check.result = unit === 'u1' ? await admin.titlesTagged(check.tag) : await admin.usersTagged(check.tag)
            }
            if (unit === 'u2') await admin.deleteNew()
            await admin.tidy()
          },
        }
      })
      const stats = await compare(contenders, {
        title: `W4 ${db.short} ${unit.toUpperCase()}`,
        rounds: ROUNDS,
        check: (_, r) => {
          const { tag, result } = r as { tag: string; result: unknown }
          if (unit === 'u1') {
            if (result !== LOADED) throw new Error(`${result} titles changed, expected ${LOADED}`)
            return
          }
          const got = result as { users: number; posts: number; sample: string[] }
          const sample = Array.from({ length: POSTS_EACH }, (_, k) => newPost(tag, 777, k).title)
          if (got.users !== NEW_USERS || got.posts !== NEW_USERS * POSTS_EACH || JSON.stringify(got.sample) !== JSON.stringify(sample)) {
            throw new Error(`expected ${NEW_USERS} users with ${POSTS_EACH} posts each, got ${JSON.stringify(got)}`)
          }
        },
      })
      const label = unit === 'u1' ? `U1 load ${LOADED.toLocaleString('en-US')} posts, change every title, flush` : `U2 create ${NEW_USERS.toLocaleString('en-US')} users with ${POSTS_EACH} posts each, flush`
      const table = statsTable(`${db.name}: ${label} (ms)`, stats, 'ms')
      const rows = table.rows.map((row, i) => [...row, counts.get(stats[i].name)![unit]])
      const quarry = stats.find((s) => s.role === 'quarry')!
      const mikro = stats.find((s) => s.name === 'MikroORM')!
      targets.push(ratioTarget(`${db.short} ${unit.toUpperCase()}: Quarry ÷ hand-batched`, quarry.vsRaw, db.limit))
      targets.push(ratioTarget(`${db.short} ${unit.toUpperCase()}: MikroORM ÷ Quarry (how many times faster)`, mikro.median / quarry.median, 5, true))
      if (db.serverWork) {
        const work = await serverWorkRow(db.serverWork(), unit, admin)
        const hand = stats.find((s) => s.role === 'raw')!
        rows.push([work.label, fmt(work.median), `${fmt(work.min)}–${fmt(work.max)}`, `${(work.median / hand.median).toFixed(2)}×`, '', counts.get(hand.name)![unit]])
        targets.push({
          what: `${db.short} ${unit.toUpperCase()}: MikroORM ÷ the database's own work for the same change (the most any client could be faster than MikroORM)`,
          target: 'bound',
          value: `${(mikro.median / work.median).toFixed(2)}×`,
          met: undefined,
        })
      }
      tables.push({ ...table, headers: [...table.headers, 'statements'], rows })
    }
  } finally {
    for (const uow of uows) await uow.close()
    await admin.close()
  }
  return { tables, targets }
}

/** Runs the database's own work for a unit `ROUNDS` times, cleaning up after each like the timed runs. */
async function serverWorkRow(work: ReturnType<typeof pgServerWork>, unit: 'u1' | 'u2', admin: Admin) {
  const ms: number[] = []
  try {
    for (let r = 0; r < ROUNDS; r++) {
      ms.push(await work[unit](data.runTag()))
      if (unit === 'u2') await admin.deleteNew()
      await admin.tidy()
    }
  } finally {
    await work.close()
  }
  return { label: "_the database's own work for the hand-batched statements_", median: median(ms), min: Math.min(...ms), max: Math.max(...ms) }
}

export async function w4(): Promise<WorkloadResult> {
  const started = performance.now()
  const machine = machineLine()
  const tables: Table[] = []
  const targets: Target[] = []
  const notes = [
    'Quarry: `createSession(engine)`, `session.all(select(posts)…)` then assignments (U1) or `session.add(users, { …, posts: [...] })` (U2), then `session.commit()`; one session per run. MikroORM 6: `em.find` / `em.create`, then `em.flush()` on a fork per run. Hand-batched: the fewest statements in one transaction on the raw driver: U1 one SELECT and one `UPDATE … FROM (VALUES …)`; U2 one multi-row INSERT of users `RETURNING id` and one of posts.',
    'U2 inputs are object literals. "Quarry session, users built by spread" runs U2 on users made by `{ ...newUser(), posts }` instead: on Node 20 such objects get a V8 map on which each property added later takes a slow path (four properties: 2.6 µs against 0.05 µs), and the session adds the generated id and server defaults to every object it inserts. MikroORM copies inputs into its own entities, so the way they are built hardly matters to it.',
    `${ROUNDS} rounds, each sample one run (single runs of 5–60 ms vary with GC and WAL checkpoints, so more rounds than elsewhere steady the median).`,
    "The database's own work (PostgreSQL): the hand-batched statements run once more per round under `EXPLAIN (ANALYZE, TIMING OFF)`, each round in a committed transaction; the figure is PostgreSQL's planning plus execution time summed over them (foreign-key checks included), plus the COMMIT's round trip (its WAL flush); the other round trips and all client work are left out. No client sending the same change can take less, so MikroORM's median over it bounds how many times faster than MikroORM any client could be.",
    'Statements: counted in one extra untimed run (Quarry through `echo`, MikroORM through its query logger, hand-batched by hand), shown as statements + BEGIN/COMMIT. On PostgreSQL the tables are vacuumed after every run (untimed), so no contender meets the dead rows of the runs before it.',
  ]
  const file = await setupSqlite('w4')
  const sqlite: Db = {
    name: 'SQLite (better-sqlite3, file, WAL)',
    short: 'SQLite',
    limit: 3,
    contenders: [
      (counter) => quarryUow(`sqlite:///${file}`, counter),
      (counter) => mikroUow((logger) => MikroSqlite.init({ dbName: file, entities, ...(logger && { debug: ['query'], logger }) }), counter),
      (counter) => handSqlite(file, counter),
      (counter) => quarryUow(`sqlite:///${file}`, counter, true),
    ],
    admin: () => sqliteAdmin(file),
  }
  const s = await runDb(sqlite)
  tables.push(...s.tables)
  targets.push(...s.targets)
  const pgUp = await pgAvailable()
  if (pgUp) await setupPostgres()
  const links = await linkRows(file, pgUp)
  tables.push(...links.tables)
  targets.push(...links.targets)

  if (pgUp) {
    const c = pgConfig()
    const pg: Db = {
      name: 'PostgreSQL (Quarry on postgres.js; MikroORM on pg)',
      short: 'PostgreSQL',
      limit: 1.5,
      contenders: [
        (counter) => quarryUow(PG_URL, counter),
        (counter) =>
          mikroUow(
            (logger) => MikroPg.init({ host: c.host, port: c.port, user: c.user, password: c.password, dbName: c.database, entities, ...(logger && { debug: ['query'], logger }) }),
            counter,
          ),
        (counter) => handPostgres(counter),
        (counter) => quarryUow(PG_URL, counter, true),
      ],
      admin: pgAdmin,
      serverWork: pgServerWork,
    }
    const p = await runDb(pg)
    tables.push(...p.tables)
    targets.push(...p.targets)
  } else {
    notes.push(`PostgreSQL did not answer at ${PG_URL}: not run there.`)
    targets.push(pending('PostgreSQL U1/U2', '≤ 1.5× hand-batched', 'not run: no PostgreSQL'))
  }
  return {
    id: 'w4',
    title: 'unit of work (session flush)',
    machine,
    ...finished(started),
    notes,
    tables,
    targets,
  }
}
