/**
 * W1: build and compile only, no database. Five queries, each built from scratch and compiled
 * to PostgreSQL SQL per operation: Quarry `compile(builder, 'postgres')`, Kysely `.compile()`,
 * Drizzle `.toSQL()`, Knex `.toSQL()`.
 */
import { drizzle } from 'drizzle-orm/node-postgres'
import * as d from 'drizzle-orm'
import knexFactory from 'knex'
import { Kysely, PostgresDialect } from 'kysely'
import * as q from '../lib/quarry'
import { compare, fastestPeer, machineLine, type Contender } from '../lib/harness'
import { finished, ratioTarget, statsTable, type Table, type Target, type WorkloadResult } from '../lib/report'
import { newUsers } from '../lib/data'
import * as dz from '../lib/peers/drizzle-pg'
import type { DB } from '../lib/peers/kysely-types'
import { posts, users } from '../../examples/blog-schema'

const since = new Date(Date.UTC(2024, 0, 15))
const rows = newUsers(100, 'w1')

interface Compiled {
  sql: string
  params: readonly unknown[]
}

type Library = 'Quarry' | 'Kysely' | 'Drizzle' | 'Knex'
type Query = 'q1' | 'q2' | 'q3' | 'q4' | 'q5'

function libraries(): Record<Library, Record<Query, (id: number) => Compiled>> {
  const kysely = new Kysely<DB>({ dialect: new PostgresDialect({ pool: {} as never }) })
  const dzdb = drizzle.mock({ schema: dz })
  const knex = knexFactory({ client: 'pg' })
  const fromKnex = (x: { sql: string; bindings: readonly unknown[] }): Compiled => ({ sql: x.sql, params: x.bindings })
  const fromDrizzle = (x: { sql: string; params: unknown[] }): Compiled => x
  const fromKysely = (x: { sql: string; parameters: readonly unknown[] }): Compiled => ({ sql: x.sql, params: x.parameters })
  return {
    Quarry: {
      q1: (id) => q.compile(q.select(users).where(q.eq(users.id, id)), 'postgres'),
      q2: () =>
        q.compile(
          q.select(users).where(q.like(users.email, '%@example.com'), q.gte(users.createdAt, since)).orderBy(q.desc(users.createdAt)).limit(10).offset(20),
          'postgres',
        ),
      q3: () =>
        q.compile(
          q
            .select({ id: users.id, username: users.username, postCount: q.count(posts.id) })
            .from(users)
            .innerJoin(posts, q.eq(posts.authorId, users.id))
            .groupBy(users.id, users.username)
            .having(q.gt(q.count(posts.id), 5))
            .orderBy(q.desc(q.count(posts.id))),
          'postgres',
        ),
      q4: () => q.compile(q.insert(users).values(rows), 'postgres'),
      q5: (id) => q.compile(q.update(posts).set({ title: 'Renamed' }).where(q.eq(posts.authorId, id)), 'postgres'),
    },
    Kysely: {
      q1: (id) => fromKysely(kysely.selectFrom('users').selectAll().where('id', '=', id).compile()),
      q2: () =>
        fromKysely(
          kysely
            .selectFrom('users')
            .selectAll()
            .where('email', 'like', '%@example.com')
            .where('created_at', '>=', since)
            .orderBy('created_at', 'desc')
            .limit(10)
            .offset(20)
            .compile(),
        ),
      q3: () =>
        fromKysely(
          kysely
            .selectFrom('users')
            .innerJoin('posts', 'posts.author_id', 'users.id')
            .select((eb) => ['users.id', 'users.username', eb.fn.count<number>('posts.id').as('postCount')])
            .groupBy(['users.id', 'users.username'])
            .having((eb) => eb.fn.count('posts.id'), '>', 5)
            .orderBy((eb) => eb.fn.count('posts.id'), 'desc')
            .compile(),
        ),
      q4: () => fromKysely(kysely.insertInto('users').values(rows).compile()),
      q5: (id) => fromKysely(kysely.updateTable('posts').set({ title: 'Renamed' }).where('author_id', '=', id).compile()),
    },
    Drizzle: {
      q1: (id) => fromDrizzle(dzdb.select().from(dz.users).where(d.eq(dz.users.id, id)).toSQL()),
      q2: () =>
        fromDrizzle(
          dzdb
            .select()
            .from(dz.users)
            .where(d.and(d.like(dz.users.email, '%@example.com'), d.gte(dz.users.createdAt, since)))
            .orderBy(d.desc(dz.users.createdAt))
            .limit(10)
            .offset(20)
            .toSQL(),
        ),
      q3: () =>
        fromDrizzle(
          dzdb
            .select({ id: dz.users.id, username: dz.users.username, postCount: d.count(dz.posts.id) })
            .from(dz.users)
            .innerJoin(dz.posts, d.eq(dz.posts.authorId, dz.users.id))
            .groupBy(dz.users.id, dz.users.username)
            .having(d.gt(d.count(dz.posts.id), 5))
            .orderBy(d.desc(d.count(dz.posts.id)))
            .toSQL(),
        ),
      q4: () => fromDrizzle(dzdb.insert(dz.users).values(rows).toSQL()),
      q5: (id) => fromDrizzle(dzdb.update(dz.posts).set({ title: 'Renamed' }).where(d.eq(dz.posts.authorId, id)).toSQL()),
    },
    Knex: {
      q1: (id) => fromKnex(knex('users').select('*').where('id', id).toSQL()),
      q2: () =>
        fromKnex(
          knex('users')
            .select('*')
            .where('email', 'like', '%@example.com')
            .where('created_at', '>=', since)
            .orderBy('created_at', 'desc')
            .limit(10)
            .offset(20)
            .toSQL(),
        ),
      q3: () =>
        fromKnex(
          knex('users')
            .join('posts', 'posts.author_id', 'users.id')
            .select('users.id', 'users.username')
            .count('posts.id as postCount')
            .groupBy('users.id', 'users.username')
            .havingRaw('count(??) > ?', ['posts.id', 5])
            .orderByRaw('count(??) desc', ['posts.id'])
            .toSQL(),
        ),
      q4: () => fromKnex(knex('users').insert(rows).toSQL()),
      q5: (id) => fromKnex(knex('posts').update({ title: 'Renamed' }).where('author_id', id).toSQL()),
    },
  }
}

/** What every library's SQL for each query must contain, and how many parameters it carries. */
const EXPECT: Record<Query, { words: RegExp[]; params?: number }> = {
  q1: { words: [/^select/i, /from "users"/i, /where/i], params: 1 },
  q2: { words: [/like/i, />=/, /order by/i, /desc/i, /limit/i, /offset/i] },
  q3: { words: [/join "posts"/i, /group by/i, /having count\(/i, /order by count\(/i] },
  q4: { words: [/^insert into "users"/i], params: 300 },
  q5: { words: [/^update "posts"/i, /set "title"/i, /where/i], params: 2 },
}

function check(query: Query, name: string, result: unknown): void {
  const { sql, params } = result as Compiled
  for (const word of EXPECT[query].words) if (!word.test(sql)) throw new Error(`SQL ${JSON.stringify(sql.slice(0, 200))} lacks ${word}`)
  const expected = EXPECT[query].params
  // Values bound: an array parameter (Quarry's PostgreSQL insert of many rows: one array per column) counts its elements.
  const bound = params.reduce<number>((n, p) => n + (Array.isArray(p) ? p.length : 1), 0)
  if (expected !== undefined && bound !== expected) throw new Error(`${bound} values bound, expected ${expected} (${name})`)
}

/**
 * A loop calling `fn` `ops` times. Made with `new Function` so that each contender's loop is its
 * own function with its own type feedback: one shared loop would see every library's function at
 * its call site, turn megamorphic and stop V8 from inlining any of them.
 */
function loop(fn: (i: number) => Compiled, ops: number): () => Compiled {
  // eslint-disable-next-line no-new-func
  return new Function('fn', 'ops', 'return function run() { let last; for (let i = 0; i < ops; i++) last = fn(1 + (i % 1000)); return last }')(fn, ops)
}

/** How many calls of `fn` fill ~`ms`. */
function calibrate(fn: (i: number) => Compiled, ms: number): number {
  let n = 50
  for (;;) {
    const run = loop(fn, n)
    const start = performance.now()
    run()
    const took = performance.now() - start
    if (took >= 25) return Math.max(10, Math.round((n * ms) / took))
    n *= 2
  }
}

export async function w1(): Promise<WorkloadResult> {
  const started = performance.now()
  const machine = machineLine()
  const libs = libraries()
  const tables: Table[] = []
  const targets: Target[] = []
  const names = Object.keys(libs) as Library[]
  const labels: Record<Query, string> = {
    q1: 'q1 user by id',
    q2: 'q2 like + created_at >=, order by, limit/offset',
    q3: 'q3 join, group by, having, order by count',
    q4: 'q4 insert of 100 rows',
    q5: 'q5 update title where author_id',
  }
  for (const query of Object.keys(labels) as Query[]) {
    const contenders: Contender<void, Compiled>[] = names.map((name) => {
      const fn = libs[name][query]
      // Each operation builds the query from scratch and compiles it; the result is kept so the work cannot be skipped.
      const ops = calibrate(fn, 200)
      return { name, role: name === 'Quarry' ? 'quarry' : 'peer', ops, run: loop(fn, ops) }
    })
    const stats = await compare(contenders, { title: `W1 ${query}`, throughput: true, rounds: 7, warmup: 2, collectGarbage: false, check: (name, r) => check(query, name, r) })
    tables.push(statsTable(labels[query], stats, 'ops/s'))
    const quarry = stats.find((s) => s.name === 'Quarry')!
    const best = fastestPeer(stats, true)!
    targets.push(ratioTarget(`${query}: Quarry ops/s ÷ fastest peer (${best.name})`, quarry.vsPeer, 2, true))
  }
  return {
    id: 'w1',
    title: 'build + compile only (PostgreSQL SQL), ops/s',
    machine,
    ...finished(started),
    notes: [
      'One operation = build the query from nothing, then compile: Quarry `compile(builder, "postgres")`, Kysely `.compile()`, Drizzle `.toSQL()` (on `drizzle.mock()`), Knex `.toSQL()` (client pg, `?` placeholders as Knex leaves them).',
      'q4 inserts the same 100 prepared row objects each time (the rows are data, not builder work). Quarry compiles it for PostgreSQL as `INSERT … SELECT * FROM unnest($1::varchar[], …)` (one array per column, what it sends from 20 rows on); the peers as VALUES with 300 parameters. Each run calibrated to ~200 ms; 7 rounds; no forced GC between runs (a forced full GC shrinks the young generation: in a check it cost Quarry 25% and Kysely 9% on q1).',
      'Quarry runs from its TypeScript sources through tsx, one module per file; bundled (esbuild) it is a further 1.2–1.4× faster here, the peers run their published builds.',
    ],
    tables,
    targets,
  }
}
