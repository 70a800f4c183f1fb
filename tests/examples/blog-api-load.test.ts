/**
 * The example's load smoke test on PostgreSQL, shortened to 2 s inside `npm test`
 * (`npm run example:load` runs the full 10 s the README reports): 200 clients, each a loop of
 * fetch calls over a mix of lists, reads and creates. No request fails, and afterwards every
 * connection of the pool is free again.
 */
import { expect, test } from 'vitest'
import { describeLoad, LOAD_POOL, poolIsIdle, runLoad, seed } from '../../examples/blog-api/src/load'
import { start } from '../../examples/blog-api/src/server'
import { forEachDialect } from '../support'

const CONCURRENCY = 200
const SECONDS = 2

forEachDialect((db) => {
  test.runIf(db.dialect === 'postgres')(`${CONCURRENCY} concurrent clients for ${SECONDS} s: no error, no leaked connection`, { timeout: 120_000 }, async () => {
    const target = await db.target()
    const api = await start({ databaseUrl: target.url, engineOptions: { ...target.options, pool: LOAD_POOL } })
    try {
      await seed(api.engine)
      const result = await runLoad(api.url, { concurrency: CONCURRENCY, seconds: SECONDS })
      console.log(`[blog-api load] ${describeLoad(result, CONCURRENCY)}`)
      expect(result.errorSamples).toEqual([])
      expect(result.errors).toBe(0)
      // Each client finishes at least one request; fewer means a request never came back.
      expect(result.requests).toBeGreaterThanOrEqual(CONCURRENCY)
      expect(await poolIsIdle(api.engine, LOAD_POOL.size + LOAD_POOL.maxOverflow)).toBe(true)
    } finally {
      await api.close()
    }
  })
})
