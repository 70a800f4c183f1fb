/**
 * The engine's shared state and the one place statements meet the driver: echo timing and
 * error translation happen here, for every statement on every kind of connection.
 */
import type { Dialect } from '../dialects/dialect.js'
import type { Driver, DriverConnection, DriverResult, QueryOptions, QueryTarget } from '../drivers/driver.js'
import { CompileError, EngineClosedError } from '../errors.js'
import type { EchoEvent } from './echo.js'
import type { Gate } from './gate.js'
import type { Limit } from './limit.js'
import type { TransactionOptions } from './engine.types.js'

/** Per-engine state. */
export interface Runtime {
  readonly dialect: Dialect
  readonly gate: Gate
  readonly echo: ((event: EchoEvent) => void) | undefined
  /** The URL with its password masked, for messages. */
  readonly display: string
  /** Json values are checked against their column's schema before they are sent (`validateJson`). */
  readonly validateJson: boolean
  /** The engine's `statementTimeoutMs`, for statements given no other. */
  readonly statementTimeoutMs: number | undefined
  /** Whether the driver honours `QueryOptions.pluck`; false until the driver has loaded. */
  plucks: boolean
  /** The driver, loaded on first use; throws `EngineClosedError` after `close()`. */
  open(): Promise<Driver>
}

/** A connection whose state the engine tracks while it is held (transactions, `connect()`). */
export interface Held {
  readonly connection: DriverConnection
  /** The connection died: close it instead of returning it to the pool. */
  broken: boolean
  inTransaction: boolean
  /**
   * The error that aborted the current transaction, until rollback (to a savepoint): on every
   * dialect, as PostgreSQL does, so a later commit never commits the statements around a failure.
   */
  failure: Error | undefined
  savepoints: number
  /** A BEGIN sent but not yet answered: the first statement goes out behind it (pipelined drivers). */
  begun?: Promise<void>
}

/** Where statements run: the pool, or one held connection. */
export interface Site {
  readonly runtime: Runtime
  /** The statement timeout of statements run here that name none (engine's, or the transaction's). */
  readonly timeoutMs: number | undefined
  /** Runs one statement; under `limit`, it is canceled on the server when the limit is reached. */
  send(sql: string, params: readonly unknown[], options: QueryOptions, limit?: Limit): Promise<DriverResult>
  /**
   * Runs the statement at once when the driver is synchronous and a connection is free without
   * waiting; `undefined` when it cannot (then use `send`).
   */
  sendSync?(sql: string, params: readonly unknown[], options: QueryOptions): DriverResult | undefined
  stream(sql: string, params: readonly unknown[], options: QueryOptions): AsyncIterable<unknown>
  /** Runs `fn` atomically: a new transaction, or a savepoint inside one. */
  atomic<TResult>(fn: (inner: Site) => Promise<TResult>, options?: TransactionOptions): Promise<TResult>
}

/** Echoes a finished statement (when echo is on) and hands its result back. */
function succeeded(runtime: Runtime, start: number, sql: string, params: readonly unknown[], result: DriverResult): DriverResult {
  runtime.echo?.({ sql, params, durationMs: performance.now() - start, rowCount: result.rows.length > 0 ? result.rows.length : result.rowsAffected })
  return result
}

/** Translates a driver failure, echoes it, and returns the error to throw. */
function rejected(runtime: Runtime, driver: Driver, start: number, raw: unknown, sql: string, params: readonly unknown[], held: Held | undefined): unknown {
  const error = failed(driver, raw, sql, params, held)
  runtime.echo?.({ sql, params, durationMs: performance.now() - start, error })
  return error
}

/**
 * Refuses a statement the driver will not send (`Driver.refuse`), or one with more bind parameters than the database (or its client) accepts before
 * it is sent: past the limit postgres.js fails with a misleading connection error and then leaves
 * the connection waiting forever, and the other clients fail later with their own messages.
 */
function checkParams(runtime: Runtime, driver: Driver, sql: string, params: readonly unknown[], held: Held | undefined): void {
  const refused = driver.refuse?.(sql, held?.inTransaction === true)
  if (refused !== undefined) throw refused
  if (params.length <= runtime.dialect.capabilities.maxParams && (driver.maxParams === undefined || params.length <= driver.maxParams)) return
  const limit = Math.min(runtime.dialect.capabilities.maxParams, driver.maxParams ?? Infinity)
  throw new CompileError(
    `this statement has ${params.length.toLocaleString('en-US')} parameters; ${runtime.dialect.name} (${driver.packageName}) accepts at most ` +
      `${limit.toLocaleString('en-US')} per statement: pass long lists to inArray (one array parameter on PostgreSQL), or split the work\n  SQL: ${sql.length > 200 ? sql.slice(0, 200) + '…' : sql}`,
  )
}

/** Runs one statement on `target` with echo and error translation; records failures on `held`. */
export async function exchange(
  runtime: Runtime,
  driver: Driver,
  target: QueryTarget,
  sql: string,
  params: readonly unknown[],
  options: QueryOptions,
  held?: Held,
): Promise<DriverResult> {
  checkParams(runtime, driver, sql, params, held)
  const start = runtime.echo === undefined ? 0 : performance.now()
  try {
    return succeeded(runtime, start, sql, params, await target.query(sql, params, options))
  } catch (raw) {
    throw rejected(runtime, driver, start, raw, sql, params, held)
  }
}

/** `exchange` for a synchronous driver: the same echo and error translation, without an await. */
export function exchangeSync(
  runtime: Runtime,
  driver: Driver,
  querySync: NonNullable<QueryTarget['querySync']>,
  sql: string,
  params: readonly unknown[],
  options: QueryOptions,
  held?: Held,
): DriverResult {
  checkParams(runtime, driver, sql, params, held)
  const start = runtime.echo === undefined ? 0 : performance.now()
  try {
    return succeeded(runtime, start, sql, params, querySync(sql, params, options))
  } catch (raw) {
    throw rejected(runtime, driver, start, raw, sql, params, held)
  }
}

/** Streams one statement's rows with echo (once, at the end) and error translation. */
export async function* streamRows(
  runtime: Runtime,
  driver: Driver,
  target: QueryTarget,
  sql: string,
  params: readonly unknown[],
  options: QueryOptions,
  held?: Held,
): AsyncIterable<unknown> {
  checkParams(runtime, driver, sql, params, held)
  const { echo } = runtime
  const start = echo === undefined ? 0 : performance.now()
  let count = 0
  try {
    for await (const row of target.stream(sql, params, options)) {
      count++
      yield row
    }
  } catch (raw) {
    throw rejected(runtime, driver, start, raw, sql, params, held)
  }
  if (echo !== undefined) echo({ sql, params, durationMs: performance.now() - start, rowCount: count })
}

function failed(driver: Driver, raw: unknown, sql: string, params: readonly unknown[], held: Held | undefined): unknown {
  const error = driver.translateError(raw, sql, params)
  if (held !== undefined) {
    if (driver.isFatal(raw)) held.broken = true
    if (held.inTransaction && error instanceof Error) held.failure ??= error
  }
  return error
}

/** The error for work on a closed engine. */
export function closedError(runtime: Runtime): EngineClosedError {
  return new EngineClosedError(`the engine for ${runtime.display} is closed`)
}
