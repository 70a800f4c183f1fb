/**
 * Engine options and their defaults (SQLAlchemy's: 5 pooled connections, 10 more on demand,
 * 30 s to wait for one).
 */
import type { DialectName } from '../dialects/dialect.js'
import type { ResolvedPool } from '../drivers/driver.js'
import { QuarryError, UrlError } from '../errors.js'
import { checkTimeout } from './limit.js'
import type { EchoOption } from './echo.js'

/** Connection pool settings. */
export interface PoolOptions {
  /** Connections kept open (default 5). */
  readonly size?: number
  /** Extra connections opened under load and closed when idle (default 10). */
  readonly maxOverflow?: number
  /** How long to wait for a free connection before `PoolTimeoutError` (default 30,000 ms). */
  readonly timeoutMs?: number
  /** Close connections idle for this long (default 60,000 ms). */
  readonly idleTimeoutMs?: number
  /** Replace connections older than this (default: the driver's). */
  readonly recycleMs?: number
}

/** Options of `createEngine`. */
export interface EngineOptions {
  readonly pool?: PoolOptions
  /** `true` logs every statement with its parameters and duration; a function receives each event instead. */
  readonly echo?: EchoOption
  /** PostgreSQL: the schemas to search, first one first (sets `search_path` on every connection). */
  readonly searchPath?: string | readonly string[]
  /**
   * Check json values against their column's declared zod schema before sending them (default
   * true); a rejected value throws a `DataError` (`JsonSchemaError`) naming the column and the issues.
   */
  readonly validateJson?: boolean
  /**
   * Cancel a statement on the server when it runs longer than this many milliseconds, with a
   * `StatementTimeoutError` (default: no limit). A transaction's `statementTimeoutMs` and a call's
   * `timeoutMs` take precedence. On PostgreSQL, `?statement_timeout=` in the URL sets it too. Not
   * available on SQLite, whose driver cannot interrupt a statement.
   */
  readonly statementTimeoutMs?: number
  /**
   * PostgreSQL behind PgBouncer in transaction pooling (`?pooler=transaction` in the URL sets it
   * too): no named prepared statements, and session state (session-level SET, RESET, LISTEN,
   * session advisory locks) refused with a `PoolerError`; use SET LOCAL and pg_advisory_xact_lock
   * inside transactions. `searchPath` is refused with it. Run migrations on a direct URL.
   * @example createEngine('postgresql://app@pgbouncer:6432/shop', { pooler: 'transaction' })
   */
  readonly pooler?: 'transaction'
}

function check(name: string, value: number | undefined, fallback: number, min: number): number {
  if (value === undefined) return fallback
  if (typeof value !== 'number' || !Number.isFinite(value) || value < min) {
    throw new QuarryError(`pool.${name} must be a number ≥ ${min} (got ${String(value)})`)
  }
  return value
}

/** Pool settings with defaults applied and checked. SQLite always uses one connection. */
export function resolvePool(options: PoolOptions | undefined, dialect: DialectName): ResolvedPool {
  const pool = options ?? {}
  const size = Math.floor(check('size', pool.size, 5, 1))
  const maxOverflow = Math.floor(check('maxOverflow', pool.maxOverflow, 10, 0))
  return {
    size: dialect === 'sqlite' ? 1 : size,
    maxOverflow: dialect === 'sqlite' ? 0 : maxOverflow,
    timeoutMs: check('timeoutMs', pool.timeoutMs, 30_000, 0),
    idleTimeoutMs: check('idleTimeoutMs', pool.idleTimeoutMs, 60_000, 1),
    recycleMs: pool.recycleMs === undefined ? undefined : check('recycleMs', pool.recycleMs, 0, 1),
  }
}

/** The search path as a list of schema names. */
export function resolveSearchPath(searchPath: EngineOptions['searchPath']): readonly string[] | undefined {
  if (searchPath === undefined) return undefined
  const list = typeof searchPath === 'string' ? [searchPath] : searchPath
  for (const schema of list) {
    if (typeof schema !== 'string' || schema === '') throw new QuarryError(`searchPath entries must be non-empty strings (got ${JSON.stringify(schema)})`)
  }
  return list.map((schema) => (/^[a-z_][a-z0-9_$]*$/.test(schema) ? schema : `"${schema.replace(/"/g, '""')}"`))
}

const TIMEOUT_UNITS: Readonly<Record<string, number>> = { '': 1, ms: 1, s: 1000, min: 60_000, h: 3_600_000 }

/**
 * The engine's statement timeout: the option, or PostgreSQL's `statement_timeout` URL option
 * (milliseconds, or a number with ms, s, min or h as the server reads it; 0 means none). Both
 * given and different is an error: neither may silently win.
 */
export function resolveStatementTimeout(option: number | undefined, urlValue: string | undefined, display: string): number | undefined {
  const fromOption = checkTimeout('statementTimeoutMs', option)
  if (urlValue === undefined) return fromOption
  const match = /^\s*(\d+)\s*(ms|s|min|h|)\s*$/.exec(urlValue)
  if (match === null) throw new UrlError(`URL option statement_timeout=${urlValue} in '${display}' is invalid: give milliseconds, or a number with ms, s, min or h`)
  const fromUrl = Number(match[1]) * TIMEOUT_UNITS[match[2]!]!
  const resolved = fromUrl === 0 ? undefined : checkTimeout('statement_timeout', fromUrl)
  if (fromOption !== undefined && fromOption !== resolved) {
    throw new QuarryError(`statementTimeoutMs: ${fromOption} and the URL's statement_timeout=${urlValue} disagree in '${display}': give one of them`)
  }
  return resolved
}
