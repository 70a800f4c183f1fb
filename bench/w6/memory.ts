/**
 * W6: memory while streaming. 1,000,000 generated rows are read through `engine.iterate()` and,
 * for comparison, `engine.all()`, at 100,000 and 1,000,000 rows, each in a child process of its
 * own that reports its peak RSS. Streaming is flat when its peak grows by at most 50 MB from
 * 100k to 1M rows.
 */
import { execFile } from 'node:child_process'
import { rmSync } from 'node:fs'
import { join } from 'node:path'
import { promisify } from 'node:util'
import postgres from 'postgres'
import { BENCH_DIR, OUT_DIR, openSqlite, PG_URL, pgAvailable, pgConfig } from '../lib/db'
import { fmt, machineLine } from '../lib/harness'
import * as q from '../lib/quarry'
import { finished, pending, type Table, type Target, type WorkloadResult } from '../lib/report'
import { schema } from './numbers'

const run = promisify(execFile)
const ROWS = 1_000_000
const SIZES = [100_000, ROWS]
const FLAT_MB = 50

interface Measurement {
  rows: number
  sum: number
  lastId: number
  decoded: boolean
  ms: number
  rssBeforeMB: number
  peakRssMB: number
}

async function setupSqlite(): Promise<string> {
  const file = join(OUT_DIR, 'w6.db')
  for (const suffix of ['', '-wal', '-shm']) rmSync(file + suffix, { force: true })
  const engine = q.createEngine(`sqlite:///${file}`)
  await engine.createAll(schema)
  await engine.close()
  const db = openSqlite(file)
  db.exec(`INSERT INTO numbers (id, label, amount, flag, created_at)
    WITH RECURSIVE s(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM s WHERE x < ${ROWS})
    SELECT x, 'row-' || x, x * 1.5, x % 2, strftime('%Y-%m-%d %H:%M:%f', 1704067200 + x, 'unixepoch') FROM s`)
  db.pragma('wal_checkpoint(TRUNCATE)')
  db.close()
  return `sqlite:///${file}`
}

async function setupPostgres(): Promise<string> {
  const engine = q.createEngine(PG_URL)
  await engine.dropAll(schema)
  await engine.createAll(schema)
  await engine.close()
  const sql = postgres({ ...pgConfig(), pass: pgConfig().password, onnotice: () => {} })
  try {
    await sql.unsafe(`INSERT INTO numbers (id, label, amount, flag, created_at)
      SELECT g, 'row-' || g, g * 1.5, g % 2 = 1, timestamp '2024-01-01' + g * interval '1 second' FROM generate_series(1, ${ROWS}) g`)
    await sql`VACUUM ANALYZE numbers`
  } finally {
    await sql.end()
  }
  return PG_URL
}

async function measure(url: string, mode: 'iterate' | 'all', rows: number): Promise<Measurement> {
  const child = join(BENCH_DIR, 'w6', 'child.ts')
  const { stdout } = await run(process.execPath, ['--import', 'tsx', child, url, mode, String(rows)], {
    cwd: join(BENCH_DIR, '..'),
    timeout: 300_000,
    maxBuffer: 1 << 20,
  })
  const m = JSON.parse(stdout.trim().split('\n').at(-1)!) as Measurement
  const sum = (1.5 * rows * (rows + 1)) / 2
  if (m.rows !== rows || m.lastId !== rows || Math.abs(m.sum - sum) > 1e-6 * sum || !m.decoded) {
    throw new Error(`${mode} of ${rows} rows on ${url}: got ${JSON.stringify(m)}, expected ${rows} rows, sum ${sum}, decoded values`)
  }
  return m
}

export async function w6(): Promise<WorkloadResult> {
  const started = performance.now()
  const machine = machineLine()
  const tables: Table[] = []
  const targets: Target[] = []
  const notes = [
    `Table \`numbers\` (id, label, amount double, flag boolean, created_at timestamp) with ${ROWS.toLocaleString('en-US')} generated rows; each measurement reads the first N rows ordered by id in a fresh \`node --import tsx\` process and reports \`process.resourceUsage().maxRSS\` (the whole process: Node, tsx, Quarry and the driver) and its RSS before the query. Every row is decoded (\`Date\`, \`boolean\`) and checked (count, sum, last id).`,
    'iterate(): SQLite streams with better-sqlite3 `.iterate()`; PostgreSQL with a postgres.js cursor of 256 rows.',
  ]
  const dbs: { name: string; setup: () => Promise<string> }[] = [{ name: 'SQLite', setup: setupSqlite }]
  if (await pgAvailable()) dbs.push({ name: 'PostgreSQL', setup: setupPostgres })
  else notes.push(`PostgreSQL did not answer at ${PG_URL}: measured on SQLite only.`)

  for (const db of dbs) {
    const url = await db.setup()
    const rows: string[][] = []
    const peaks: Record<string, number> = {}
    for (const mode of ['iterate', 'all'] as const) {
      for (const n of SIZES) {
        process.stdout.write(`  W6 ${db.name} ${mode} ${n.toLocaleString('en-US')} rows\n`)
        const m = await measure(url, mode, n)
        peaks[`${mode}/${n}`] = m.peakRssMB
        rows.push([mode === 'iterate' ? '**iterate()**' : 'all()', n.toLocaleString('en-US'), fmt(m.rssBeforeMB), fmt(m.peakRssMB), fmt(m.peakRssMB - m.rssBeforeMB), `${fmt(m.ms)}`])
      }
    }
    tables.push({ title: `${db.name}: peak RSS by rows read`, headers: ['method', 'rows', 'RSS before MB', 'peak RSS MB', 'peak − before MB', 'time ms'], rows })
    const growth = peaks[`iterate/${ROWS}`] - peaks[`iterate/${SIZES[0]}`]
    const allGrowth = peaks[`all/${ROWS}`] - peaks[`all/${SIZES[0]}`]
    targets.push({
      what: `${db.name}: iterate() peak RSS growth, 100k → 1M rows (all(): ${fmt(allGrowth)} MB)`,
      target: `≤ ${FLAT_MB} MB`,
      value: `${fmt(growth)} MB`,
      met: growth <= FLAT_MB,
    })
  }
  if (dbs.length === 1) targets.push(pending('PostgreSQL: iterate() peak RSS growth', `≤ ${FLAT_MB} MB`, 'not run: no PostgreSQL'))
  return {
    id: 'w6',
    title: 'memory: streaming 1,000,000 rows',
    machine,
    ...finished(started),
    notes,
    tables,
    targets,
  }
}
