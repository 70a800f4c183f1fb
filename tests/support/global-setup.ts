/**
 * Probes each database server once per run. An unreachable server skips that dialect's tests
 * (and says so) unless CI=true, where it fails the run.
 */
import type { TestProject } from 'vitest/node'
import { DIALECTS, dropStale, probe, selectedDialects, serverUrl, type Availability } from './servers'

/** Probes the servers, drops leftovers of crashed runs, and tells the tests which dialects run. */
export default async function setup(project: TestProject): Promise<void> {
  const selected = selectedDialects()
  const availability = {} as Availability
  const results = await Promise.all(DIALECTS.map(async (dialect) => [dialect, selected.includes(dialect) ? await probe(dialect) : 'not in QUARRY_DIALECTS'] as const))
  const skipped: string[] = []
  for (const [dialect, failure] of results) {
    availability[dialect] = failure === undefined ? { available: true } : { available: false, reason: failure }
    if (failure !== undefined) skipped.push(`${dialect} (${serverUrl(dialect).replace(/:[^:@/]*@/, ':***@')}: ${failure})`)
  }
  if (skipped.length > 0) {
    const unreachable = results.filter(([dialect, failure]) => failure !== undefined && selected.includes(dialect))
    if (process.env.CI === 'true' && unreachable.length > 0) {
      throw new Error(`CI=true and these database servers are unreachable:\n  ${skipped.join('\n  ')}`)
    }
    console.log(`\n[quarry tests] SKIPPING dialects:\n  ${skipped.join('\n  ')}\n`)
  }
  await Promise.all(DIALECTS.filter((dialect) => availability[dialect].available).map((dialect) => dropStale(dialect).catch(() => {})))
  project.provide('quarryDialects', availability)
}
