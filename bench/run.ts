/**
 * Runs the benchmarks: `npm run bench` (every workload) or `npm run bench -- w2 w3` (some), then
 * rewrites the sections of bench/RESULTS.md it ran.
 */
import './lib/one-sqlite'
import { mkdirSync } from 'node:fs'
import { OUT_DIR } from './lib/db'
import { machineLine } from './lib/harness'
import { writeResults, type WorkloadResult } from './lib/report'

const WORKLOADS: Record<string, () => Promise<WorkloadResult>> = {
  w1: async () => (await import('./w1/compile')).w1(),
  w2: async () => (await import('./w2/sqlite')).w2(),
  w3: async () => (await import('./w3/postgres')).w3(),
  w4: async () => (await import('./w4/unit-of-work')).w4(),
  w5: async () => (await import('./w5/typecheck')).w5(),
  w6: async () => (await import('./w6/memory')).w6(),
}

async function main(): Promise<void> {
  const asked = process.argv.slice(2).map((a) => a.toLowerCase())
  const unknown = asked.filter((a) => !(a in WORKLOADS))
  if (unknown.length) {
    console.error(`unknown workload ${unknown.join(', ')}; choose from ${Object.keys(WORKLOADS).join(', ')}`)
    process.exit(2)
  }
  const ids = asked.length ? asked : Object.keys(WORKLOADS)
  mkdirSync(OUT_DIR, { recursive: true })
  console.log(`Quarry benchmarks: ${ids.join(', ')}\n${machineLine()}`)
  const results: WorkloadResult[] = []
  let failed = false
  for (const id of ids) {
    console.log(`\n${id.toUpperCase()}`)
    try {
      const result = await WORKLOADS[id]()
      results.push(result)
      for (const t of result.targets) console.log(`  ${t.met === undefined ? '–' : t.met ? 'met   ' : 'MISSED'} ${t.what}: ${t.value} (${t.target})`)
      // Each finished workload is written at once, so a later failure keeps it.
      writeResults([result])
    } catch (error) {
      failed = true
      // Errors from drivers can quote whole statements: keep the report readable.
      const text = error instanceof Error ? `${error.stack ?? error.message}` : String(error)
      console.error(`${id} failed: ${text.length > 3000 ? `${text.slice(0, 1500)} … ${text.slice(-1500)}` : text}`)
    }
  }
  console.log(`\nwrote bench/RESULTS.md (${results.map((r) => r.id).join(', ') || 'nothing'})`)
  process.exit(failed ? 1 : 0)
}

await main()
