/**
 * better-sqlite3 on the Driver interface: one synchronous connection (the engine queues work on
 * it), a statement cache keyed by SQL text, rows as arrays through `raw(true)` or, for one-column
 * results, as the values themselves through `pluck(true)`.
 */
import type BetterSqlite3 from 'better-sqlite3'
import { ConnectionError, UrlError } from '../errors.js'
import type { Driver, DriverConfig, DriverConnection, DriverResult, IsolationLevel, QueryOptions } from './driver.js'
import { importPeer } from './load.js'
import { translateSqliteError } from './sqlite-errors.js'

const STATEMENT_CACHE_SIZE = 256
const RECENT_STATEMENTS = 4
/** Statements with more parameters (bulk insert chunks) stay out of the cache, in a ring of their own. */
const CACHE_MAX_PARAMS = 1000
/** How many bulk statements are kept: a repeated bulk insert of one size skips preparing its long text. */
const BULK_STATEMENTS = 4

/** Opens a SQLite database with better-sqlite3. */
export async function createBetterSqlite3Driver(config: DriverConfig): Promise<Driver> {
  const { mode, timeout, journal_mode: journalMode, foreign_keys: foreignKeys } = config.options
  if (mode !== undefined && !['ro', 'rw', 'rwc'].includes(mode)) {
    throw new UrlError(`SQLite URL option mode=${mode} is invalid (use ro, rw or rwc)`)
  }
  const module = await importPeer<{ default: typeof BetterSqlite3 }>('better-sqlite3', 'better-sqlite3', 'sqlite')
  const filename = config.filename ?? ':memory:'
  const memory = filename === ':memory:' || filename === ''
  let db: BetterSqlite3.Database
  try {
    db = new module.default(filename, {
      readonly: mode === 'ro',
      fileMustExist: mode === 'ro' || mode === 'rw',
      timeout: timeout === undefined ? 5000 : Number(timeout),
    })
  } catch (error) {
    throw new ConnectionError(`cannot open SQLite database '${filename}': ${(error as Error).message}`, { cause: error })
  }
  db.pragma(`foreign_keys = ${foreignKeys === 'off' ? 'OFF' : 'ON'}`)
  // The dialect compiles LIKE as case-sensitive (and ILIKE through lower()), as on the other databases.
  db.pragma('case_sensitive_like = ON')
  if (!memory && mode !== 'ro') db.pragma(`journal_mode = ${journalMode ?? 'WAL'}`)
  for (const f of config.functions ?? []) {
    // safeIntegers: INTEGER arguments arrive as bigint, so decimals beyond 2^53 stay exact.
    if (f.kind === 'scalar') db.function(f.name, { deterministic: true, safeIntegers: true, varargs: true }, f.fn)
    else db.aggregate(f.name, { deterministic: true, safeIntegers: true, start: f.start, step: f.step, result: f.result })
  }

  const cache = new Map<string, Cached>()
  // The last few statements, found by comparing text: a query built afresh brings a new SQL
  // string each time, and comparing it with a recent one costs less than hashing it for the map.
  const recent: Cached[] = []
  let nextRecent = 0
  const bulk: Cached[] = []
  let nextBulk = 0
  function prepared(sql: string, params: number): Cached {
    if (params > CACHE_MAX_PARAMS) {
      for (let i = 0; i < bulk.length; i++) if (bulk[i]!.sql === sql) return bulk[i]!
      const entry = cached(sql, db.prepare(sql))
      bulk[nextBulk] = entry
      nextBulk = (nextBulk + 1) % BULK_STATEMENTS
      return entry
    }
    // Reading a character makes V8 flatten a string built by concatenation: comparing and hashing a flat string is faster.
    sql.charCodeAt(0)
    for (let i = 0; i < recent.length; i++) if (recent[i]!.sql === sql) return recent[i]!
    let entry = cache.get(sql)
    if (entry === undefined) {
      // Evict the oldest entry; hits do not reorder (a Map delete + set per query costs more than it saves).
      if (cache.size >= STATEMENT_CACHE_SIZE) cache.delete(cache.keys().next().value!)
      entry = cached(sql, db.prepare(sql))
      cache.set(sql, entry)
    }
    recent[nextRecent] = entry
    nextRecent = (nextRecent + 1) % RECENT_STATEMENTS
    return entry
  }

  function querySync(sql: string, params: readonly unknown[], options: QueryOptions): DriverResult {
    const entry = prepared(sql, params.length)
    const { statement } = entry
    const args = bindable(params)
    if (entry.reader) {
      // Mode switches are native calls: make them only when the mode changes.
      const mode = rowsMode(options)
      const bigints = options.bigints === true
      if (entry.rows !== mode) {
        setRowsMode(statement, entry.rows, mode)
        entry.rows = mode
      }
      if (entry.bigints !== bigints) statement.safeIntegers((entry.bigints = bigints))
      if (options.first === true) {
        // A plucking statement's `get` returns the value itself: NULL reads as null, no row as undefined.
        const row = statement.get(args)
        return row === undefined ? { rows: [], rowsAffected: 0 } : { rows: [row], rowsAffected: 1 }
      }
      const rows = statement.all(args) as unknown[]
      return { rows, rowsAffected: rows.length }
    }
    const info = statement.run(args)
    return { rows: [], rowsAffected: info.changes, insertId: info.lastInsertRowid }
  }

  /** A script of several statements (`db.exec`); prepare() takes one statement, and refuses more. */
  function script(sql: string): DriverResult {
    const changes = db.prepare('SELECT total_changes()').pluck()
    const before = changes.get() as number
    db.exec(sql)
    return { rows: [], rowsAffected: (changes.get() as number) - before }
  }

  const connection: DriverConnection = {
    querySync,
    async query(sql: string, params: readonly unknown[], options: QueryOptions): Promise<DriverResult> {
      return options.script === true ? script(sql) : querySync(sql, params, options)
    },
    async *stream(sql: string, params: readonly unknown[], options: QueryOptions): AsyncIterable<unknown> {
      // A fresh statement: an iterating statement stays busy until the loop ends.
      const statement = db.prepare(sql)
      if (!statement.reader) {
        statement.run(bindable(params))
        return
      }
      setRowsMode(statement, 'objects', rowsMode(options))
      yield* statement.safeIntegers(options.bigints === true).iterate(bindable(params))
    },
    release() {},
  }

  return {
    dialect: 'sqlite',
    packageName: 'better-sqlite3',
    plucks: true,
    maxConnections: 1,
    cancels: false,
    // BEGIN IMMEDIATE may wait for the write lock and fail: nothing may run before it is answered.
    pipelinesBegin: false,
    pool: connection,
    acquire: async () => connection,
    begin: (_isolation?: IsolationLevel) => ['BEGIN IMMEDIATE'],
    translateError: translateSqliteError,
    isFatal: (error) => !db.open || (error as { code?: unknown }).code === 'SQLITE_NOTADB',
    // Each statement runs synchronously on the calling thread: nothing can interrupt one, so the
    // connection offers no cancel and the engine refuses statement timeouts here.
    isCanceled: () => false,
    async cancelRunning() {},
    async close() {
      cache.clear()
      recent.length = 0
      bulk.length = 0
      if (db.open) db.close()
    },
  }
}

/** A prepared statement and the modes last set on it. */
interface Cached {
  readonly sql: string
  readonly statement: BetterSqlite3.Statement
  /** `statement.reader`, read once (it is a native accessor). */
  readonly reader: boolean
  rows: RowsMode
  bigints: boolean
}

function cached(sql: string, statement: BetterSqlite3.Statement): Cached {
  return { sql, statement, reader: statement.reader, rows: 'objects', bigints: false }
}

/** How a statement returns rows: objects by column name, arrays (`raw`), or the first column's values (`pluck`). */
type RowsMode = 'objects' | 'arrays' | 'values'

function rowsMode(options: QueryOptions): RowsMode {
  return options.pluck === true ? 'values' : options.arrays ? 'arrays' : 'objects'
}

/**
 * Switches a statement from one rows mode to another. better-sqlite3 keeps a single mode per
 * statement: `raw(true)` and `pluck(true)` each replace the other, and `raw(false)` leaves a
 * plucking statement plucking, so going back to objects must turn off the mode that is on.
 */
function setRowsMode(statement: BetterSqlite3.Statement, from: RowsMode, to: RowsMode): void {
  if (to === 'values') statement.pluck(true)
  else if (to === 'arrays') statement.raw(true)
  else if (from === 'values') statement.pluck(false)
  else statement.raw(false)
}

/** better-sqlite3 rejects `undefined` and takes an array for positional parameters. */
function bindable(params: readonly unknown[]): readonly unknown[] {
  // Copy only when there is an `undefined` to replace: most calls pass their array as it is.
  if (!params.includes(undefined)) return params
  const out = new Array<unknown>(params.length)
  for (let i = 0; i < params.length; i++) out[i] = params[i] === undefined ? null : params[i]
  return out
}
