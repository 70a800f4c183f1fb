/**
 * Lifecycle events: per table (before/after insert, update, delete) and per session
 * (before/after flush, commit, rollback). A listener is plain data made by `listen()`.
 */
import { TABLE, type AnyTable, type Row, type TableMeta } from '@quarry/core'
import { SessionError } from './errors.js'
import type { Session } from './session.types.js'

/** Events of one session's lifecycle. */
export type SessionEventName = 'beforeFlush' | 'afterFlush' | 'beforeCommit' | 'afterCommit' | 'beforeRollback' | 'afterRollback'

/** Events of one table's rows, fired during flush (a soft delete fires the delete events). */
export type TableEventName = 'beforeInsert' | 'afterInsert' | 'beforeUpdate' | 'afterUpdate' | 'beforeDelete' | 'afterDelete'

/** A registered event handler. */
export interface Listener {
  readonly kind: 'listener'
  readonly event: SessionEventName | TableEventName
  readonly table?: TableMeta
  readonly fn: (...args: never[]) => unknown
}

const SESSION_EVENTS: readonly string[] = ['beforeFlush', 'afterFlush', 'beforeCommit', 'afterCommit', 'beforeRollback', 'afterRollback']
const TABLE_EVENTS: readonly string[] = ['beforeInsert', 'afterInsert', 'beforeUpdate', 'afterUpdate', 'beforeDelete', 'afterDelete']

/**
 * A listener for a session event, or for a table's row events; pass it in `createSession(engine, { listeners })` or to `session.on`.
 * @example listen(users, 'beforeUpdate', (user) => { user.bio = user.bio?.trim() ?? null })
 */
export function listen(event: SessionEventName, fn: (session: Session) => unknown): Listener
export function listen<TTable extends AnyTable>(table: TTable, event: TableEventName, fn: (entity: Row<TTable>, session: Session) => unknown): Listener
export function listen(a: unknown, b: unknown, c?: unknown): Listener {
  return listener(a, b, c)
}

/** `listen` for arguments known only at run time (checked here, with errors naming what is wrong). */
export function listener(a: unknown, b: unknown, c?: unknown): Listener {
  if (typeof a === 'string') {
    if (!SESSION_EVENTS.includes(a)) throw new SessionError(`unknown session event '${a}' (use ${SESSION_EVENTS.join(', ')})`)
    if (typeof b !== 'function') throw new SessionError(`listen('${a}', fn): fn must be a function`)
    return Object.freeze({ kind: 'listener', event: a as SessionEventName, fn: b as Listener['fn'] })
  }
  const table = (a as { [TABLE]?: TableMeta })?.[TABLE]
  if (!table) throw new SessionError('listen(table, event, fn): expected a table object first')
  if (typeof b !== 'string' || !TABLE_EVENTS.includes(b)) throw new SessionError(`unknown table event '${String(b)}' (use ${TABLE_EVENTS.join(', ')})`)
  if (typeof c !== 'function') throw new SessionError(`listen(${table.key}, '${b}', fn): fn must be a function`)
  return Object.freeze({ kind: 'listener', event: b as TableEventName, table, fn: c as Listener['fn'] })
}

/** The listeners of one session. */
export interface EventBus {
  /** Registers a listener; returns a function that removes it. */
  add(listener: Listener): () => void
  /** True when some listener waits for this table event (skips the work of firing). */
  has(event: TableEventName, table: TableMeta): boolean
  fireSession(event: SessionEventName, session: unknown): Promise<void>
  fireTable(event: TableEventName, table: TableMeta, entity: object, session: unknown): Promise<void>
}

/** A bus holding `initial` listeners. */
export function createEventBus(initial: readonly Listener[] = []): EventBus {
  const listeners: Listener[] = [...initial]
  return {
    add(listener) {
      listeners.push(listener)
      return () => {
        const i = listeners.indexOf(listener)
        if (i >= 0) listeners.splice(i, 1)
      }
    },
    has(event, table) {
      return listeners.some((l) => l.event === event && l.table === table)
    },
    async fireSession(event, session) {
      for (const l of listeners.slice()) if (l.event === event && !l.table) await (l.fn as (s: unknown) => unknown)(session)
    },
    async fireTable(event, table, entity, session) {
      for (const l of listeners.slice()) if (l.event === event && l.table === table) await (l.fn as (e: unknown, s: unknown) => unknown)(entity, session)
    },
  }
}
