/**
 * The small interface every driver maps its client library onto. Drivers are the wire only:
 * they open connections, run SQL text with positional parameters, stream rows and translate
 * the client's errors. SQL generation, result shaping and pooling policy live in the engine.
 *
 * Values as drivers return them (what `Dialect.decode` receives):
 * - better-sqlite3: numbers, strings, Buffers, null; every integer is a `bigint` when the query
 *   asks for `bigints` (a result field declared `bigint`).
 * - postgres (postgres.js): int8 and numeric as strings, date/timestamp/timestamptz and json as
 *   the server's text, bytea as Buffer, booleans as booleans, int2/int4/float as numbers.
 * - mysql2 (`timezone: 'Z'`, `supportBigNumbers` + `bigNumberStrings`, `jsonStrings`): BIGINT and
 *   DECIMAL as strings, DATETIME/TIMESTAMP/DATE as `Date` read as UTC, TINYINT(1) as a number,
 *   JSON as text, binary as Buffer.
 */
import type { ConnectionFunction, DialectName, IsolationLevel } from '../dialects/dialect.js'

export type { IsolationLevel }

/** Pool settings after defaults, in milliseconds. */
export interface ResolvedPool {
  readonly size: number
  readonly maxOverflow: number
  readonly timeoutMs: number
  readonly idleTimeoutMs: number
  /** Close connections older than this; `undefined` keeps the driver's default. */
  readonly recycleMs?: number
}

/** Everything a driver needs to connect, taken from the URL and the engine options. */
export interface DriverConfig {
  readonly host?: string
  readonly port?: number
  readonly user?: string
  readonly password?: string
  readonly database?: string
  /** SQLite file name, or `:memory:`. */
  readonly filename?: string
  /** `?key=value` options from the URL, checked by the driver. */
  readonly options: Readonly<Record<string, string>>
  readonly pool: ResolvedPool
  /** PostgreSQL `search_path`. */
  readonly searchPath?: readonly string[]
  /** Functions to register on every connection (the dialect's), where the client can. */
  readonly functions?: readonly ConnectionFunction[]
  /** PostgreSQL behind a transaction pooler (PgBouncer): no prepared statements, no session state. */
  readonly pooler?: 'transaction'
}

/** How to run one statement. */
export interface QueryOptions {
  /** Rows as arrays in column order (fast path) instead of objects keyed by column name. */
  readonly arrays: boolean
  /** Return integers as `bigint` where the driver otherwise loses precision (SQLite). */
  readonly bigints?: boolean
  /** Only the first row is wanted (`first`, `scalar`): a driver may stop reading after it (SQLite). */
  readonly first?: boolean
  /**
   * Rows as the first column's values (`[1, 2]` instead of `[[1], [2]]`): no array per row. Only
   * drivers that declare `plucks` honour it, and the engine asks only those.
   */
  readonly pluck?: boolean
  /**
   * The text is a script of several statements, run in order (`engine.executeScript`). Without
   * it a driver must refuse text holding more than one statement, so that a value pasted into
   * raw SQL can never append a statement of its own.
   */
  readonly script?: boolean
}

/** What one statement produced. */
export interface DriverResult {
  readonly rows: readonly unknown[]
  readonly rowsAffected: number
  /** The first generated id of an INSERT, where the driver reports one. */
  readonly insertId?: number | bigint
}

/** Something that runs SQL: a pooled connection or the pool itself. */
export interface QueryTarget {
  query(sql: string, params: readonly unknown[], options: QueryOptions): Promise<DriverResult>
  /** The same, synchronously, for drivers that are synchronous (better-sqlite3): no await on the hot path. */
  querySync?(sql: string, params: readonly unknown[], options: QueryOptions): DriverResult
  /** Rows one at a time without buffering the result; breaking out early cleans up. */
  stream(sql: string, params: readonly unknown[], options: QueryOptions): AsyncIterable<unknown>
}

/** A connection lent by the pool; hand it back with `release`. */
export interface DriverConnection extends QueryTarget {
  /** Return the connection; `broken` closes it instead of reusing it. */
  release(broken?: boolean): void
  /**
   * Asks the server to cancel the statement running on this connection (over another connection:
   * PostgreSQL's cancel request, MySQL's `KILL QUERY`); settles once asked. Absent where a
   * statement cannot be interrupted (better-sqlite3 runs each one synchronously).
   */
  cancel?(): Promise<void>
}


/** One client library behind one small interface. */
export interface Driver {
  readonly dialect: DialectName
  /** The npm package this driver wraps. */
  readonly packageName: string
  /** The driver's own bind-parameter limit when it is lower than the database's. */
  readonly maxParams?: number
  /** True when the driver honours `QueryOptions.pluck` (better-sqlite3); others always return arrays. */
  readonly plucks?: boolean
  /** The most connections the engine may use at once (SQLite: 1). */
  readonly maxConnections: number
  /**
   * True when statements sent on one connection without waiting are answered in order, so BEGIN
   * can travel with the transaction's first statement instead of costing a round trip of its own.
   */
  readonly pipelinesBegin: boolean
  /**
   * The error for a statement this driver will not send (session state behind a transaction
   * pooler), or `undefined`; absent when every statement may go.
   */
  refuse?(sql: string, inTransaction: boolean): Error | undefined
  /** Runs one-off statements on any pooled connection. */
  readonly pool: QueryTarget
  /** Borrow one connection for a transaction or connection-scoped work. */
  acquire(): Promise<DriverConnection>
  /** The statements that open a transaction at the given isolation level. */
  begin(isolation?: IsolationLevel): readonly string[]
  /** Turn a client error into a `DatabaseError` (other errors are returned unchanged). */
  translateError(error: unknown, sql: string, params: readonly unknown[]): unknown
  /** True when the error means the connection is unusable (drop it from the pool). */
  isFatal(error: unknown): boolean
  /** True when a running statement can be canceled (connections offer `cancel`): statement timeouts need it. */
  readonly cancels: boolean
  /** True when the error is the server's answer to a cancel: the statement stopped, the connection is sound. */
  isCanceled(error: unknown): boolean
  /** Asks the server to cancel every statement running on this driver's connections (before closing). */
  cancelRunning(): Promise<void>
  /** Close every connection. */
  close(): Promise<void>
}
