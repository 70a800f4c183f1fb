/**
 * Quarry's side of the workloads that miss a target, as plain loops to profile:
 * `bench/profile/run.sh <scenario>` bundles this file and runs it under `node --cpu-prof`.
 * Scenarios: w1-q1 … w1-q5, w2a, w2a-prepared, w2c, w2d-selectin, w2d-core, w4-u1, w4-u2, w4-u3 (SQLite),
 * w3a, w3a-prepared, w3b, w3d-selectin, w3d-core, w4-u1-pg, w4-u2-pg, w4-u3-pg (PostgreSQL).
 */
import { mkdirSync } from 'node:fs'
import { createSession, selectinload } from '@quarry/orm'
import * as data from '../lib/data'
import { attachPosts } from '../lib/reads'
import { OUT_DIR, PG_URL, setupSqlite } from '../lib/db'
import * as q from '../lib/quarry'
import { posts, postTags, tags, users } from '../../examples/blog-schema'

const scenario = process.argv[2] ?? 'w2a'
const seconds = Number(process.argv[3] ?? 5)

async function loop(fn: () => unknown): Promise<void> {
  const end = performance.now() + seconds * 1000
  let n = 0
  while (performance.now() < end) {
    await fn()
    n++
  }
  console.log(`${scenario}: ${n} runs in ${seconds} s, ${((seconds * 1000) / n).toFixed(3)} ms each`)
}

const w1: Record<string, () => unknown> = {
  'w1-q1': () => q.compile(q.select(users).where(q.eq(users.id, 7)), 'postgres'),
  'w1-q2': () =>
    q.compile(q.select(users).where(q.like(users.email, '%@example.com'), q.gte(users.createdAt, new Date(0))).orderBy(q.desc(users.createdAt)).limit(10).offset(20), 'postgres'),
  'w1-q3': () =>
    q.compile(
      q.select({ id: users.id, username: users.username, n: q.count(posts.id) }).from(users).innerJoin(posts, q.eq(posts.authorId, users.id)).groupBy(users.id, users.username).having(q.gt(q.count(posts.id), 5)).orderBy(q.desc(q.count(posts.id))),
      'postgres',
    ),
  'w1-q4': (() => {
    const rows = data.newUsers(100, 'p')
    return () => q.compile(q.insert(users).values(rows), 'postgres')
  })(),
  'w1-q5': () => q.compile(q.update(posts).set({ title: 'x' }).where(q.eq(posts.authorId, 7)), 'postgres'),
}

async function main(): Promise<void> {
  if (scenario in w1) {
    const fn = w1[scenario]
    return loop(() => {
      for (let i = 0; i < 1000; i++) fn()
    })
  }
  const pg = scenario.startsWith('w3') || scenario.endsWith('-pg') || scenario.includes('-pg-')
  mkdirSync(OUT_DIR, { recursive: true })
  const engine = q.createEngine(pg ? PG_URL : `sqlite:///${await setupSqlite('profile')}`)
  const byId = q.prepare(q.select(users).where(q.eq(users.id, q.param('id'))))
  const runs: Record<string, () => Promise<unknown>> = {
    w2a: async () => {
      for (let i = 1; i <= 1000; i++) await engine.first(q.select(users).where(q.eq(users.id, i)))
    },
    'w2a-prepared': async () => {
      for (let i = 1; i <= 1000; i++) await engine.first(byId, { id: i })
    },
    w2c: async () => {
      await engine.transaction((tx) => tx.execute(q.insert(users).values(data.newUsers(10_000, data.runTag()))))
      await engine.execute(q.deleteFrom(users).where(q.gt(users.id, 1000)))
    },
    'w2d-selectin': async () => {
      const session = createSession(engine)
      await session.all(q.select(users).where(q.lte(users.id, 200)).orderBy(q.asc(users.id)), selectinload(users.posts))
      await session.close()
    },
    'w2d-core': async () => {
      const us = await engine.all(q.select(users).where(q.lte(users.id, 200)).orderBy(q.asc(users.id)))
      const ps = await engine.all(q.select(posts).where(q.inArray(posts.authorId, us.map((u) => u.id))))
      return attachPosts(us as Record<string, unknown>[], ps as Record<string, unknown>[], 'authorId')
    },
    'w4-u1': async () => {
      const session = createSession(engine)
      const rows = await session.all(q.select(posts).where(q.lte(posts.id, 1000)))
      const tag = data.runTag()
      for (const p of rows) p.title = `Post ${p.id} v${tag}`
      await session.commit()
      await session.close()
    },
    'w4-u2': async () => {
      const session = createSession(engine)
      const tag = data.runTag()
      for (let i = 0; i < 1000; i++) {
        session.add(users, { username: `${tag}-${i}`, email: `${tag}-${i}@x.net`, bio: null, posts: Array.from({ length: 5 }, (_, k) => ({ title: `t${k}`, body: 'b' })) })
      }
      await session.commit()
      await session.close()
      await engine.execute(q.deleteFrom(posts).where(q.gt(posts.authorId, 1000)))
      await engine.execute(q.deleteFrom(users).where(q.gt(users.id, 1000)))
    },
  }
  // U3: 2,000 posts with 20 tags each (40,000 association rows).
  runs['w4-u3'] = async () => {
    const session = createSession(engine)
    const tag = data.runTag()
    const picked = await session.all(q.select(tags).where(q.lte(tags.id, 20)))
    for (let i = 0; i < 2000; i++) session.add(posts, { title: `${tag} ${i}`, body: 'b', authorId: 1, tags: picked.slice() })
    await session.commit()
    await session.close()
    await engine.execute(q.deleteFrom(postTags).where(q.gt(postTags.postId, data.POSTS)))
    await engine.execute(q.deleteFrom(posts).where(q.gt(posts.id, data.POSTS)))
  }
  runs['w4-u3-pg'] = runs['w4-u3']
  // U2's add() calls alone (the session is closed without a flush).
  runs['w4-u2-add'] = async () => {
    const session = createSession(engine)
    const tag = data.runTag()
    for (let i = 0; i < 1000; i++) {
      session.add(users, { username: `${tag}-${i}`, email: `${tag}-${i}@x.net`, bio: null, posts: Array.from({ length: 5 }, (_, k) => ({ title: `t${k}`, body: 'b' })) })
    }
    await session.close()
  }
  // U2 in phases (add, flush, commit, close), printed at the end.
  const phases = { add: 0, flush: 0, commit: 0, close: 0, runs: 0 }
  // Per-run totals too: their median and minimum shrug off the noise of a shared machine.
  const totals: number[] = []
  runs['w4-u2-phases'] = async () => {
    const session = createSession(engine)
    const tag = data.runTag()
    const start = performance.now()
    let t = start
    for (let i = 0; i < 1000; i++) {
      session.add(users, { username: `${tag}-${i}`, email: `${tag}-${i}@x.net`, bio: null, posts: Array.from({ length: 5 }, (_, k) => ({ title: `t${k}`, body: 'b' })) })
    }
    phases.add += performance.now() - t
    t = performance.now()
    await session.flush()
    phases.flush += performance.now() - t
    t = performance.now()
    await session.commit()
    phases.commit += performance.now() - t
    t = performance.now()
    await session.close()
    phases.close += performance.now() - t
    phases.runs++
    totals.push(performance.now() - start)
    await engine.execute(q.deleteFrom(posts).where(q.gt(posts.authorId, 1000)))
    await engine.execute(q.deleteFrom(users).where(q.gt(users.id, 1000)))
  }
  process.on('exit', () => {
    if (!phases.runs) return
    console.log(Object.entries(phases).map(([k, v]) => `${k} ${k === 'runs' ? v : (v / phases.runs).toFixed(2) + ' ms'}`).join(', '))
    const sorted = totals.sort((x, y) => x - y)
    // An instrumented copy of the session (ORM_SRC) may leave per-phase timings in globalThis.__T.
    const timings = (globalThis as { __T?: Record<string, number> }).__T
    if (timings) console.log(Object.entries(timings).map(([k, v]) => `${k} ${(v / phases.runs).toFixed(2)}`).join(', '))
    console.log(`total per run: median ${sorted[sorted.length >> 1].toFixed(2)} ms, min ${sorted[0].toFixed(2)} ms`)
  })
  runs['w4-u2-pg-phases'] = runs['w4-u2-phases']
  runs.w3a = runs.w2a
  runs['w3a-prepared'] = runs['w2a-prepared']
  runs.w3b = () => engine.all(q.select(posts))
  runs['w4-u1-pg'] = runs['w4-u1']
  runs['w4-u2-pg'] = runs['w4-u2']
  runs['w3d-selectin'] = runs['w2d-selectin']
  runs['w3d-core'] = runs['w2d-core']
  const fn = runs[scenario]
  if (!fn) throw new Error(`unknown scenario ${scenario}`)
  await fn()
  await loop(fn)
  await engine.close()
}

await main()
