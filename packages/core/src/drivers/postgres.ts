/**
 * postgres.js on the Driver interface: its own pool (`max`, `idle_timeout`, `max_lifetime`),
 * server-side prepared statements (`prepare: true`), rows as arrays through `.values()`, cursors
 * for streaming and `reserve()` for transactions.
 */
import type Postgres from 'postgres'
import { UrlError } from '../errors'
import type { Driver, DriverConfig, DriverConnection, DriverResult, IsolationLevel, QueryOptions, QueryTarget } from './driver'
import { importPeer } from './load'
import { isFatalPostgresError, translatePostgresError } from './postgres-errors'

const CURSOR_ROWS = 256
/** postgres.js refuses 65,534 parameters or more. */
const MAX_PARAMS = 65_533
/** Statements with more parameters (bulk insert chunks) are not kept prepared on the server. */
const PREPARE_MAX_PARAMS = 1000

type Sql = Postgres.Sql<Record<string, never>>
type ReservedSql = Postgres.ReservedSql<Record<string, never>>

/** Connects to PostgreSQL with postgres.js. */
export async function createPostgresDriver(config: DriverConfig): Promise<Driver> {
  const { sslmode, ssl, application_name: applicationName, search_path: urlSearchPath, connect_timeout: connectTimeout } = config.options
  const module = await importPeer<{ default: typeof Postgres }>('postgres', 'postgres', 'postgresql')
  const searchPath = config.searchPath?.join(', ') ?? urlSearchPath
  const { pool } = config
  const sql: Sql = module.default({
    host: config.host ?? 'localhost',
    port: config.port ?? 5432,
    ...(config.user !== undefined && { user: config.user }),
    ...(config.password !== undefined && { pass: config.password }),
    ...(config.database !== undefined && { database: config.database }),
    max: pool.size + pool.maxOverflow,
    idle_timeout: pool.idleTimeoutMs / 1000,
    ...(pool.recycleMs !== undefined && { max_lifetime: pool.recycleMs / 1000 }),
    connect_timeout: connectTimeout === undefined ? Math.max(1, Math.ceil(pool.timeoutMs / 1000)) : Number(connectTimeout),
    prepare: true,
    ssl: sslOption(sslmode ?? ssl),
    onnotice: () => {},
    transform: { undefined: null },
    connection: {
      application_name: applicationName ?? 'quarry',
      ...(searchPath !== undefined && { search_path: searchPath }),
    },
  })

  return {
    dialect: 'postgres',
    packageName: 'postgres',
    maxParams: MAX_PARAMS,
    maxConnections: pool.size + pool.maxOverflow,
    abortsTransactionOnError: true,
    pool: target(sql),
    async acquire(): Promise<DriverConnection> {
      const reserved: ReservedSql = await retryStale(() => sql.reserve())
      return {
        ...target(reserved),
        // A connection closed by the server already went back to postgres.js's closed queue.
        release: (broken?: boolean) => (broken ? undefined : reserved.release()),
      }
    },
    begin: (isolation?: IsolationLevel) => [isolation === undefined ? 'BEGIN' : `BEGIN ISOLATION LEVEL ${isolation.toUpperCase()}`],
    translateError: translatePostgresError,
    isFatal: isFatalPostgresError,
    close: () => sql.end({ timeout: 5 }),
  }
}

/**
 * When the server kills a connection, postgres.js fails the running statement with
 * CONNECTION_CLOSED but keeps the server's FATAL message, and hands it to the first statement
 * on the reconnected connection. That statement never ran, so it is safe to send it again.
 */
function isStaleFatal(error: unknown): boolean {
  const fields = error as { name?: string; severity?: string; code?: string }
  return fields?.name === 'PostgresError' && fields.severity === 'FATAL' && (fields.code === '57P01' || fields.code === '57P02')
}

async function retryStale<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run()
  } catch (error) {
    if (!isStaleFatal(error)) throw error
    return run()
  }
}

function target(sql: Sql): QueryTarget {
  return {
    async query(text: string, params: readonly unknown[], options: QueryOptions): Promise<DriverResult> {
      const rows = await retryStale(() => {
        const query = sql.unsafe(text, params as never[], { prepare: params.length <= PREPARE_MAX_PARAMS })
        return options.arrays ? query.values() : query
      })
      // Objects go to the caller as they are: a plain array, not postgres.js's Result.
      return { rows: options.arrays ? rows : Array.from(rows), rowsAffected: rows.count ?? rows.length }
    },
    async *stream(text: string, params: readonly unknown[], options: QueryOptions): AsyncIterable<unknown> {
      for (let attempt = 0; ; attempt++) {
        const query = sql.unsafe(text, params as never[], { prepare: params.length <= PREPARE_MAX_PARAMS })
        let started = false
        try {
          for await (const batch of (options.arrays ? query.values() : query).cursor(CURSOR_ROWS)) {
            started = true
            yield* batch
          }
          return
        } catch (error) {
          if (started || attempt > 0 || !isStaleFatal(error)) throw error
        }
      }
    },
  }
}

function sslOption(value: string | undefined): boolean | 'require' | 'prefer' | 'verify-full' | 'allow' {
  if (value === undefined || value === 'disable' || value === 'false') return false
  if (value === 'true') return 'require'
  if (value === 'require' || value === 'prefer' || value === 'verify-full' || value === 'allow') return value
  throw new UrlError(`PostgreSQL URL option sslmode=${value} is invalid (use disable, allow, prefer, require or verify-full)`)
}
