/**
 * Retrying a whole transaction after the database rolled it back for a reason that may not
 * happen again: a serialization failure, a deadlock, a lock wait timeout, a Galera certification
 * failure. Which errors qualify is decided by each driver's error module (`retryable` on the
 * error); this module only re-runs, waits (exponential backoff with full jitter) and gives up.
 */
import { DatabaseError, QuarryError } from '../errors.js'

/** Exponential backoff: the n-th wait is random in [0, min(maxMs, initialMs · factorⁿ⁻¹)] ("full jitter"). */
export interface BackoffOptions {
  /** The ceiling of the first wait (default 10 ms). */
  readonly initialMs?: number
  /** The largest ceiling (default 1,000 ms). */
  readonly maxMs?: number
  /** How much the ceiling grows per attempt (default 2). */
  readonly factor?: number
}

/** How `transaction(fn, { retry })` re-runs `fn`. */
export interface RetryOptions {
  /** Runs in all, the first included (≥ 1). */
  readonly attempts: number
  /** The wait before a new attempt: backoff settings, or a function of the failed attempt's number (1, 2…) giving milliseconds. */
  readonly backoff?: BackoffOptions | ((attempt: number) => number)
  /** Called before each new attempt (logging, metrics). */
  readonly onRetry?: (error: unknown, attempt: number) => void
}

/** One run of a retried function. */
export interface RetryAttempt {
  /** 1 for the first run. */
  readonly number: number
  /** Declares that this run did something that must not happen twice: a retryable failure then reaches the caller. */
  preventRetry(reason?: string): void
}

interface Attempt extends RetryAttempt {
  unsafe: string | undefined
}

function positive(name: string, value: number | undefined, fallback: number, min: number): number {
  if (value === undefined) return fallback
  if (typeof value !== 'number' || !Number.isFinite(value) || value < min) {
    throw new QuarryError(`transaction retry.${name} must be a number ≥ ${min} (got ${String(value)})`)
  }
  return value
}

/** The options checked, with a wait function; `undefined` when no retry was asked for. */
export function resolveRetry(retry: RetryOptions | undefined): { attempts: number; wait: (attempt: number) => number; onRetry?: RetryOptions['onRetry'] } | undefined {
  if (retry === undefined) return undefined
  if (typeof retry !== 'object' || retry === null) throw new QuarryError(`transaction retry must be an object like { attempts: 5 } (got ${String(retry)})`)
  const attempts = retry.attempts
  if (typeof attempts !== 'number' || !Number.isInteger(attempts) || attempts < 1) {
    throw new QuarryError(`transaction retry.attempts must be an integer ≥ 1 (got ${String(attempts)})`)
  }
  const backoff = retry.backoff
  if (typeof backoff === 'function') return { attempts, wait: backoff, onRetry: retry.onRetry }
  if (backoff !== undefined && (typeof backoff !== 'object' || backoff === null)) {
    throw new QuarryError(`transaction retry.backoff must be { initialMs, maxMs, factor } or a function (got ${String(backoff)})`)
  }
  const initialMs = positive('backoff.initialMs', backoff?.initialMs, 10, 0)
  const maxMs = positive('backoff.maxMs', backoff?.maxMs, 1000, 0)
  const factor = positive('backoff.factor', backoff?.factor, 2, 1)
  const wait = (attempt: number) => Math.random() * Math.min(maxMs, initialMs * factor ** (attempt - 1))
  return { attempts, wait, onRetry: retry.onRetry }
}

/** True when the error, or one it was caused by, is a database error marked retryable (what `retry` re-runs on). */
export function isRetryable(error: unknown): boolean {
  for (let current = error, depth = 0; depth < 5 && typeof current === 'object' && current !== null; depth++) {
    const marked = current as { quarry?: unknown; retryable?: unknown; cause?: unknown }
    if (marked.quarry === true && marked.retryable === true) return true
    current = marked.cause
  }
  return false
}

/** The last failure, told how many attempts were made; same class, so `instanceof` checks still hold. */
function exhausted(error: unknown, attempts: number): unknown {
  if (!(error instanceof DatabaseError)) return error
  const Kind = error.constructor as new (message: string, details: ConstructorParameters<typeof DatabaseError>[1]) => DatabaseError
  const retried = new Kind(`gave up after ${attempts} attempts: ${error.message}`, {
    sql: error.sql,
    code: error.code,
    table: error.table,
    columns: error.columns,
    constraint: error.constraint,
    cause: error,
    retryable: true,
  })
  return Object.assign(retried, { attempts })
}

function attemptNumber(number: number): Attempt {
  const attempt: Attempt = {
    number,
    unsafe: undefined,
    preventRetry: (reason) => void (attempt.unsafe = reason ?? 'preventRetry() was called'),
  }
  return attempt
}

/**
 * Runs `run`, and runs it again after a failure the database marked retryable (serialization
 * failure, deadlock…) while attempts remain and the run did not call `preventRetry()`. Each run
 * must begin its own transaction; `transaction(fn, { retry })` uses it, and so can code that
 * holds a transaction open another way (an ORM session).
 * @example await withRetry({ attempts: 5 }, () => engine.transaction(transfer, { isolation: 'serializable' }))
 */
export async function withRetry<TResult>(retry: RetryOptions | undefined, run: (attempt: RetryAttempt) => Promise<TResult>): Promise<TResult> {
  const resolved = resolveRetry(retry)
  if (resolved === undefined) return run(attemptNumber(1))
  for (let number = 1; ; number++) {
    const attempt = attemptNumber(number)
    try {
      return await run(attempt)
    } catch (error) {
      if (!isRetryable(error) || attempt.unsafe !== undefined) throw error
      if (number >= resolved.attempts) throw exhausted(error, number)
      resolved.onRetry?.(error, number)
      const ms = resolved.wait(number)
      if (ms > 0) await new Promise((resolve) => setTimeout(resolve, ms))
    }
  }
}
