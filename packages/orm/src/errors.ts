/**
 * The errors the session raises itself. Database errors (IntegrityError and friends) pass
 * through unchanged.
 */
import { QuarryError } from '@quarry/core'

/** Misuse of the session: an object it does not track, a relation it cannot follow, a bad load path. */
export class SessionError extends QuarryError {}

/**
 * A relation was read before it was loaded. Quarry never loads lazily: load it with
 * `selectinload` / `joinedload`, or assign it.
 */
export class RelationNotLoadedError extends SessionError {
  constructor(
    readonly table: string,
    readonly relation: string,
  ) {
    super(
      `${table}.${relation} is not loaded: load it with selectinload(${table}.${relation}) or joinedload(${table}.${relation}) ` +
        '(Quarry never runs a hidden query to load a relation)',
    )
  }
}

/** An earlier flush failed; the session refuses work until `rollback()`. The failure is `cause`. */
export class PendingRollbackError extends SessionError {
  constructor(cause: unknown) {
    const reason = cause instanceof Error ? `${cause.name}: ${cause.message.split('\n')[0]}` : String(cause)
    super(`this session's transaction was rolled back by an error during flush (${reason}); call session.rollback() before using the session again`, { cause })
  }
}

/** The session was closed: every method that would read, write or track refuses; create a new session. */
export class SessionClosedError extends SessionError {
  constructor(method: string) {
    super(`${method}(): this session was closed; create a new session (close() rolled back what was not committed and detached every object)`)
  }
}

/** An UPDATE or DELETE of a tracked row matched no row: another transaction deleted it. */
export class StaleDataError extends SessionError {}
