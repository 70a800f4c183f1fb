/**
 * One W6 measurement in a process of its own: reads `rows` rows of `numbers` through
 * `engine.iterate()` or `engine.all()` and prints its peak RSS as JSON.
 * Usage: child.ts <url> <iterate|all> <rows>
 */
import { asc, lte, select } from '@quarry/core'
import { createEngine } from '../lib/quarry'
import { numbers } from './numbers'

const [url, mode, count] = process.argv.slice(2)
const rows = Number(count)
const engine = createEngine(url)
const mb = (bytes: number) => Math.round((bytes / 1048576) * 10) / 10

await engine.all(select(numbers).where(lte(numbers.id, 1)))
const before = process.memoryUsage().rss
let seen = 0
let sum = 0
let last: { id: number; createdAt: Date; flag: boolean } | undefined
const query = select(numbers).where(lte(numbers.id, rows)).orderBy(asc(numbers.id))
const start = performance.now()
if (mode === 'iterate') {
  for await (const row of engine.iterate(query)) {
    seen++
    sum += row.amount
    last = row
  }
} else {
  const all = await engine.all(query)
  for (const row of all) {
    seen++
    sum += row.amount
    last = row
  }
}
const ms = performance.now() - start
await engine.close()
console.log(
  JSON.stringify({
    rows: seen,
    sum,
    lastId: last?.id,
    decoded: last?.createdAt instanceof Date && typeof last.flag === 'boolean',
    ms: Math.round(ms),
    rssBeforeMB: mb(before),
    peakRssMB: Math.round(process.resourceUsage().maxRSS / 102.4) / 10,
  }),
)
