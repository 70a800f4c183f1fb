/**
 * Results: each workload gives tables and target checks; RESULTS.md keeps one section per
 * workload, so running one workload replaces its own section and the target summary.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { BENCH_DIR } from './db'
import { fmt, machineLine, type Summary } from './harness'

export interface Table {
  readonly title: string
  readonly headers: readonly string[]
  readonly rows: readonly (readonly string[])[]
  readonly note?: string
}

export interface Target {
  readonly what: string
  readonly target: string
  readonly value: string
  /** `undefined`: not measured (pending, or the database was unreachable). */
  readonly met: boolean | undefined
}

export interface WorkloadResult {
  readonly id: string
  readonly title: string
  readonly machine: string
  readonly machineEnd: string
  readonly date: string
  readonly seconds: number
  readonly notes: readonly string[]
  readonly tables: readonly Table[]
  readonly targets: readonly Target[]
}

/** What every workload reports when it ends: the load then, the date and the seconds since `started` (a `performance.now()`). */
export function finished(started: number): Pick<WorkloadResult, 'machineEnd' | 'date' | 'seconds'> {
  return {
    machineEnd: machineLine().replace(/.*load average /, ''),
    date: new Date().toISOString().slice(0, 16).replace('T', ' '),
    seconds: (performance.now() - started) / 1000,
  }
}

const ratio = (x: number | undefined) => (x === undefined ? '' : `${x.toFixed(2)}×`)

/** A comparison as a table: median, min–max and the two ratios. */
export function statsTable(title: string, stats: readonly Summary[], unit: 'ms' | 'ops/s', note?: string): Table {
  return {
    title,
    note,
    headers: ['library', `median ${unit}`, 'min–max', '÷ raw', '÷ fastest peer'],
    rows: stats.map((s) => [
      s.role === 'quarry' ? `**${s.name}**` : s.name,
      fmt(s.median),
      `${fmt(s.min)}–${fmt(s.max)}`,
      ratio(s.vsRaw),
      s.role === 'peer' && s.vsPeer === 1 ? 'fastest peer' : ratio(s.vsPeer),
    ]),
  }
}

/** A target on a ratio: met when `value <= limit` (or `>=` for `atLeast`). */
export function ratioTarget(what: string, value: number | undefined, limit: number, atLeast = false): Target {
  if (value === undefined || !Number.isFinite(value)) return { what, target: `${atLeast ? '≥' : '≤'} ${limit}×`, value: 'n/a', met: undefined }
  return { what, target: `${atLeast ? '≥' : '≤'} ${limit}×`, value: `${value.toFixed(2)}×`, met: atLeast ? value >= limit : value <= limit }
}

export const pending = (what: string, target: string, why: string): Target => ({ what, target, value: why, met: undefined })

function renderTable(t: Table): string {
  const lines = [`**${t.title}**`, '']
  if (t.note) lines.push(t.note, '')
  lines.push(`| ${t.headers.join(' | ')} |`, `|${t.headers.map(() => '---').join('|')}|`)
  for (const row of t.rows) lines.push(`| ${row.join(' | ')} |`)
  return lines.join('\n')
}

const mark = (met: boolean | undefined) => (met === undefined ? '–' : met ? 'met' : '**missed**')

function renderSection(r: WorkloadResult): string {
  const lines = [
    `<!-- section:${r.id} -->`,
    `## ${r.id.toUpperCase()} ${r.title}`,
    '',
    `Run ${r.date}, ${r.seconds.toFixed(0)} s. Machine: ${r.machine}; at the end: load average ${r.machineEnd}.`,
    '',
  ]
  for (const note of r.notes) lines.push(`- ${note}`)
  if (r.notes.length) lines.push('')
  for (const t of r.tables) lines.push(renderTable(t), '')
  if (r.targets.length) {
    lines.push('| target | required | measured | |', '|---|---|---|---|')
    for (const t of r.targets) lines.push(`| ${t.what} | ${t.target} | ${t.value} | ${mark(t.met)} |`)
    lines.push('')
  }
  lines.push(`<!-- targets:${r.id} ${JSON.stringify(r.targets)} -->`, `<!-- /section:${r.id} -->`)
  return lines.join('\n')
}

const HEADER = `# Quarry benchmarks

Produced by \`npm run bench\` (all workloads) or \`npm run bench -- w2\` (one; its section below is
replaced). The code is in \`bench/\`; see \`bench/README.md\` for what each workload does.

Method: every contender is warmed first and its result checked (row counts and a sample row), so
no library is timed doing less work; then the contenders run interleaved (A B C A B C …) for at
least 5 rounds, with a scavenge (minor GC) before each timed run (not in W1: see there; not a full GC, which shrinks
V8's young generation: after one, Quarry's W4 U1 session ran 4.4× hand-batched instead of 1.5×). Figures are medians with min–max; "÷ raw"
is the median over the raw driver's median and "÷ fastest peer" the median over the best peer
library's median, both from the same run. For times lower is better; for ops/s higher is better.
The machine has 2 cores shared with other work, so check the load average of each section.
`

/** Writes RESULTS.md: the given sections replace their previous versions, others are kept. */
export function writeResults(results: readonly WorkloadResult[]): string {
  const file = join(BENCH_DIR, 'RESULTS.md')
  const sections = new Map<string, string>()
  if (existsSync(file)) {
    for (const m of readFileSync(file, 'utf8').matchAll(/<!-- section:(w\d) -->[\s\S]*?<!-- \/section:\1 -->/g)) sections.set(m[1], m[0])
  }
  for (const r of results) sections.set(r.id, renderSection(r))
  const ids = [...sections.keys()].sort()
  const summary = ['## Targets', '', '| workload | target | required | measured | |', '|---|---|---|---|---|']
  for (const id of ids) {
    const json = /<!-- targets:w\d (.*) -->/.exec(sections.get(id)!)?.[1]
    for (const t of (json ? JSON.parse(json) : []) as Target[]) summary.push(`| ${id.toUpperCase()} | ${t.what} | ${t.target} | ${t.value} | ${mark(t.met)} |`)
  }
  const text = [HEADER, summary.join('\n'), '', ...ids.map((id) => sections.get(id)! + '\n')].join('\n')
  writeFileSync(file, text)
  return file
}
