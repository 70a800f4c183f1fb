/**
 * The database servers the suite runs against, and how to reach them. Override with
 * QUARRY_PG_URL / QUARRY_MYSQL_URL; restrict with QUARRY_DIALECTS=sqlite,postgres.
 */
import type { DialectName } from '../../packages/core/src/dialects/dialect'

/** Every dialect the suite knows, in run order. */
export const DIALECTS: readonly DialectName[] = ['sqlite', 'postgres', 'mysql']

/** The base URL of each server (SQLite needs none: each test gets a file). */
export function serverUrl(dialect: DialectName): string {
  if (dialect === 'postgres') return process.env.QUARRY_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test'
  if (dialect === 'mysql') return process.env.QUARRY_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306/test'
  return 'sqlite::memory:'
}

/** The dialects selected by QUARRY_DIALECTS (all by default). */
export function selectedDialects(): DialectName[] {
  const wanted = process.env.QUARRY_DIALECTS?.split(',').map((name) => name.trim()).filter(Boolean)
  if (!wanted || wanted.length === 0) return [...DIALECTS]
  for (const name of wanted) {
    if (!DIALECTS.includes(name as DialectName)) throw new Error(`QUARRY_DIALECTS: unknown dialect '${name}' (use ${DIALECTS.join(', ')})`)
  }
  return DIALECTS.filter((dialect) => wanted.includes(dialect))
}

/** Availability of each dialect, decided once by the global setup. */
export type Availability = Record<DialectName, { readonly available: boolean; readonly reason?: string }>

declare module 'vitest' {
  export interface ProvidedContext {
    quarryDialects: Availability
  }
}

/** Connects to a server with its raw driver and runs `SELECT 1`; returns the failure, if any. */
export async function probe(dialect: DialectName): Promise<string | undefined> {
  const url = serverUrl(dialect)
  try {
    if (dialect === 'postgres') {
      const { default: postgres } = await import('postgres')
      const sql = postgres(url, { max: 1, connect_timeout: 3, onnotice: () => {} })
      try {
        await sql`select 1`
      } finally {
        await sql.end({ timeout: 1 })
      }
    } else if (dialect === 'mysql') {
      const mysql = await import('mysql2/promise')
      const connection = await mysql.createConnection({ uri: url.replace(/^mariadb:/, 'mysql:'), connectTimeout: 3000 })
      try {
        await connection.query('select 1')
      } finally {
        await connection.end()
      }
    } else {
      const { default: Database } = await import('better-sqlite3')
      new Database(':memory:').close()
    }
    return undefined
  } catch (error) {
    return error instanceof Error ? error.message || (error as { code?: string }).code || error.name : String(error)
  }
}

/** True when process `pid` still runs on this machine. */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    return (error as { code?: string }).code === 'EPERM'
  }
}

/** Drops per-test databases (PostgreSQL schemas) left behind by test processes that died. */
export async function dropStale(dialect: DialectName): Promise<void> {
  const stale = (name: string) => {
    const pid = Number(/^quarry_t_(\d+)_/.exec(name)?.[1])
    return Number.isInteger(pid) && !alive(pid)
  }
  const url = serverUrl(dialect)
  if (dialect === 'postgres') {
    const { default: postgres } = await import('postgres')
    const sql = postgres(url, { max: 1, connect_timeout: 3, onnotice: () => {} })
    try {
      const rows = await sql<{ name: string }[]>`SELECT nspname AS name FROM pg_namespace WHERE nspname LIKE 'quarry\_t\_%'`
      for (const { name } of rows) if (stale(name)) await sql.unsafe(`DROP SCHEMA IF EXISTS "${name}" CASCADE`)
    } finally {
      await sql.end({ timeout: 1 })
    }
  } else if (dialect === 'mysql') {
    const mysql = await import('mysql2/promise')
    const connection = await mysql.createConnection({ uri: url.replace(/^mariadb:/, 'mysql:'), connectTimeout: 3000 })
    try {
      const [rows] = await connection.query("SHOW DATABASES LIKE 'quarry\\_t\\_%'")
      for (const row of rows as Record<string, string>[]) {
        const name = Object.values(row)[0]!
        if (stale(name)) await connection.query(`DROP DATABASE IF EXISTS \`${name}\``)
      }
    } finally {
      await connection.end()
    }
  }
}
