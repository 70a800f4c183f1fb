/**
 * @quarry/orm: the session. An identity map and a unit of work over plain objects, relation
 * loading that never runs a hidden query, cascades, soft deletes and lifecycle events.
 */
export { createSession } from './session.js'
export { runSession, type RunSessionOptions } from './session-run.js'
export type { Added, EntityStatus, NewEntity, PrimaryKey, Session, SessionOptions } from './session.types.js'
export { joinedload, selectinload, withDeleted } from './load-options.js'
export type { LoadFunction, LoadOption, LoadTree, Loaded, QueryOption, QueryResult, SessionOption } from './load-options.types.js'
export { listen, type Listener, type SessionEventName, type TableEventName } from './events.js'
export { PendingRollbackError, RelationNotLoadedError, SessionClosedError, SessionError, StaleDataError } from './errors.js'
