/**
 * W5: type-check cost. For Quarry, Drizzle and Kysely: an empty-import baseline, the 200-table
 * schema alone, and the schema with 100 typed queries, each checked with
 * `tsc --noEmit --extendedDiagnostics` (3 runs, interleaved); then Quarry at 500 tables, which must
 * check without TS2589 (or any error). Quarry is checked through declarations emitted from its
 * sources, as the peers are through their published .d.ts files.
 */
import { execFile } from 'node:child_process'
import { mkdirSync, rmSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { BENCH_DIR, OUT_DIR } from '../lib/db'
import { fmt, machineLine, median } from '../lib/harness'
import { finished, ratioTarget, type Table, type Target, type WorkloadResult } from '../lib/report'
import { writeApps, type AppLibrary } from './app'
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
const VARIANTS: Variant[] = ['empty', 'schema', 'full']

/** What is checked: Quarry as a user of the published package sees it (.d.ts), Drizzle, Kysely, and Quarry from its sources. */
interface Project {
  readonly key: 'quarryDts' | 'drizzle' | 'kysely' | 'quarrySrc'
  readonly name: string
  readonly lib: Library
  readonly runs: number
  readonly suffix?: string
  readonly paths?: Record<string, string[]>
}

/** Emits Quarry's declarations (`tsc --declaration --emitDeclarationOnly`) into `dir/dts`; returns index.d.ts. */
async function emitDeclarations(dir: string): Promise<string> {
  const folder = join(dir, 'dts')
  mkdirSync(folder, { recursive: true })
  const core = join(BENCH_DIR, '..', 'packages', 'core', 'src')
  writeFileSync(
    join(folder, 'tsconfig.json'),
    JSON.stringify({
      compilerOptions: {
        target: 'ES2022',
        lib: ['ES2022', 'ESNext.Disposable'],
        module: 'ESNext',
        moduleResolution: 'Bundler',
        strict: true,
        skipLibCheck: true,
        isolatedModules: true,
        verbatimModuleSyntax: true,
        types: ['node'],
        declaration: true,
        emitDeclarationOnly: true,
        outDir: join(folder, 'out'),
        rootDir: core,
      },
      files: [join(core, 'index.ts')],
    }),
  )
  rmSync(join(folder, 'out'), { recursive: true, force: true })
  await run(process.execPath, [TSC, '-p', folder], { maxBuffer: 64 << 20 }).catch((e: { stdout: string }) => {
    throw new Error(`emitting Quarry's declarations failed:\n${e.stdout.slice(0, 2000)}`)
  })
  return join(folder, 'out', 'index.d.ts')
}

const APP_RUNS = 5

/** The 5-table user app (bench/w5/app.ts): check time and instantiations per library, runs interleaved. */
async function appCheck(dir: string): Promise<{ table: Table; target: Target }> {
  const apps = writeApps(dir)
  const libs: AppLibrary[] = ['quarry', 'kysely', 'drizzle']
  const runs = new Map<AppLibrary, Diagnostics[]>()
  for (let r = 0; r < APP_RUNS; r++) {
    process.stdout.write(`  W5 app tsc round ${r + 1}/${APP_RUNS}\n`)
    for (const lib of libs) {
      const d = await tsc(apps[lib])
      if (d.errors.length) throw new Error(`app-${lib} has type errors:\n${d.errors.slice(0, 10).join('\n')}`)
      runs.set(lib, [...(runs.get(lib) ?? []), d])
    }
  }
  const stat = (lib: AppLibrary) => {
    const ds = runs.get(lib)!
    const checks = ds.map((d) => d.checkS)
    const totals = ds.map((d) => d.totalS)
    return { d: ds[0], check: median(checks), min: Math.min(...checks), max: Math.max(...checks), total: median(totals) }
  }
  const names: Record<AppLibrary, string> = { quarry: '**Quarry** (packed tarballs)', kysely: 'Kysely', drizzle: 'Drizzle' }
  const rows = libs.map((lib) => {
    const s = stat(lib)
    return [names[lib], `${fmt(s.check)} (${fmt(s.min)}–${fmt(s.max)})`, fmt(s.total), s.d.instantiations.toLocaleString('en-US'), s.d.types.toLocaleString('en-US'), fmt(s.d.memoryMB)]
  })
  const q = stat('quarry')
  const k = stat('kysely')
  return {
    table: {
      title: "A user's app: 5 tables, 4 queries (cold tsc, NodeNext, skipLibCheck)",
      note: `bench/w5/app.ts: select by key, a join with filters and order, an insert returning, an update, each as that library's user writes them. Quarry is unpacked from its npm pack tarballs, Kysely and Drizzle installed from npm. Median of ${APP_RUNS} runs, interleaved.`,
      headers: ['library', 'check time s (min–max)', 'total time s', 'instantiations', 'types', 'memory MB'],
      rows,
    },
    target: ratioTarget("Quarry check time ÷ Kysely's (5-table app)", q.check / k.check, 1),
  }
}

export async function w5(): Promise<WorkloadResult> {
  const started = performance.now()
  const machine = machineLine()
  const dir = join(OUT_DIR, 'w5')
  const app = await appCheck(dir)
  const dts = await emitDeclarations(dir)
  const projects: Project[] = [
    { key: 'quarryDts', name: 'Quarry (.d.ts)', lib: 'quarry', runs: RUNS, suffix: '-dts', paths: { '@quarry/core': [dts] } },
    { key: 'drizzle', name: 'Drizzle', lib: 'drizzle', runs: RUNS },
    { key: 'kysely', name: 'Kysely', lib: 'kysely', runs: RUNS },
    { key: 'quarrySrc', name: 'Quarry (sources)', lib: 'quarry', runs: 1 },
  ]
  const folders = new Map<string, string>()
  for (const p of projects) {
    const options = { suffix: p.suffix, paths: p.paths }
    folders.set(`${p.key}/empty`, generateOne(dir, p.lib, 0, 0, options))
    folders.set(`${p.key}/schema`, generateOne(dir, p.lib, TABLES, 0, options))
    folders.set(`${p.key}/full`, generateOne(dir, p.lib, TABLES, QUERIES, options))
  }
  const big = generateOne(dir, 'quarry', 500, QUERIES, { suffix: '-dts', paths: { '@quarry/core': [dts] } })

  const results = new Map<string, Diagnostics[]>()
  for (let r = 0; r < RUNS; r++) {
    process.stdout.write(`  W5 tsc round ${r + 1}/${RUNS}:`)
    for (const variant of VARIANTS) {
      for (const p of projects) {
        if (r >= p.runs) continue
        const key = `${p.key}/${variant}`
        const d = await tsc(folders.get(key)!)
        if (d.errors.length) throw new Error(`${key} has type errors:\n${d.errors.slice(0, 10).join('\n')}`)
        results.set(key, [...(results.get(key) ?? []), d])
        process.stdout.write(` ${p.key}-${variant}`)
      }
    }
    process.stdout.write('\n')
  }
  const at = (key: Project['key'], v: Variant) => {
    const ds = results.get(`${key}/${v}`)!
    const checks = ds.map((d) => d.checkS)
    return { ...ds[0], check: median(checks), checkMin: Math.min(...checks), checkMax: Math.max(...checks) }
  }
  const bold = (p: Project) => (p.lib === 'quarry' ? `**${p.name}**` : p.name)

  const rows: string[][] = []
  for (const p of projects) {
    for (const v of VARIANTS) {
      const d = at(p.key, v)
      const label = v === 'empty' ? 'empty import' : v === 'schema' ? `${TABLES} tables` : `${TABLES} tables + ${QUERIES} queries`
      const time = p.runs > 1 ? `${fmt(d.check)} (${fmt(d.checkMin)}–${fmt(d.checkMax)})` : fmt(d.check)
      rows.push([bold(p), label, time, d.instantiations.toLocaleString('en-US'), d.types.toLocaleString('en-US'), fmt(d.memoryMB)])
    }
  }
  const derived: string[][] = projects.map((p) => {
    const [e, s, f] = VARIANTS.map((v) => at(p.key, v))
    return [
      bold(p),
      (s.instantiations - e.instantiations).toLocaleString('en-US'),
      Math.round((f.instantiations - s.instantiations) / QUERIES).toLocaleString('en-US'),
      fmt(s.check - e.check),
      fmt((f.check - s.check) / QUERIES * 1000),
      fmt(f.check),
    ]
  })

  process.stdout.write(`  W5 tsc quarry-500 (.d.ts)\n`)
  const d500 = await tsc(big)
  const ts2589 = d500.errors.filter((e) => e.includes('TS2589'))

  const q = { e: at('quarryDts', 'empty'), s: at('quarryDts', 'schema'), f: at('quarryDts', 'full') }
  const dz = at('drizzle', 'full')
  const perQuery = (q.f.instantiations - q.s.instantiations) / QUERIES
  const perSchema = q.s.instantiations - q.e.instantiations
  const targets: Target[] = [
    { what: 'Quarry instantiations per query', target: '≤ 1,000', value: Math.round(perQuery).toLocaleString('en-US'), met: perQuery <= 1000 },
    { what: `Quarry instantiations for the ${TABLES}-table schema`, target: '≤ 20,000', value: perSchema.toLocaleString('en-US'), met: perSchema <= 20000 },
    ratioTarget(`Quarry check time ÷ Drizzle's (${TABLES} tables + ${QUERIES} queries)`, q.f.check / dz.check, 0.4),
    {
      what: 'Quarry at 500 tables + 100 queries: no TS2589',
      target: 'no error',
      value: d500.errors.length === 0 ? `no error (${d500.instantiations.toLocaleString('en-US')} instantiations, check ${fmt(d500.checkS)} s)` : `${d500.errors.length} errors, ${ts2589.length} TS2589: ${d500.errors[0]}`,
      met: d500.errors.length === 0,
    },
  ]
  targets.unshift(app.target)
  const tables: Table[] = [
    app.table,
    {
      title: 'tsc --noEmit --extendedDiagnostics',
      headers: ['library', 'file', 'check time s (min–max)', 'instantiations', 'types', 'memory MB'],
      rows,
    },
    {
      title: 'Derived: cost of the schema and of each query',
      note: 'Schema = schema-only minus empty import; per query = (schema + queries minus schema-only) / 100.',
      headers: ['library', 'schema instantiations', 'instantiations per query', 'schema check time s', 'check ms per query', 'whole-file check time s'],
      rows: derived,
    },
  ]
  return {
    id: 'w5',
    title: 'type-check cost (200 tables, 100 queries)',
    machine,
    ...finished(started),
    notes: [
      `Generated by bench/w5/generate.ts: ${TABLES} tables of 10 mixed columns with foreign keys to earlier tables, ${QUERIES} queries with 1–2 joins and chosen columns, each with its row type and compiled SQL, in each library's own style. TypeScript ${require('typescript/package.json').version}, the repository's compiler options, \`skipLibCheck\`.`,
      'Quarry (.d.ts) is checked against declarations emitted from packages/core/src, as a user of a published package would be, like Drizzle and Kysely (whose .d.ts files `skipLibCheck` skips). Quarry (sources) goes through the workspace link to the .ts files, so its empty import includes checking Quarry itself; it is shown for reference. Targets use the .d.ts figures.',
      `Check times: median of ${RUNS} runs, interleaved by library (one run for Quarry from sources).`,
    ],
    tables,
    targets,
  }
}

const require = createRequire(join(BENCH_DIR, '..', 'package.json'))
