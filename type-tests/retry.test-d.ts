/**
 * Retries: `transaction(fn, { retry })`, `tx.preventRetry()`, `withRetry` and `runSession` keep
 * the callback's result type; bad retry options are refused at compile time.
 */
import { expectType } from 'tsd'
import { createEngine, isRetryable, withRetry, type RetryAttempt, type Transaction } from '@quarry/core'
import { runSession } from '@quarry/orm'
import type { Session } from '@quarry/orm'

const engine = createEngine('sqlite::memory:')

expectType<Promise<number>>(engine.transaction(async (tx) => {
  expectType<Transaction>(tx)
  expectType<number>(tx.attempt)
  tx.preventRetry('sent an email')
  tx.preventRetry()
  return 1
}, { isolation: 'serializable', retry: { attempts: 5, backoff: { initialMs: 5, maxMs: 200, factor: 3 }, onRetry: (error, attempt) => void [error, attempt] } }))

expectType<Promise<string>>(engine.transaction(async () => 'x', { retry: { attempts: 3, backoff: (attempt) => attempt * 10 } }))

// @ts-expect-error attempts is required
void engine.transaction(async () => 1, { retry: {} })
// @ts-expect-error backoff is options or a function of the attempt number
void engine.transaction(async () => 1, { retry: { attempts: 2, backoff: 'fast' } })

expectType<Promise<boolean>>(withRetry({ attempts: 2 }, async (attempt) => {
  expectType<RetryAttempt>(attempt)
  expectType<number>(attempt.number)
  return true
}))
expectType<boolean>(isRetryable(new Error('x')))

expectType<Promise<number>>(runSession(engine, async (session, attempt) => {
  expectType<Session>(session)
  attempt.preventRetry()
  return 1
}, { isolation: 'serializable', retry: { attempts: 4 } }))
