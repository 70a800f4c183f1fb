/**
 * Statement timeouts and cancel signals. When a statement's timeout expires or its signal fires,
 * the server is asked to cancel it (PostgreSQL's cancel request, MySQL's `KILL QUERY`, both over
 * another connection). Its connection is kept only when the server answers with its cancel error:
 * a statement that answers otherwise, or not within `CANCEL_GRACE_MS`, costs the connection, since
 * a cancel arriving late could stop the next statement on it, and a server that does not answer
 * (a frozen network) may never answer.
 */
import type { Driver, DriverResult, QueryOptions } from '../drivers/driver.js'
import { QuarryError, StatementCanceledError, StatementTimeoutError } from '../errors.js'
import { exchange, type Held, type Runtime } from './runtime.js'

/** How long a canceled statement has to answer before its connection is given up. */
const CANCEL_GRACE_MS = 2000
/** The longest timer Node keeps (about 24.8 days). */
const MAX_TIMEOUT_MS = 2 ** 31 - 1

/**
 * Per-call options of the statement methods.
 * @example await engine.all(select(reports), undefined, { timeoutMs: 5_000, signal: request.signal })
 */
export interface StatementOptions {
  /** Cancel the statement on the server after this many milliseconds (`StatementTimeoutError`). */
  readonly timeoutMs?: number
  /** Cancel the statement on the server when this signal aborts (`StatementCanceledError`). */
  readonly signal?: AbortSignal
}

/** What a statement runs under: a timeout, a signal, or both. */
export interface Limit {
  readonly timeoutMs: number | undefined
  readonly signal: AbortSignal | undefined
}

/** Checks a timeout option: a whole number of milliseconds, or `undefined` for none. */
export function checkTimeout(name: string, value: unknown): number | undefined {
  if (value === undefined) return undefined
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > MAX_TIMEOUT_MS) {
    throw new QuarryError(`${name} must be a whole number of milliseconds from 1 to ${MAX_TIMEOUT_MS} (got ${String(value)})`)
  }
  return value
}

/** The limit of one call: its own options over the default timeout of where it runs; `undefined` for none. */
export function limitOf(defaultTimeoutMs: number | undefined, options: StatementOptions | undefined): Limit | undefined {
  if (options === undefined) return defaultTimeoutMs === undefined ? undefined : { timeoutMs: defaultTimeoutMs, signal: undefined }
  if (options === null || typeof options !== 'object') {
    throw new QuarryError(`statement options must be an object like { timeoutMs, signal } (got ${options === null ? 'null' : typeof options})`)
  }
  const unknown = Object.keys(options).find((key) => key !== 'timeoutMs' && key !== 'signal')
  if (unknown !== undefined) throw new QuarryError(`unknown statement option '${unknown}' (use timeoutMs, signal)`)
  const timeoutMs = checkTimeout('timeoutMs', options.timeoutMs) ?? defaultTimeoutMs
  const { signal } = options
  if (signal !== undefined && !(signal instanceof AbortSignal)) throw new QuarryError('the signal statement option must be an AbortSignal')
  return timeoutMs === undefined && signal === undefined ? undefined : { timeoutMs, signal }
}

/** Refuses a timeout where the driver cannot interrupt a running statement. */
export function checkCancels(driver: Driver, runtime: Runtime, what: string): void {
  if (driver.cancels) return
  throw new QuarryError(
    `${what} cannot be honoured on ${runtime.display}: ${driver.packageName} runs each statement synchronously, so nothing can interrupt one ` +
      '(an AbortSignal is checked before the statement starts)',
  )
}

/** The first keyword of a statement, for messages that must not show its values. */
function kindOf(sql: string): string {
  return /^\s*(?:\/\*[\s\S]*?\*\/\s*)*([a-z]+)/i.exec(sql)?.[1]?.toUpperCase() ?? 'SQL'
}

/** The error for a signal that had fired before the statement was sent. */
export function abortedBefore(sql: string, signal: AbortSignal): StatementCanceledError {
  return new StatementCanceledError(`the ${kindOf(sql)} statement was not sent: its AbortSignal had already aborted`, { sql, cause: signal.reason })
}

/**
 * Runs one statement on a held connection under a limit, with `exchange`'s echo and error
 * translation. On a timeout or abort it cancels the statement on the server and throws
 * `StatementTimeoutError` / `StatementCanceledError`; `held.broken` tells whether the connection
 * must be closed.
 */
export async function exchangeLimited(
  runtime: Runtime,
  driver: Driver,
  held: Held,
  sql: string,
  params: readonly unknown[],
  options: QueryOptions,
  limit: Limit,
): Promise<DriverResult> {
  const { connection } = held
  const { timeoutMs, signal } = limit
  if (signal?.aborted) throw abortedBefore(sql, signal)
  if (timeoutMs !== undefined) checkCancels(driver, runtime, `a statement timeout of ${timeoutMs} ms`)
  // A synchronous driver: the signal cannot fire while the statement runs.
  if (connection.cancel === undefined) return exchange(runtime, driver, connection, sql, params, options, held)
  let reason: 'timeout' | 'signal' | undefined
  let grace: ReturnType<typeof setTimeout> | undefined
  let giveUp!: (value: { gaveUp: true }) => void
  const gaveUp = new Promise<{ gaveUp: true }>((resolve) => (giveUp = resolve))
  const fire = (why: 'timeout' | 'signal') => {
    if (reason !== undefined) return
    reason = why
    connection.cancel!().catch(() => undefined)
    grace = setTimeout(() => giveUp({ gaveUp: true }), CANCEL_GRACE_MS)
  }
  const timer = timeoutMs === undefined ? undefined : setTimeout(() => fire('timeout'), timeoutMs)
  const onAbort = () => fire('signal')
  signal?.addEventListener('abort', onAbort)
  const running = exchange(runtime, driver, connection, sql, params, options, held).then(
    (result) => ({ result }),
    (error: unknown) => ({ error }),
  )
  let outcome: { result: DriverResult } | { error: unknown } | { gaveUp: true }
  try {
    outcome = await Promise.race([running, gaveUp])
  } finally {
    clearTimeout(timer)
    clearTimeout(grace)
    signal?.removeEventListener('abort', onAbort)
  }
  if (reason === undefined) {
    if ('error' in outcome) throw outcome.error
    return (outcome as { result: DriverResult }).result
  }
  const failure = 'error' in outcome ? outcome.error : undefined
  const confirmed = failure !== undefined && driver.isCanceled((failure as { cause?: unknown }).cause ?? failure)
  const error = stopped(sql, reason, timeoutMs, signal, confirmed ? undefined : 'gaveUp' in outcome ? 'silent' : 'unconfirmed', failure)
  if (!confirmed) held.broken = true
  if (held.inTransaction && (held.failure === failure || !confirmed)) held.failure = error
  throw error
}

/** The error for a statement stopped by its timeout or signal, saying what became of the connection. */
function stopped(
  sql: string,
  reason: 'timeout' | 'signal',
  timeoutMs: number | undefined,
  signal: AbortSignal | undefined,
  connection: 'silent' | 'unconfirmed' | undefined,
  failure: unknown,
): StatementCanceledError {
  const kind = kindOf(sql)
  const after =
    connection === 'silent'
      ? `; the server did not answer within ${CANCEL_GRACE_MS} ms more, so its connection was closed`
      : connection === 'unconfirmed'
        ? '; the server did not confirm the cancel, so its connection was closed'
        : ''
  if (reason === 'timeout') {
    return new StatementTimeoutError(`the ${kind} statement ran longer than its statement timeout of ${timeoutMs} ms and was canceled${after}`, timeoutMs!, {
      sql,
      cause: failure,
    })
  }
  return new StatementCanceledError(`the ${kind} statement was canceled by its AbortSignal${after}`, { sql, cause: signal?.reason ?? failure })
}
