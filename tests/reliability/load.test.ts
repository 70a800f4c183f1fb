/**
 * Load: 1,000 concurrent mixed queries at a time on a pool of 10 (size 5 + overflow 5) for 60 s in
 * the full run. Afterwards every connection is free again (10 transactions get one each at once),
 * nothing was rejected unhandled, and p50/p99 latencies are reported.
 */
import { expect, test } from 'vitest'
import { count, defineSchema, eq, insert, select, sql, update } from '../../packages/core/src/index'
import { forEachDialect } from '../support'
import { size } from './size'

const schema = defineSchema({ hits: { columns: { id: { type: 'integer', primaryKey: true }, n: { type: 'integer' }, note: { type: 'text' } } } })
const { hits } = schema
const CONCURRENCY = 1_000
const SECONDS = size(60, 2)

forEachDialect((db) => {
  test(`${CONCURRENCY} concurrent mixed queries on a pool of 10 for ${SECONDS} s`, { timeout: (SECONDS + 120) * 1000 }, async () => {
    const engine = await db.engine({ pool: { size: 5, maxOverflow: 5, timeoutMs: 60_000 } })
    await engine.createAll(schema)
    await engine.execute(insert(hits).values(Array.from({ length: 100 }, (_, i) => ({ id: i + 1, n: 0, note: `row ${i}` }))))
    const unhandled: unknown[] = []
    const onUnhandled = (reason: unknown) => unhandled.push(reason)
    process.on('unhandledRejection', onUnhandled)
    const latencies: number[] = []
    let increments = 0
    let failures = 0
    const deadline = Date.now() + SECONDS * 1000
    const one = async (i: number) => {
      const id = (i % 100) + 1
      const started = performance.now()
      switch (i % 4) {
        case 0:
          await engine.first(select(hits).where(eq(hits.id, id)))
          break
        case 1:
          await engine.scalar(select(count()).from(hits))
          break
        case 2:
          await engine.execute(update(hits).set({ n: sql`${hits.n} + 1` as never }).where(eq(hits.id, id)))
          increments++
          break
        default:
          await engine.transaction(async (tx) => {
            await tx.execute(update(hits).set({ n: sql`${hits.n} + 1` as never }).where(eq(hits.id, id)))
            await tx.first(select(hits).where(eq(hits.id, id)))
          })
          increments++
      }
      latencies.push(performance.now() - started)
    }
    const worker = async (slot: number) => {
      for (let i = slot; Date.now() < deadline; i += CONCURRENCY) await one(i).catch(() => failures++)
    }
    try {
      await Promise.all(Array.from({ length: CONCURRENCY }, (_, slot) => worker(slot)))
    } finally {
      process.off('unhandledRejection', onUnhandled)
    }
    latencies.sort((a, b) => a - b)
    const pick = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))]!.toFixed(1)
    console.log(`[reliability] ${db.dialect} load: ${latencies.length} queries in ${SECONDS} s, p50 ${pick(0.5)} ms, p99 ${pick(0.99)} ms, ${failures} failed`)
    expect(failures).toBe(0)
    expect(unhandled).toEqual([])
    // Nothing lost: every increment is in the table.
    expect(Number(await engine.scalar(sql<{ s: number }>`SELECT sum(n) AS s FROM hits`))).toBe(increments)
    // Every connection is free again: as many transactions as the pool holds each get one at once.
    const capacity = db.server ? 10 : 1
    const all = await engine.connect().then(async (first) => {
      const rest = await Promise.all(Array.from({ length: capacity - 1 }, () => engine.connect()))
      await Promise.all([first, ...rest].map((c) => c.release()))
      return rest.length + 1
    })
    expect(all).toBe(capacity)
  })
})
