/**
 * Transactions and held connections. A transaction keeps one connection from BEGIN to
 * COMMIT/ROLLBACK; a nested transaction is a SAVEPOINT on the same connection. After a failed
 * statement the transaction is aborted on every dialect, as PostgreSQL does (SQLite and MySQL
 * would undo the one statement and go on, so a commit would keep the rest): the engine remembers
 * the failure, answers later statements with `TransactionAbortedError` without a round trip, and
 * rolls back instead of committing. Rolling back to a savepoint clears it.
 */
import type { Driver, DriverConnection, DriverResult, IsolationLevel, QueryOptions } from '../drivers/driver.js'
import { QuarryError, TransactionAbortedError } from '../errors.js'
import type { TransactionOptions } from './engine.types.js'
import { checkTimeout, exchangeLimited, type Limit } from './limit.js'
import { exchange, exchangeSync, streamRows, type Held, type Runtime, type Site } from './runtime.js'

const ISOLATION_LEVELS: readonly IsolationLevel[] = ['read uncommitted', 'read committed', 'repeatable read', 'serializable']

/** Whether a held site may still be used, and what it still runs. */
interface Scope {
  ended: boolean
  readonly what: 'transaction' | 'connection'
  /** The statement timeout of statements that name none. */
  readonly timeoutMs: number | undefined
  /** Statements and nested transactions sent on this scope and not yet settled (transactions only). */
  readonly running?: Set<Promise<unknown>>
  /** `iterate()` loops begun on this scope and not yet ended (transactions only). */
  readonly streams?: Set<OpenStream>
}

/** An `iterate()` loop in progress, which the transaction can end. */
interface OpenStream {
  /** Set when the transaction closed it: the loop throws if it resumes. */
  closed: boolean
  close(): Promise<unknown>
}

/** Counts `work` as running on the scope until it settles. */
function tracked<T>(scope: Scope, work: Promise<T>): Promise<T> {
  const { running } = scope
  if (running === undefined) return work
  running.add(work)
  const done = () => void running.delete(work)
  work.then(done, done)
  return work
}

/**
 * After a transaction's callback returned: work still running on it (a forgotten await,
 * `forEach(async …)`) means the callback did not see how its statements ended, so nothing may be
 * committed. Waits for that work, then returns the error to throw after rolling back.
 */
async function leftRunning(scope: Scope): Promise<QuarryError | undefined> {
  const { running, streams } = scope
  if (running === undefined || streams === undefined || (running.size === 0 && streams.size === 0)) return undefined
  const count = running.size + streams.size
  // An iterate() loop left open may never resume, and the connection answers nothing else until
  // it ends: end it here (it throws if it resumes).
  const closing = [...streams].map((open) => ((open.closed = true), open.close()))
  await Promise.allSettled([...running, ...closing])
  return new QuarryError(
    `the transaction callback returned while ${count} ${count === 1 ? 'statement was' : 'statements were'} still running on it, ` +
      'so it was rolled back: await every statement before returning (Array.forEach(async …) does not wait; use for…of, or await Promise.all(list.map(…)))',
  )
}

/** The statement timeout inside a transaction: its own option, else the one around it. */
function timeoutOf(options: TransactionOptions | undefined, outer: number | undefined): number | undefined {
  return checkTimeout('statementTimeoutMs', options?.statementTimeoutMs) ?? outer
}

/** Fresh tracking state for a connection just taken from the pool. */
export function hold(connection: DriverConnection): Held {
  return { connection, broken: false, inTransaction: false, failure: undefined, savepoints: 0 }
}

function firstLine(error: Error): string {
  return `${error.name}: ${error.message.split('\n')[0]}`
}

function abortedError(failure: Error, sql?: string): TransactionAbortedError {
  return new TransactionAbortedError(
    `a previous statement in this transaction failed (${firstLine(failure)}); ` +
      'roll back the transaction (or to a savepoint) before running more statements',
    { sql, cause: failure },
  )
}

/** A site running statements on one held connection. */
export function heldSite(runtime: Runtime, driver: Driver, held: Held, scope: Scope): Site {
  function check(sql: string): void {
    if (scope.ended) {
      throw new QuarryError(
        scope.what === 'transaction'
          ? 'this transaction has already ended: run statements inside the transaction callback'
          : 'this connection was released',
      )
    }
    if (held.failure !== undefined) throw abortedError(held.failure, sql)
  }
  // Transactions opened from this scope run one after another: two BEGINs (or two sibling
  // savepoints) interleaved on one connection would mix their statements.
  let queue: Promise<unknown> = Promise.resolve()
  return {
    runtime,
    timeoutMs: scope.timeoutMs,
    sendSync(sql, params, options) {
      const querySync = held.connection.querySync
      if (querySync === undefined) return undefined
      check(sql)
      return exchangeSync(runtime, driver, querySync, sql, params, options, held)
    },
    send(sql, params, options, limit) {
      try {
        check(sql)
      } catch (error) {
        return Promise.reject(error)
      }
      return tracked(scope, sendChecked(sql, params, options, limit))
    },
    async *stream(sql, params, options) {
      check(sql)
      await answered(held)
      const rows = streamRows(runtime, driver, held.connection, sql, params, options, held)[Symbol.asyncIterator]()
      if (scope.streams === undefined) {
        yield* { [Symbol.asyncIterator]: () => rows }
        return
      }
      const open: OpenStream = { closed: false, close: async () => rows.return?.() }
      scope.streams.add(open)
      try {
        for (;;) {
          const next = await rows.next()
          if (open.closed) throw new QuarryError('the transaction ended while iterate() was still reading: finish the loop inside the transaction callback')
          if (next.done) return
          yield next.value
        }
      } finally {
        scope.streams.delete(open)
        if (!open.closed) await rows.return?.()
      }
    },
    atomic(fn, options) {
      const next = queue.then(() => {
        if (scope.ended) throw new QuarryError(`this ${scope.what} has already ended`)
        if (held.inTransaction) return savepoint(runtime, driver, held, fn, timeoutOf(options, scope.timeoutMs))
        return transaction(runtime, driver, held, fn, options, scope.timeoutMs)
      })
      queue = next.catch(() => undefined)
      return tracked(scope, next)
    },
  }
  async function sendChecked(sql: string, params: readonly unknown[], options: QueryOptions, limit: Limit | undefined): Promise<DriverResult> {
    const send = () =>
      limit === undefined ? exchange(runtime, driver, held.connection, sql, params, options, held) : exchangeLimited(runtime, driver, held, sql, params, options, limit)
    const begun = held.begun
    if (begun === undefined) return send()
    // Sent now, behind the BEGIN still on its way; BEGIN's own failure comes first. A statement
    // refused before it is sent (session state behind a pooler, too many parameters) rejects at
    // once, while BEGIN is still awaited: handled here, so it is not reported as unhandled.
    held.begun = undefined
    const result = send()
    result.catch(() => undefined)
    try {
      await begun
    } catch (error) {
      await result.catch(() => undefined)
      throw error
    }
    return result
  }
}

/** Runs a control statement (BEGIN, COMMIT, SAVEPOINT…) on the held connection. */
async function control(runtime: Runtime, driver: Driver, held: Held, sql: string): Promise<void> {
  await answered(held)
  await exchange(runtime, driver, held.connection, sql, [], { arrays: false }, held)
}

/** Waits for a pipelined BEGIN no statement has waited for yet. */
async function answered(held: Held): Promise<void> {
  const begun = held.begun
  if (begun === undefined) return
  held.begun = undefined
  await begun
}

async function quietly(runtime: Runtime, driver: Driver, held: Held, sql: string): Promise<void> {
  if (held.broken) return
  try {
    await control(runtime, driver, held, sql)
  } catch {
    // The original error matters more; a connection that cannot roll back is not reused.
    held.broken = true
  }
}

/** BEGIN … COMMIT around `fn` on a held connection that is not in a transaction. */
export async function transaction<TResult>(
  runtime: Runtime,
  driver: Driver,
  held: Held,
  fn: (inner: Site) => Promise<TResult>,
  options: TransactionOptions | undefined,
  outerTimeoutMs: number | undefined,
): Promise<TResult> {
  const isolation = options?.isolation
  const timeoutMs = timeoutOf(options, outerTimeoutMs)
  if (isolation !== undefined && !ISOLATION_LEVELS.includes(isolation)) {
    throw new QuarryError(`unknown isolation level '${String(isolation)}' (use ${ISOLATION_LEVELS.join(', ')})`)
  }
  if (driver.pipelinesBegin) {
    const begun = Promise.all(driver.begin(isolation).map((statement) => exchange(runtime, driver, held.connection, statement, [], { arrays: false }, held)))
    held.begun = begun.then(() => undefined)
    // Whoever runs next awaits it; until then a failure must not go unhandled.
    held.begun.catch(() => undefined)
  } else for (const statement of driver.begin(isolation)) await control(runtime, driver, held, statement)
  held.inTransaction = true
  const scope: Scope = { ended: false, what: 'transaction', timeoutMs, running: new Set(), streams: new Set() }
  try {
    let result: TResult
    try {
      result = await fn(heldSite(runtime, driver, held, scope))
    } catch (error) {
      await leftRunning(scope)
      await quietly(runtime, driver, held, 'ROLLBACK')
      throw error
    }
    const abandoned = await leftRunning(scope)
    if (abandoned !== undefined) {
      await quietly(runtime, driver, held, 'ROLLBACK')
      throw abandoned
    }
    if (held.failure !== undefined) {
      const failure = held.failure
      await quietly(runtime, driver, held, 'ROLLBACK')
      throw abortedError(failure)
    }
    try {
      await control(runtime, driver, held, 'COMMIT')
    } catch (error) {
      await quietly(runtime, driver, held, 'ROLLBACK')
      throw error
    }
    return result
  } finally {
    scope.ended = true
    held.inTransaction = false
    held.failure = undefined
  }
}

/** SAVEPOINT … RELEASE around `fn`, rolling back to the savepoint when it throws. */
async function savepoint<TResult>(
  runtime: Runtime,
  driver: Driver,
  held: Held,
  fn: (inner: Site) => Promise<TResult>,
  timeoutMs: number | undefined,
): Promise<TResult> {
  if (held.failure !== undefined) throw abortedError(held.failure)
  const name = `quarry_sp_${++held.savepoints}`
  await control(runtime, driver, held, `SAVEPOINT ${name}`)
  const scope: Scope = { ended: false, what: 'transaction', timeoutMs, running: new Set(), streams: new Set() }
  const rollback = async () => {
    if (held.broken) return
    try {
      held.failure = undefined
      await control(runtime, driver, held, `ROLLBACK TO SAVEPOINT ${name}`)
      await control(runtime, driver, held, `RELEASE SAVEPOINT ${name}`)
    } catch {
      held.broken = true
    }
  }
  try {
    let result: TResult
    try {
      result = await fn(heldSite(runtime, driver, held, scope))
    } catch (error) {
      await leftRunning(scope)
      await rollback()
      throw error
    }
    const abandoned = await leftRunning(scope)
    if (abandoned !== undefined) {
      await rollback()
      throw abandoned
    }
    if (held.failure !== undefined) {
      const failure = held.failure
      await rollback()
      throw abortedError(failure)
    }
    await control(runtime, driver, held, `RELEASE SAVEPOINT ${name}`)
    return result
  } finally {
    scope.ended = true
  }
}
