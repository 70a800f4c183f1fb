/**
 * A unit of work that can be run again: `runSession` makes a session, hands it to a function,
 * commits, and after a retryable failure (a serialization failure or deadlock in any statement or
 * in the COMMIT) throws the session away and runs the function again with a fresh one.
 *
 * Why not `session.commit()` retrying by itself: replaying the flush would write values the
 * function computed from reads made in the rolled-back transaction (`counter.n += 1` on a stale
 * `n`), which is the lost update SERIALIZABLE exists to prevent. Only re-running the reads retries
 * correctly, so the function is what runs again.
 */
import { withRetry, type RetryAttempt, type RetryOptions } from '@quarry/core'
import { SessionError } from './errors.js'
import { createSession, type SessionSource } from './session.js'
import type { Session, SessionOptions } from './session.types.js'

/** Options of `runSession`: the session's, plus how to retry. */
export interface RunSessionOptions extends SessionOptions {
  /** Re-run the function with a new session after a retryable failure (see `TransactionOptions.retry`). */
  readonly retry?: RetryOptions
}

/**
 * Runs `fn` with a new session and commits it, re-running it with a fresh session after a
 * retryable failure when `retry` is given; `attempt.preventRetry()` makes the failure reach the
 * caller instead. The session is closed (rolled back if not committed) whatever happens.
 * @example
 * await runSession(engine, async (session) => {
 *   const counter = await session.get(counters, 1)
 *   counter!.n += 1
 * }, { isolation: 'serializable', retry: { attempts: 10 } })
 */
export function runSession<TResult>(
  source: SessionSource,
  fn: (session: Session, attempt: RetryAttempt) => Promise<TResult> | TResult,
  options: RunSessionOptions = {},
): Promise<TResult> {
  const { retry, ...sessionOptions } = options
  if (retry !== undefined && 'preventRetry' in source) {
    return Promise.reject(new SessionError('runSession(tx, fn, { retry }): a session bound to a transaction cannot be run again on its own; retry the outermost transaction instead'))
  }
  return withRetry(retry, async (attempt) => {
    const session = createSession(source, sessionOptions)
    try {
      const result = await fn(session, attempt)
      await session.commit()
      return result
    } finally {
      await session.close()
    }
  })
}
