/**
 * @quarry/orm: the session. An identity map and a unit of work over plain objects, relation
 * loading that never runs a hidden query, cascades, soft deletes and lifecycle events.
 */
export { createSession } from './session'
export type { Added, EntityStatus, NewEntity, PrimaryKey, Session, SessionOptions } from './session.types'
export { joinedload, selectinload, withDeleted } from './load-options'
export type { LoadFunction, LoadOption, LoadTree, Loaded, QueryOption, QueryResult, SessionOption } from './load-options.types'
export { listen, type Listener, type SessionEventName, type TableEventName } from './events'
export { PendingRollbackError, RelationNotLoadedError, SessionError, StaleDataError } from './errors'
