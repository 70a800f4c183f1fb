/**
 * W5: type-check cost. For Quarry, Drizzle and Kysely: an empty-import baseline, the 200-table
 * schema alone, and the schema with 100 typed queries, each checked with
 * `tsc --noEmit --extendedDiagnostics` (3 runs, interleaved); then Quarry at 500 tables, which must
 * check without TS2589 (or any error).
 */
import { execFile } from 'node:child_process'
import { createRequire } from 'node:module'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { BENCH_DIR, OUT_DIR } from '../lib/db'
import { fmt, machineLine, median } from '../lib/harness'
import { ratioTarget, type Table, type Target, type WorkloadResult } from '../lib/report'
import { generateOne, type Library } from './generate'

const run = promisify(execFile)
/** The repository's TypeScript. */
const TSC = createRequire(join(BENCH_DIR, '..', 'package.json')).resolve('typescript/bin/tsc')
const TABLES = 200
const QUERIES = 100
const RUNS = 3

interface Diagnostics {
  checkS: number
  totalS: number
  instantiations: number
  types: number
  memoryMB: number
  errors: string[]
}

async function tsc(folder: string): Promise<Diagnostics> {
  const { stdout, code } = await run(process.execPath, [TSC, '-p', folder, '--noEmit', '--extendedDiagnostics'], { maxBuffer: 64 << 20 })
    .then((r) => ({ ...r, code: 0 }))
    .catch((e: { stdout: string; code: number }) => e)
  const num = (label: string) => {
    const m = new RegExp(`^${label}:\\s+([\\d.]+)`, 'm').exec(stdout)
    if (!m) throw new Error(`tsc output for ${folder} has no '${label}' (exit ${code}):\n${stdout.slice(0, 2000)}`)
    return Number(m[1])
  }
  return {
    checkS: num('Check time'),
    totalS: num('Total time'),
    instantiations: num('Instantiations'),
    types: num('Types'),
    memoryMB: num('Memory used') / 1024,
    errors: stdout.split('\n').filter((line) => /error TS\d+/.test(line)),
  }
}

type Variant = 'empty' | 'schema' | 'full'
const LIBS: Library[] = ['quarry', 'drizzle', 'kysely']
const NAMES: Record<Library, string> = { quarry: 'Quarry', drizzle: 'Drizzle', kysely: 'Kysely' }

export async function w5(): Promise<WorkloadResult> {
  const started = performance.now()
  const machine = machineLine()
  const dir = join(OUT_DIR, 'w5')
  const folders = new Map<string, string>()
  for (const lib of LIBS) {
    folders.set(`${lib}/empty`, generateOne(dir, lib, 0))
    folders.set(`${lib}/schema`, generateOne(dir, lib, TABLES, 0))
    folders.set(`${lib}/full`, generateOne(dir, lib, TABLES, QUERIES))
  }
  const big = generateOne(dir, 'quarry', 500, QUERIES)

  const results = new Map<string, Diagnostics[]>()
  for (let r = 0; r < RUNS; r++) {
    process.stdout.write(`  W5 tsc round ${r + 1}/${RUNS}:`)
    for (const variant of ['empty', 'schema', 'full'] as Variant[]) {
      for (const lib of LIBS) {
        const key = `${lib}/${variant}`
        const d = await tsc(folders.get(key)!)
        if (d.errors.length) throw new Error(`${key} has type errors:\n${d.errors.slice(0, 10).join('\n')}`)
        results.set(key, [...(results.get(key) ?? []), d])
        process.stdout.write(` ${lib}-${variant}`)
      }
    }
    process.stdout.write('\n')
  }
  const at = (lib: Library, v: Variant) => {
    const ds = results.get(`${lib}/${v}`)!
    const checks = ds.map((d) => d.checkS)
    return { ...ds[0], check: median(checks), checkMin: Math.min(...checks), checkMax: Math.max(...checks) }
  }

  const rows: string[][] = []
  for (const lib of LIBS) {
    for (const v of ['empty', 'schema', 'full'] as Variant[]) {
      const d = at(lib, v)
      const label = v === 'empty' ? 'empty import' : v === 'schema' ? `${TABLES} tables` : `${TABLES} tables + ${QUERIES} queries`
      rows.push([lib === 'quarry' ? `**${NAMES[lib]}**` : NAMES[lib], label, `${fmt(d.check)} (${fmt(d.checkMin)}–${fmt(d.checkMax)})`, d.instantiations.toLocaleString('en-US'), d.types.toLocaleString('en-US'), fmt(d.memoryMB)])
    }
  }
  const derived: string[][] = LIBS.map((lib) => {
    const [e, s, f] = (['empty', 'schema', 'full'] as Variant[]).map((v) => at(lib, v))
    return [
      lib === 'quarry' ? `**${NAMES[lib]}**` : NAMES[lib],
      (s.instantiations - e.instantiations).toLocaleString('en-US'),
      Math.round((f.instantiations - s.instantiations) / QUERIES).toLocaleString('en-US'),
      fmt(f.check - e.check),
      fmt(f.check),
    ]
  })

  process.stdout.write(`  W5 tsc quarry-500\n`)
  const d500 = await tsc(big)
  const ts2589 = d500.errors.filter((e) => e.includes('TS2589'))

  const q = { e: at('quarry', 'empty'), s: at('quarry', 'schema'), f: at('quarry', 'full') }
  const dz = { e: at('drizzle', 'empty'), f: at('drizzle', 'full') }
  const perQuery = (q.f.instantiations - q.s.instantiations) / QUERIES
  const perSchema = q.s.instantiations - q.e.instantiations
  const targets: Target[] = [
    { what: 'Quarry instantiations per query', target: '≤ 1,000', value: Math.round(perQuery).toLocaleString('en-US'), met: perQuery <= 1000 },
    { what: `Quarry instantiations for the ${TABLES}-table schema`, target: '≤ 20,000', value: perSchema.toLocaleString('en-US'), met: perSchema <= 20000 },
    ratioTarget('Quarry check time ÷ Drizzle\'s, whole file (Quarry\'s includes checking its own .ts sources)', q.f.check / dz.f.check, 0.4),
    ratioTarget('Quarry check time ÷ Drizzle\'s, above each one\'s empty import', (q.f.check - q.e.check) / (dz.f.check - dz.e.check), 0.4),
    {
      what: 'Quarry at 500 tables + 100 queries: no TS2589',
      target: 'no error',
      value: d500.errors.length === 0 ? `no error (${d500.instantiations.toLocaleString('en-US')} instantiations, check ${fmt(d500.checkS)} s)` : `${d500.errors.length} errors, ${ts2589.length} TS2589: ${d500.errors[0]}`,
      met: d500.errors.length === 0,
    },
  ]
  const tables: Table[] = [
    {
      title: 'tsc --noEmit --extendedDiagnostics',
      headers: ['library', 'file', 'check time s (min–max)', 'instantiations', 'types', 'memory MB'],
      rows,
    },
    {
      title: 'Derived: cost of the schema and of each query',
      note: 'Schema = schema-only minus empty import; per query = (schema + queries minus schema-only) / 100; net check = whole-file check time minus the empty import\'s.',
      headers: ['library', 'schema instantiations', 'instantiations per query', 'net check time s', 'whole-file check time s'],
      rows: derived,
    },
  ]
  return {
    id: 'w5',
    title: 'type-check cost (200 tables, 100 queries)',
    machine,
    machineEnd: machineLine().replace(/.*load average /, ''),
    date: new Date().toISOString().slice(0, 16).replace('T', ' '),
    seconds: (performance.now() - started) / 1000,
    notes: [
      `Generated by bench/w5/generate.ts: ${TABLES} tables of 10 mixed columns with foreign keys to earlier tables, ${QUERIES} queries with 1–2 joins and chosen columns, each with its row type and compiled SQL, in each library's own style. TypeScript ${require('typescript/package.json').version}, the repository's compiler options, \`skipLibCheck\`.`,
      'Quarry is checked from its .ts sources (the workspace link), so its empty import includes type-checking Quarry itself; Drizzle and Kysely ship .d.ts files, skipped by `skipLibCheck`. Instantiation figures subtract the baseline; check times are given both ways.',
      `Check times: median of ${RUNS} runs, interleaved by library.`,
    ],
    tables,
    targets,
  }
}

const require = createRequire(join(BENCH_DIR, '..', 'package.json'))
