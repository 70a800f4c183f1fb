/**
 * postgres.js on the Driver interface: a pool of single-connection postgres.js instances (size,
 * overflow, idle and recycle limits applied between loans), server-side prepared statements
 * (`prepare: true`; none behind a transaction pooler, see postgres-pooler.ts), rows as arrays
 * through `.values()`, cursors for streaming.
 */
import type Postgres from 'postgres'
import { UrlError } from '../errors.js'
import type { Driver, DriverConfig, DriverConnection, DriverResult, IsolationLevel, QueryOptions, QueryTarget } from './driver.js'
import { importPeer } from './load.js'
import { isFatalPostgresError, translatePostgresError } from './postgres-errors.js'
import { poolerRefusal } from './postgres-pooler.js'

const CURSOR_ROWS = 256
/** SQLSTATE of a statement stopped by a cancel request. */
const QUERY_CANCELED = '57014'
/** postgres.js refuses 65,534 parameters or more. */
const MAX_PARAMS = 65_533
/**
 * Statements with more parameters (bulk insert chunks) are kept prepared on the server only when
 * their text comes again on the same connection (a repeated batch size): one-off sizes would fill
 * the connection's statement cache with large plans used once.
 */
const PREPARE_MAX_PARAMS = 1000
/** How many bulk texts a connection remembers, to recognise one sent again. */
const RECENT_BULK = 4

/**
 * Values the codecs read and write themselves, so postgres.js passes them as text: dates and
 * timestamps (postgres.js would read zone-less timestamps in the process's local time zone) and
 * JSON (already encoded as text by the dialect; parsing it here would lose a JSON string's quotes).
 */
const WIRE_TYPES = {
  quarryJson: {
    to: 114,
    from: [114, 3802],
    serialize: (value: unknown) => (typeof value === 'string' ? value : JSON.stringify(value)),
    parse: (text: string) => text,
  },
  quarryDate: {
    to: 1184,
    from: [1082, 1114, 1184],
    serialize: (value: unknown) => (value instanceof Date ? value.toISOString() : String(value)),
    parse: (text: string) => text,
  },
}

type Sql = Postgres.Sql<{ quarryJson: string; quarryDate: string }>

/** The statements a connection is running (a pipelined BEGIN and the first statement behind it), which a cancel reaches. */
type Running = Set<{ cancel(): unknown }>

/** One postgres.js instance holding a single connection. */
interface Slot {
  readonly sql: Sql
  /** `sql` on the QueryTarget interface, made once. */
  readonly wire: QueryTarget
  readonly born: number
  readonly running: Running
  /** How often its connection closed; a held connection that closed lost its transaction. */
  closures: number
  /**
   * The connection is in an unknown protocol state: a cursor failed part-way (postgres.js hands
   * the rest of its rows to the next statement) or its connection closed under it. Never reused.
   */
  poisoned: boolean
  idleTimer?: ReturnType<typeof setTimeout>
}

/**
 * Connects to PostgreSQL with postgres.js. The pool is a set of single-connection postgres.js
 * instances (`max: 1`) lent out whole: a transaction owns its instance, learns through `onclose`
 * when the server dropped it, and never meets postgres.js's reserved-connection path, which
 * crashes the process when a reserved connection is used after the server closed it.
 */
export async function createPostgresDriver(config: DriverConfig): Promise<Driver> {
  const { sslmode, ssl, application_name: applicationName, search_path: urlSearchPath, connect_timeout: connectTimeout } = config.options
  const module = await importPeer<{ default: typeof Postgres }>('postgres', 'postgres', 'postgresql')
  const searchPath = config.searchPath?.join(', ') ?? urlSearchPath
  const { pool, pooler } = config
  const max = pool.size + pool.maxOverflow
  const options = {
    host: config.host ?? 'localhost',
    port: config.port ?? 5432,
    ...(config.user !== undefined && { user: config.user }),
    ...(config.password !== undefined && { pass: config.password }),
    ...(config.database !== undefined && { database: config.database }),
    max: 1,
    // Idle and lifetime limits are applied here, between loans, never inside a transaction.
    idle_timeout: 0,
    max_lifetime: 0,
    connect_timeout: connectTimeout === undefined ? Math.max(1, Math.ceil(pool.timeoutMs / 1000)) : Number(connectTimeout),
    // Behind a transaction pooler a statement prepared on one server connection is unknown to the next.
    prepare: pooler === undefined,
    ssl: sslOption(sslmode ?? ssl),
    onnotice: () => {},
    transform: { undefined: null },
    types: WIRE_TYPES,
    connection: {
      application_name: applicationName ?? 'quarry',
      ...(searchPath !== undefined && { search_path: searchPath }),
    },
  }
  const slots = new Set<Slot>()
  const idle: Slot[] = []
  let closing = false

  function create(): Slot {
    const slot: { -readonly [K in keyof Slot]: Slot[K] } = {
      sql: undefined as unknown as Sql, // cast: set just below, before the slot is used
      wire: undefined as unknown as QueryTarget, // cast: set just below, before the slot is used
      born: Date.now(),
      running: new Set(),
      closures: 0,
      poisoned: false,
    }
    slot.sql = module.default({ ...options, onclose: () => void slot.closures++ })
    slot.wire = target(slot.sql, slot.running, pooler === undefined)
    slots.add(slot)
    return slot
  }

  function retire(slot: Slot): void {
    clearTimeout(slot.idleTimer)
    slots.delete(slot)
    slot.sql.end({ timeout: 1 }).catch(() => {})
  }

  /** An idle connection, or a new one (the engine never asks for more than `max` at once). */
  function take(): Slot {
    for (let slot = idle.pop(); slot !== undefined; slot = idle.pop()) {
      if (slot.idleTimer !== undefined) {
        clearTimeout(slot.idleTimer)
        slot.idleTimer = undefined
      }
      if (pool.recycleMs !== undefined && Date.now() - slot.born > pool.recycleMs) retire(slot)
      else return slot
    }
    return create()
  }

  /** Back to the idle list; connections beyond `size` close after `idleTimeoutMs` unused. */
  function giveBack(slot: Slot, broken: boolean): void {
    if (broken || closing || slot.poisoned) {
      retire(slot)
      return
    }
    idle.push(slot)
    // Within `size` nothing is closed for idling: no timer to set (and clear) around every statement.
    if (slots.size <= pool.size) return
    slot.idleTimer = setTimeout(() => {
      const index = idle.indexOf(slot)
      if (index >= 0 && slots.size > pool.size) {
        idle.splice(index, 1)
        retire(slot)
      }
    }, pool.idleTimeoutMs)
    slot.idleTimer.unref?.()
  }

  const poolTarget: QueryTarget = {
    async query(text, params, queryOptions) {
      const slot = take()
      let broken = false
      try {
        return await slot.wire.query(text, params, queryOptions)
      } catch (error) {
        broken = isFatalPostgresError(error)
        throw error
      } finally {
        giveBack(slot, broken)
      }
    },
    async *stream(text, params, queryOptions) {
      const slot = take()
      let broken = false
      try {
        yield* guarded(slot, text, params, queryOptions)
      } catch (error) {
        broken = isFatalPostgresError(error)
        throw error
      } finally {
        giveBack(slot, broken)
      }
    },
  }

  return {
    dialect: 'postgres',
    packageName: 'postgres',
    maxParams: MAX_PARAMS,
    maxConnections: max,
    cancels: true,
    pipelinesBegin: true,
    pool: poolTarget,
    ...(pooler !== undefined && { refuse: poolerRefusal }),
    async acquire(): Promise<DriverConnection> {
      const slot = take()
      const closures = slot.closures
      const { wire } = slot
      // After the server dropped the connection, postgres.js would silently reconnect and run the
      // rest of a transaction outside it: refuse instead.
      const check = () => {
        if (slot.closures !== closures) throw lostError('the connection to the server was lost')
        if (slot.poisoned) throw lostError('the connection was left unusable by a failed iterate()')
      }
      return {
        async query(text, params, queryOptions) {
          check()
          return wire.query(text, params, queryOptions)
        },
        async *stream(text, params, queryOptions) {
          check()
          yield* guarded(slot, text, params, queryOptions)
        },
        release: (broken?: boolean) => giveBack(slot, broken === true || slot.closures !== closures),
        cancel: async () => {
          for (const query of slot.running) query.cancel()
        },
      }
    },
    begin: (isolation?: IsolationLevel) => [isolation === undefined ? 'BEGIN' : `BEGIN ISOLATION LEVEL ${isolation.toUpperCase()}`],
    translateError: translatePostgresError,
    isFatal: isFatalPostgresError,
    isCanceled: (error) => (error as { code?: unknown } | null)?.code === QUERY_CANCELED,
    async cancelRunning() {
      for (const slot of slots) for (const query of slot.running) query.cancel()
    },
    async close() {
      closing = true
      idle.length = 0
      await Promise.all([...slots].map((slot) => (clearTimeout(slot.idleTimer), slot.sql.end({ timeout: 5 }))))
      slots.clear()
    },
  }
}

/** A postgres.js-style client error for a connection that cannot be used (fatal, retired). */
function lostError(message: string): Error {
  return Object.assign(new Error(message), { code: 'CONNECTION_CLOSED' })
}

/**
 * Streams on a slot and makes sure a stream that did not end cleanly is never taken for one:
 * postgres.js ends a cursor silently when its connection closes between batches, and after a
 * server error mid-cursor it gives the rest of the batch to the next statement. Either way the
 * stream throws and the connection is poisoned (closed when given back, refused while held).
 */
async function* guarded(slot: Slot, text: string, params: readonly unknown[], options: QueryOptions): AsyncIterable<unknown> {
  const closures = slot.closures
  try {
    yield* slot.wire.stream(text, params, options)
  } catch (error) {
    slot.poisoned = true
    throw error
  }
  if (slot.closures !== closures) {
    slot.poisoned = true
    throw lostError('the connection closed before the last row was read')
  }
}

/**
 * When the server kills a connection, postgres.js fails the running statement with
 * CONNECTION_CLOSED but keeps the server's FATAL message, and hands it to the first statement
 * on the reconnected connection. That statement never ran, so it is safe to send it again.
 */
function isStaleFatal(error: unknown): boolean {
  const fields = error as { name?: string; severity?: string; code?: string }
  return fields?.name === 'PostgresError' && fields.severity === 'FATAL' && (fields.code === '57P01' || fields.code === '57P02')
}

/**
 * postgres.js options of one statement: kept prepared on the server, or parsed for one use.
 * Always the extended query protocol (`simple: false`): postgres.js would send a statement
 * without parameters as a simple query, where the server runs every statement in the text, so
 * `select 1; delete from t` would delete. The extended protocol takes one statement per text.
 */
const PREPARED = { prepare: true, simple: false }
const UNPREPARED = { prepare: false, simple: false }
/** A script (`engine.executeScript`): the simple protocol, which runs each statement of the text. */
const SCRIPT = { prepare: false, simple: true }

/**
 * postgres.js declares an array parameter with its first element's type (`[true, …]` as `bool`,
 * so `$1::boolean[]` fails): arrays go untyped (oid 0) instead, for the server to type them from
 * the statement, and postgres.js then writes each element with that element type's serializer.
 */
function untypedArrays(sql: Sql, params: readonly unknown[]): readonly unknown[] {
  for (let i = 0; i < params.length; i++) {
    if (Array.isArray(params[i])) return params.map((param) => (Array.isArray(param) ? sql.typed(param, 0) : param))
  }
  return params
}

function target(sql: Sql, running: Running, prepares: boolean): QueryTarget {
  const recentBulk: string[] = []
  let nextBulk = 0
  /**
   * Prepared unless a bulk statement met for the first time lately, a statement without
   * parameters (DDL and one-off raw SQL, which would fill the statement cache), or never
   * (`prepares` false: behind a transaction pooler).
   */
  function mode(text: string, params: readonly unknown[], options: QueryOptions): typeof PREPARED {
    if (options.script === true) return SCRIPT
    if (!prepares || params.length === 0) return UNPREPARED
    if (params.length <= PREPARE_MAX_PARAMS) return PREPARED
    for (let i = 0; i < recentBulk.length; i++) if (recentBulk[i] === text) return PREPARED
    recentBulk[nextBulk] = text
    nextBulk = (nextBulk + 1) % RECENT_BULK
    return UNPREPARED
  }
  return {
    async query(text: string, params: readonly unknown[], options: QueryOptions): Promise<DriverResult> {
      for (let attempt = 0; ; attempt++) {
        const query = sql.unsafe(text, untypedArrays(sql, params) as never[], mode(text, params, options)) // cast: postgres.js types parameters as its own serializable union; values are already encoded
        running.add(query)
        try {
          const rows = await (options.arrays ? query.values() : query)
          if (options.script === true) return scriptResult(rows)
          // Objects go to the caller as they are: a plain array, not postgres.js's Result.
          return { rows: options.arrays ? rows : Array.from(rows), rowsAffected: rows.count ?? rows.length }
        } catch (error) {
          if (attempt > 0 || !isStaleFatal(error)) throw error
        } finally {
          running.delete(query)
        }
      }
    },
    async *stream(text: string, params: readonly unknown[], options: QueryOptions): AsyncIterable<unknown> {
      for (let attempt = 0; ; attempt++) {
        const query = sql.unsafe(text, untypedArrays(sql, params) as never[], mode(text, params, options)) // cast: postgres.js types parameters as its own serializable union; values are already encoded
        running.add(query)
        const cursor = pull(sql, options.arrays ? query.values() : query)
        let started = false
        try {
          for (let rows = await cursor.next(); rows !== undefined; rows = await cursor.next()) {
            started = true
            yield* rows
          }
          return
        } catch (error) {
          if (started || attempt > 0 || !isStaleFatal(error)) throw error
        } finally {
          running.delete(query)
          await cursor.close()
        }
      }
    },
  }
}

/** What a script did: postgres.js gives one result per statement (an array of them for several). */
function scriptResult(outcome: { count?: number | null }): DriverResult {
  const parts = (outcome.count === undefined ? outcome : [outcome]) as { count?: number | null }[]
  let rowsAffected = 0
  for (const part of parts) rowsAffected += part.count ?? 0
  return { rows: [], rowsAffected }
}

/** The callback form of postgres.js's `cursor`: called per batch, it pauses on the promise returned. */
interface CursorQuery {
  cursor(rows: number, fn: (rows: readonly unknown[]) => Promise<unknown>): Promise<unknown>
}

/** Batches of a postgres.js cursor, read on demand. */
interface Pull {
  /** The next batch, `undefined` at the end; throws the statement's error. */
  next(): Promise<readonly unknown[] | undefined>
  /** Closes the portal when the reader leaves early; waits for the statement to finish. */
  close(): Promise<void>
}

/**
 * Reads a cursor through postgres.js's callback form, whose promise is the statement's own: it
 * rejects when the statement fails or its connection closes at any point. (Its iterator form
 * loses an error that arrives while the reader holds a batch, and then ends as if complete.)
 */
function pull(sql: Sql, query: object): Pull {
  let batch: readonly unknown[] | undefined
  let proceed: ((value?: unknown) => void) | undefined
  let wake: (() => void) | undefined
  let outcome: { error?: unknown } | undefined
  const signal = () => {
    const resume = wake
    wake = undefined
    resume?.()
  }
  // postgres.js types the callback form per row type; the rows stay opaque here, so the query is
  // reached through the one method used, and the callback form returns the statement's promise.
  const done = (query as CursorQuery).cursor(CURSOR_ROWS, (rows) => {
    batch = rows
    signal()
    return new Promise((resolve) => (proceed = resolve))
  })
  done.then(
    () => ((outcome ??= {}), signal()),
    (error: unknown) => ((outcome = { error }), signal()),
  )
  return {
    async next() {
      // The previous batch is read: let postgres.js fetch the next one, unless the statement failed.
      const go = proceed
      proceed = undefined
      if (outcome === undefined) go?.()
      for (;;) {
        if (outcome !== undefined && 'error' in outcome) throw outcome.error
        if (batch !== undefined) {
          const rows = batch
          batch = undefined
          return rows
        }
        if (outcome !== undefined) return undefined
        await new Promise<void>((resolve) => (wake = resolve))
      }
    },
    async close() {
      if (outcome !== undefined) return
      const go = proceed
      proceed = undefined
      go?.(sql.CLOSE)
      await done.catch(() => undefined)
    },
  }
}

function sslOption(value: string | undefined): boolean | 'require' | 'prefer' | 'verify-full' | 'allow' {
  if (value === undefined || value === 'disable' || value === 'false') return false
  if (value === 'true') return 'require'
  if (value === 'require' || value === 'prefer' || value === 'verify-full' || value === 'allow') return value
  throw new UrlError(`PostgreSQL URL option sslmode=${value} is invalid (use disable, allow, prefer, require or verify-full)`)
}
