/**
 * The session's transaction: begun through `source.transaction()` (an engine's BEGIN, or a
 * SAVEPOINT inside a transaction the session was given), its callback held open until commit
 * or rollback. Written apart from the session, so that what holds the transaction open never
 * refers to the session: a session dropped without `close()` can then be garbage-collected, and
 * its finalizer ends the transaction and gives the connection back.
 */
import type { IsolationLevel, Transaction } from '@quarry/core'

/** What a transaction is begun on: an engine, a connection, or a transaction (then a SAVEPOINT). */
export interface TransactionSource {
  transaction<TResult>(fn: (tx: Transaction) => Promise<TResult> | TResult, options?: { isolation?: IsolationLevel }): Promise<TResult>
}

/** A transaction held open: wait for it with `ready`, end it with `end`. */
export interface HeldTransaction {
  readonly ready: Promise<Transaction>
  /** Commits (`true`) or rolls back; rejects with the database's error when the COMMIT fails. */
  end(commit: boolean): Promise<void>
}

/** Thrown into the transaction callback to make it roll back. */
const ROLLBACK = Symbol('quarry.session.rollback')

/** Begins a transaction on `source` and holds it open until `end()`. */
export function holdTransaction(source: TransactionSource, isolation: IsolationLevel | undefined): HeldTransaction {
  let ending: ((commit: boolean) => void) | undefined
  let began = false
  let resolveReady!: (tx: Transaction) => void
  let rejectReady!: (error: unknown) => void
  const ready = new Promise<Transaction>((resolve, reject) => {
    resolveReady = resolve
    rejectReady = reject
  })
  const done: Promise<unknown> = source.transaction(
    async (t) => {
      began = true
      const commit = new Promise<boolean>((r) => (ending = r))
      resolveReady(t)
      if (!(await commit)) throw ROLLBACK
    },
    isolation ? { isolation } : undefined,
  )
  // A transaction that could not begin (no connection, BEGIN refused): `ready` says why.
  done.catch((error) => {
    if (!began) rejectReady(error)
  })
  return {
    ready,
    async end(commit) {
      await ready.catch(() => undefined)
      ending?.(commit)
      try {
        await done
      } catch (error) {
        if (error !== ROLLBACK && commit) throw error
      }
    },
  }
}
