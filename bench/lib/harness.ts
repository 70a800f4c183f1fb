/**
 * The timing harness: warm every contender, check what it returns, then time the contenders
 * interleaved (A B C A B C …) over several rounds, and summarise each as median and min–max.
 */
import { cpus, loadavg } from 'node:os'
import { setFlagsFromString } from 'node:v8'
import { runInNewContext } from 'node:vm'

setFlagsFromString('--expose-gc')
const gc = runInNewContext('gc') as (options?: { type: 'minor' | 'major' }) => void
/**
 * Before each timed run: a scavenge, which clears the young garbage the previous contender left.
 * Not a full GC: that also shrinks V8's young generation, and an allocation-heavy contender then
 * pays extra scavenges until it grows back (measured on W4 U1: Quarry 4.4× hand-batched after a
 * full GC, 1.5× after a scavenge, while the hand-batched run did not change).
 */
const collect = (): void => gc({ type: 'minor' })

/** Who a contender is: Quarry, a raw driver (the baseline) or a peer library. */
export type Role = 'quarry' | 'raw' | 'peer'

/** One library (or one way of using it) doing one unit of work. */
export interface Contender<TArg = unknown, TResult = unknown> {
  readonly name: string
  readonly role: Role
  /** Untimed, before each run: builds the run's input (rows to insert…). */
  readonly before?: () => Promise<TArg> | TArg
  /** The timed unit of work; its result (from the warm-up run) is checked before timing. */
  readonly run: (arg: TArg) => Promise<TResult> | TResult
  /** Untimed, after each run: puts the database back. */
  readonly after?: () => Promise<void> | void
  /** Operations in one run, for throughput (ops/s) measurements. */
  readonly ops?: number
  /** Runs per timed sample (for short units); the sample is the mean. Default 1. */
  readonly repeat?: number
}

/** The figures for one contender. */
export interface Summary {
  readonly name: string
  readonly role: Role
  /** Milliseconds per unit (or ops/s for throughput measurements), one per round. */
  readonly samples: readonly number[]
  readonly median: number
  readonly min: number
  readonly max: number
  /** Median over the raw baseline's median (per-unit time: lower is better; ops/s: higher). */
  readonly vsRaw?: number
  /** Median over the fastest peer's median. */
  readonly vsPeer?: number
}

export interface CompareOptions {
  /** Timed rounds (at least 5). */
  readonly rounds?: number
  /** Untimed runs of each contender before the first round. */
  readonly warmup?: number
  /** Throws when a contender's warm-up result is not what every library must return. */
  readonly check: (name: string, result: unknown) => void
  /** The baseline for `vsRaw` (default: the first raw contender). */
  readonly raw?: string
  /** Report ops/s (each contender's `ops` per run) instead of ms per run. */
  readonly throughput?: boolean
  /** Printed before the figures. */
  readonly title: string
  /**
   * Scavenge before each timed run (default true), so no contender pays for another's young
   * garbage. Off for short CPU-bound runs (W1), where even a scavenge per run would be timed noise.
   */
  readonly collectGarbage?: boolean
}

export const median = (xs: readonly number[]): number => {
  const s = [...xs].sort((a, b) => a - b)
  const m = s.length >> 1
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2
}

async function timed<TArg>(c: Contender<TArg>, gc = true): Promise<{ ms: number; result: unknown }> {
  const arg = c.before ? await c.before() : (undefined as TArg)
  if (gc) collect()
  const repeat = c.repeat ?? 1
  const start = performance.now()
  let result = await c.run(arg)
  for (let i = 1; i < repeat; i++) result = await c.run(arg)
  const ms = (performance.now() - start) / repeat
  if (c.after) await c.after()
  return { ms, result }
}

/**
 * Warms and checks each contender, then times them interleaved. Returns one summary per
 * contender, in the given order.
 */
export async function compare(contenders: readonly Contender<any>[], options: CompareOptions): Promise<Summary[]> {
  const rounds = Math.max(5, options.rounds ?? 5)
  const warmup = Math.max(1, options.warmup ?? 2)
  process.stdout.write(`  ${options.title}: warm-up`)
  for (const c of contenders) {
    for (let i = 0; i < warmup; i++) {
      const { result } = await timed(c, options.collectGarbage)
      if (i === 0) {
        try {
          options.check(c.name, result)
        } catch (error) {
          throw new Error(`${options.title}: ${c.name} returned the wrong result: ${(error as Error).message}`)
        }
      }
    }
  }
  const samples = new Map<string, number[]>(contenders.map((c) => [c.name, []]))
  for (let r = 0; r < rounds; r++) {
    process.stdout.write(` ${r + 1}`)
    for (const c of contenders) {
      const { ms } = await timed(c, options.collectGarbage)
      samples.get(c.name)!.push(options.throughput ? (c.ops ?? 1) / (ms / 1000) : ms)
    }
  }
  process.stdout.write('\n')
  return summarise(contenders, samples, options)
}

function summarise(contenders: readonly Contender<any>[], samples: Map<string, number[]>, options: CompareOptions): Summary[] {
  const stats = contenders.map((c) => {
    const xs = samples.get(c.name)!
    return { name: c.name, role: c.role, samples: xs, median: median(xs), min: Math.min(...xs), max: Math.max(...xs) }
  })
  const higherIsBetter = options.throughput === true
  const raw = stats.find((s) => (options.raw ? s.name === options.raw : s.role === 'raw'))
  const peers = stats.filter((s) => s.role === 'peer')
  const fastest = peers.length === 0 ? undefined : peers.reduce((a, b) => ((higherIsBetter ? b.median > a.median : b.median < a.median) ? b : a))
  return stats.map((s) => ({
    ...s,
    vsRaw: raw && s !== raw ? s.median / raw.median : undefined,
    vsPeer: fastest && s.role !== 'peer' ? s.median / fastest.median : fastest && s === fastest ? 1 : undefined,
  }))
}

/** The fastest peer of a set of summaries (by median). */
export function fastestPeer(stats: readonly Summary[], higherIsBetter = false): Summary | undefined {
  const peers = stats.filter((s) => s.role === 'peer')
  if (peers.length === 0) return undefined
  return peers.reduce((a, b) => ((higherIsBetter ? b.median > a.median : b.median < a.median) ? b : a))
}

/** One line describing the machine and how busy it is. */
export function machineLine(): string {
  const cpu = cpus()
  const model = cpu[0]?.model.trim() ?? 'unknown CPU'
  return `Node ${process.version}, ${model} × ${cpu.length}, load average ${loadavg().map((x) => x.toFixed(2)).join(' ')}`
}

/** Loose equality for checks: throws with both values when they differ. */
export function expectEqual(actual: unknown, expected: unknown, what: string): void {
  const a = JSON.stringify(actual)
  const e = JSON.stringify(expected)
  if (a !== e) throw new Error(`${what}: expected ${e}, got ${a}`)
}

/** Formats a number of milliseconds or ops/s compactly. */
export function fmt(x: number, digits = 3): string {
  if (!Number.isFinite(x)) return String(x)
  if (Math.abs(x) >= 1000) return Math.round(x).toLocaleString('en-US')
  return Number(x.toPrecision(digits)).toString()
}
