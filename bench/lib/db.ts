/**
 * The databases the benchmarks run on: a SQLite file in WAL mode and a PostgreSQL database of
 * its own (`quarry_bench`, so the test suite's database is left alone). Both get the blog schema
 * from Quarry's own DDL and the generated data, loaded with the raw drivers.
 */
import { readFileSync, rmSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import './one-sqlite'
import type BetterSqlite3 from 'better-sqlite3'
import postgres from 'postgres'
import * as data from './data'
import { createEngine } from './quarry'
import { schema } from '../../examples/blog-schema'

/** bench/ (overridable for bundles, which no longer live there: see profile/run.sh). */
export const BENCH_DIR = process.env.QUARRY_BENCH_DIR ?? resolve(dirname(fileURLToPath(import.meta.url)), '..')
export const OUT_DIR = join(BENCH_DIR, '.out')

/** better-sqlite3 as Quarry loads it (the root's copy): every contender uses this one (see one-sqlite.ts). */
export const rootRequire = createRequire(join(BENCH_DIR, '..', 'package.json'))
export const Database = rootRequire('better-sqlite3') as typeof BetterSqlite3
/** The version of a package as the repository root resolves it. */
export const rootVersion = (name: string): string =>
  (JSON.parse(readFileSync(join(BENCH_DIR, '..', 'node_modules', name, 'package.json'), 'utf8')) as { version: string }).version

/** Opens a SQLite connection as every contender gets it: WAL, foreign keys on. */
export function openSqlite(file: string): BetterSqlite3.Database {
  const db = new Database(file)
  db.pragma('journal_mode = WAL')
  db.pragma('foreign_keys = ON')
  return db
}

export const PG_URL = process.env.QUARRY_BENCH_PG_URL ?? 'postgresql://postgres@127.0.0.1:5432/quarry_bench'

/** Connection settings of `PG_URL`, for the clients that take them apart. */
export function pgConfig(): { host: string; port: number; user: string; password?: string; database: string } {
  const url = new URL(PG_URL)
  return {
    host: url.hostname,
    port: Number(url.port || 5432),
    user: decodeURIComponent(url.username || 'postgres'),
    ...(url.password && { password: decodeURIComponent(url.password) }),
    database: url.pathname.slice(1),
  }
}

/** A fresh SQLite file with the blog schema and data; returns its path. */
export async function setupSqlite(name: string): Promise<string> {
  const file = join(OUT_DIR, `${name}.db`)
  for (const suffix of ['', '-wal', '-shm']) rmSync(file + suffix, { force: true })
  const engine = createEngine(`sqlite:///${file}`)
  await engine.createAll(schema)
  await engine.close()
  const db = openSqlite(file)
  const insertUser = db.prepare('INSERT INTO users (id, username, email, bio, deleted_at, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)')
  const insertPost = db.prepare('INSERT INTO posts (id, title, body, author_id) VALUES (?, ?, ?, ?)')
  const insertTag = db.prepare('INSERT INTO tags (id, name) VALUES (?, ?)')
  const insertPostTag = db.prepare('INSERT INTO post_tags (post_id, tag_id) VALUES (?, ?)')
  db.transaction(() => {
    for (const u of data.users()) insertUser.run(u.id, u.username, u.email, u.bio, u.deleted_at, u.created_at, u.updated_at)
    for (const p of data.posts()) insertPost.run(p.id, p.title, p.body, p.author_id)
    for (const t of data.tags()) insertTag.run(t.id, t.name)
    for (const pt of data.postTags()) insertPostTag.run(pt.post_id, pt.tag_id)
  })()
  db.exec('ANALYZE')
  db.pragma('wal_checkpoint(TRUNCATE)')
  db.close()
  return file
}

/** Creates the benchmark database when missing. */
async function ensurePgDatabase(): Promise<void> {
  const config = pgConfig()
  const admin = postgres({ ...config, pass: config.password, database: 'postgres', onnotice: () => {} })
  try {
    const found = await admin`SELECT 1 FROM pg_database WHERE datname = ${config.database}`
    if (found.length === 0) await admin.unsafe(`CREATE DATABASE "${config.database.replace(/"/g, '""')}"`)
  } finally {
    await admin.end()
  }
}

/** Recreates the blog schema and data in the PostgreSQL benchmark database. */
export async function setupPostgres(): Promise<void> {
  await ensurePgDatabase()
  const engine = createEngine(PG_URL)
  await engine.dropAll(schema)
  await engine.createAll(schema)
  await engine.close()
  const config = pgConfig()
  const sql = postgres({ ...config, pass: config.password, onnotice: () => {} })
  try {
    await sql.begin(async (tx) => {
      const chunks = async (rows: object[], table: string, size: number) => {
        for (let i = 0; i < rows.length; i += size) await tx`INSERT INTO ${tx(table)} ${tx(rows.slice(i, i + size) as never)}`
      }
      await chunks(data.users(), 'users', 1000)
      await chunks(data.posts(), 'posts', 2000)
      await chunks(data.tags(), 'tags', 1000)
      await chunks(data.postTags(), 'post_tags', 10000)
      for (const table of ['users', 'posts', 'tags']) {
        await tx.unsafe(`SELECT setval(pg_get_serial_sequence('${table}', 'id'), (SELECT max(id) FROM ${table}))`)
      }
    })
    await sql`VACUUM ANALYZE`
  } finally {
    await sql.end()
  }
}

/** Whether PostgreSQL answers at `PG_URL`. */
export async function pgAvailable(): Promise<boolean> {
  const config = pgConfig()
  const sql = postgres({ ...config, pass: config.password, database: 'postgres', connect_timeout: 3, onnotice: () => {} })
  try {
    await sql`SELECT 1`
    return true
  } catch {
    return false
  } finally {
    await sql.end({ timeout: 1 })
  }
}
