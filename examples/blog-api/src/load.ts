/**
 * The load smoke test: `concurrency` clients, each a loop of fetch calls (one request at a time)
 * until the time is up, over a mix of the API's reads and writes. Used by
 * tests/examples/blog-api-load.test.ts (2 s) and by `npm run example:load` (10 s on PostgreSQL,
 * the figures in the README).
 */
import { randomUUID } from 'node:crypto'
import { pathToFileURL } from 'node:url'
import { createEngine, sql, type Engine } from '@quarry/core'
import { createSession } from '@quarry/orm'
import { posts, tags, users } from './schema.js'
import { start } from './server.js'

const TAGS = Array.from({ length: 10 }, (_, i) => `tag${i}`)

/** Fills the database: 20 users, 200 posts, 10 tags, two tags a post. */
export async function seed(engine: Engine): Promise<void> {
  await using session = createSession(engine)
  const tagRows = session.addAll(tags, TAGS.map((name) => ({ name })))
  const authors = session.addAll(users, Array.from({ length: 20 }, (_, i) => ({ username: `writer${i}`, email: `writer${i}@example.com` })))
  session.addAll(
    posts,
    Array.from({ length: 200 }, (_, i) => ({ title: `Post ${i}`, body: 'Lorem ipsum '.repeat(20), author: authors[i % 20]!, tags: [tagRows[i % 10]!, tagRows[(i + 3) % 10]!] })),
  )
  await session.commit()
}

/** What a run measured. */
export interface LoadResult {
  readonly requests: number
  readonly seconds: number
  readonly perSecond: number
  readonly p50: number
  readonly p99: number
  readonly max: number
  /** p50 and p99 of each kind of request (`list`, `post`, `user`, `create`), in ms. */
  readonly byKind: Readonly<Record<Kind, { readonly p50: number; readonly p99: number }>>
  /** Requests answered with an unexpected status, or that failed; the first few described. */
  readonly errors: number
  readonly errorSamples: readonly string[]
}

/** The kinds of request in the mix. */
export type Kind = 'list' | 'post' | 'user' | 'create'

/** The kind of the i-th request: 60% lists, 20% posts, 10% users, 10% creates. */
function kindOf(i: number): Kind {
  const k = i % 10
  return k < 6 ? 'list' : k < 8 ? 'post' : k === 8 ? 'user' : 'create'
}

/** One request of the mix (i counts requests across clients). */
async function one(url: string, i: number): Promise<void> {
  const kind = kindOf(i)
  let response: Response
  if (kind === 'list') {
    const filter = i % 3 === 0 ? `&tag=${TAGS[i % TAGS.length]}` : i % 3 === 1 ? `&author=${(i % 20) + 1}` : ''
    response = await fetch(`${url}/posts?limit=20${filter}`)
  } else if (kind === 'post') {
    response = await fetch(`${url}/posts/${(i % 200) + 1}`)
  } else if (kind === 'user') {
    response = await fetch(`${url}/users/${(i % 20) + 1}`)
  } else {
    const body = { title: `Load ${i}`, body: '…', authorId: (i % 20) + 1, tags: [TAGS[i % 10], TAGS[(i + 1) % 10]] }
    response = await fetch(`${url}/posts`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })
  }
  const text = await response.text()
  const expected = kind === 'create' ? 201 : 200
  if (response.status !== expected) throw new Error(`${response.status} ${text.slice(0, 200)}`)
}

/**
 * Runs the mix with `concurrency` clients for `seconds` and reports throughput and latency.
 * @example const result = await runLoad(api.url, { concurrency: 200, seconds: 10 })
 */
export async function runLoad(url: string, options: { concurrency: number; seconds: number }): Promise<LoadResult> {
  const latencies: number[] = []
  const byKind: Record<Kind, number[]> = { list: [], post: [], user: [], create: [] }
  const errorSamples: string[] = []
  let errors = 0
  let counter = 0
  const started = performance.now()
  const deadline = started + options.seconds * 1000
  const client = async () => {
    while (performance.now() < deadline) {
      const begin = performance.now()
      const i = counter++
      try {
        await one(url, i)
      } catch (error) {
        errors++
        if (errorSamples.length < 5) errorSamples.push(error instanceof Error ? error.message : String(error))
      }
      latencies.push(performance.now() - begin)
      byKind[kindOf(i)].push(performance.now() - begin)
    }
  }
  await Promise.all(Array.from({ length: options.concurrency }, client))
  const seconds = (performance.now() - started) / 1000
  const at = (values: number[], q: number) => values[Math.min(values.length - 1, Math.floor(q * values.length))] ?? 0
  const sorted = (values: number[]) => values.sort((a, b) => a - b)
  sorted(latencies)
  const kinds = Object.fromEntries(Object.entries(byKind).map(([kind, values]) => [kind, { p50: at(sorted(values), 0.5), p99: at(values, 0.99) }])) as LoadResult['byKind']
  return { requests: latencies.length, seconds, perSecond: latencies.length / seconds, p50: at(latencies, 0.5), p99: at(latencies, 0.99), max: at(latencies, 1), byKind: kinds, errors, errorSamples }
}

/**
 * True when every connection of the pool is free: `capacity` connections are taken at once
 * within `waitMs` (a connection leaked by a request would keep one of them busy), then given back.
 */
export async function poolIsIdle(engine: Engine, capacity: number, waitMs = 5_000): Promise<boolean> {
  let timer: ReturnType<typeof setTimeout> | undefined
  const taking = Promise.all(Array.from({ length: capacity }, () => engine.connect()))
  const timeout = new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), waitMs)))
  const got = await Promise.race([taking, timeout])
  clearTimeout(timer)
  if (got === false) {
    void taking.then((conns) => Promise.all(conns.map((conn) => conn.release())))
    return false
  }
  await Promise.all(got.map((conn) => conn.release()))
  return true
}

/** The load figures as one line. */
export function describeLoad(result: LoadResult, concurrency: number): string {
  return (
    `${concurrency} clients for ${result.seconds.toFixed(1)} s: ${result.requests} requests, ${Math.round(result.perSecond)} req/s, ` +
    `p50 ${result.p50.toFixed(1)} ms, p99 ${result.p99.toFixed(1)} ms, max ${result.max.toFixed(1)} ms, ${result.errors} errors; p50/p99 by kind: ` +
    Object.entries(result.byKind).map(([kind, { p50, p99 }]) => `${kind} ${p50.toFixed(0)}/${p99.toFixed(0)} ms`).join(', ')
  )
}

/** Pool of the service under load: PostgreSQL's default (5 + 10 overflow). */
export const LOAD_POOL = { size: 5, maxOverflow: 10 } as const

// `npm run example:load`: the full run on PostgreSQL (QUARRY_PG_URL, else the local server), in a
// schema of its own that is dropped afterwards.
async function main(): Promise<void> {
  const server = process.env.QUARRY_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test'
  const seconds = Number(process.env.LOAD_SECONDS ?? 10)
  const concurrency = 200
  const schemaName = `blog_load_${randomUUID().slice(0, 8)}`
  const admin = createEngine(server)
  await admin.execute(sql`CREATE SCHEMA ${sql.identifier(schemaName)}`)
  try {
    const api = await start({ databaseUrl: server, engineOptions: { searchPath: schemaName, pool: LOAD_POOL } })
    try {
      await seed(api.engine)
      const result = await runLoad(api.url, { concurrency, seconds })
      console.log(describeLoad(result, concurrency))
      for (const sample of result.errorSamples) console.log(`  error: ${sample}`)
      const idle = await poolIsIdle(api.engine, LOAD_POOL.size + LOAD_POOL.maxOverflow)
      console.log(idle ? 'pool idle afterwards: every connection free' : 'LEAK: a connection was still in use afterwards')
      if (result.errors > 0 || !idle) process.exitCode = 1
    } finally {
      await api.close()
    }
  } finally {
    await admin.execute(sql`DROP SCHEMA ${sql.identifier(schemaName)} CASCADE`)
    await admin.close()
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await main()
