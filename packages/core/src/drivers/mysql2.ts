/**
 * mysql2 on the Driver interface: a mysql2 pool (`connectionLimit`, `maxIdle`, `idleTimeout`),
 * server-side prepared statements through `execute` (mysql2 caches them per connection), rows
 * as arrays through `rowsAsArray`, streaming through `query().stream()` on the raw connection.
 * JSON stays text for the codec; DATE and DATETIME values are `Date`s (UTC) built here from text.
 */
import { codeGenerationAllowed } from '../codegen.js'
import type * as Mysql from 'mysql2/promise'
import type { Driver, DriverConfig, DriverConnection, DriverResult, IsolationLevel, QueryOptions, QueryTarget } from './driver.js'
import { importPeer } from './load.js'
import { isFatalMysqlError, translateMysqlError } from './mysql-errors.js'

const ER_UNSUPPORTED_PS = 1295
/** "Query execution was interrupted": the statement stopped by `KILL QUERY`. */
const ER_QUERY_INTERRUPTED = 1317
const STREAM_ROWS = 256
/**
 * Set on every connection: instants in UTC, and GROUP_CONCAT (string_agg) and MariaDB's
 * JSON_ARRAYAGG never cut at the default 1,024 bytes (the result is bounded by max_allowed_packet).
 * (Not NO_AUTO_VALUE_ON_ZERO: MariaDB then stores DEFAULT in an AUTO_INCREMENT column as 0; an
 * inserted id of 0 is refused instead, see `zeroIsNextId`.)
 */
const SESSION = "SET time_zone = '+00:00', group_concat_max_len = 4294967295"

interface Born {
  readonly at: number
  /** The server's `max_allowed_packet`: a statement larger than this would cost the connection. */
  readonly maxPacket: number
}

/** Connects to MySQL or MariaDB with mysql2. */
export async function createMysql2Driver(config: DriverConfig): Promise<Driver> {
  const { charset, ssl, connect_timeout: connectTimeout } = config.options
  const mysql = await importPeer<typeof Mysql>('mysql2/promise', 'mysql2', 'mysql')
  const { pool: settings } = config
  const server = {
    host: config.host ?? 'localhost',
    port: config.port ?? 3306,
    ...(config.user !== undefined && { user: config.user }),
    ...(config.password !== undefined && { password: config.password }),
    ...(ssl === 'true' && { ssl: {} }),
    connectTimeout: connectTimeout === undefined ? settings.timeoutMs : Number(connectTimeout),
  }
  const pool = mysql.createPool({
    ...server,
    ...(config.database !== undefined && { database: config.database }),
    ...(charset !== undefined && { charset }),
    connectionLimit: settings.size + settings.maxOverflow,
    maxIdle: settings.size,
    idleTimeout: settings.idleTimeoutMs,
    queueLimit: 0,
    waitForConnections: true,
    enableKeepAlive: true,
    maxPreparedStatements: 256,
    supportBigNumbers: true,
    bigNumberStrings: true,
    // JSON stays text for the codec to parse (MySQL's JSON type would arrive parsed, MariaDB's not).
    jsonStrings: true,
    // mysql2 builds its Dates with `Date.UTC(y, …)`, which reads years 1–99 as 1901–1999: the text
    // is read here instead (`readDates`).
    dateStrings: true,
    timezone: 'Z',
    // mysql2 compiles its row parsers from strings unless told not to.
    disableEval: !codeGenerationAllowed(),
  })
  const born = new WeakMap<object, Born>()
  /** Connections lent out, and those running a script, whose statements `cancelRunning` reaches. */
  const busy = new Set<{ readonly threadId: number | null }>()

  /**
   * `KILL QUERY` on another connection (the pool's may all be busy): it stops the statement
   * the connection is running and leaves the connection open.
   */
  async function cancel(connection: { readonly threadId: number | null }): Promise<void> {
    const killer = await mysql.createConnection(server)
    try {
      await killer.query(`KILL QUERY ${Number(connection.threadId)}`)
    } finally {
      killer.destroy()
    }
  }

  /** Hands a lent connection back to the pool, or closes it. */
  function finish(connection: Mysql.PoolConnection, destroy: boolean): void {
    busy.delete(connection)
    if (destroy) connection.destroy()
    else connection.release()
  }

  /** A pooled connection, set up on first use and recycled when older than `recycleMs`. */
  async function checkout(): Promise<Mysql.PoolConnection> {
    for (;;) {
      const connection = await pool.getConnection()
      const birth = born.get(connection.connection)
      if (birth === undefined) {
        let maxPacket: number
        try {
          await connection.query(SESSION)
          const [rows] = await connection.query({ sql: 'SELECT @@max_allowed_packet', rowsAsArray: true })
          maxPacket = Number((rows as unknown[][])[0]![0])
        } catch (error) {
          connection.destroy()
          throw error
        }
        born.set(connection.connection, { at: Date.now(), maxPacket })
        busy.add(connection)
        return connection
      }
      if (settings.recycleMs !== undefined && Date.now() - birth.at > settings.recycleMs) {
        connection.destroy()
        continue
      }
      busy.add(connection)
      return connection
    }
  }

  /** Refuses a statement the server would answer by closing the connection (over `max_allowed_packet`). */
  function fits(connection: Mysql.PoolConnection, sql: string, params: readonly unknown[]): void {
    const limit = born.get(connection.connection)?.maxPacket
    if (limit !== undefined) checkPacket(sql, params, limit)
  }

  function giveBack(connection: Mysql.PoolConnection, error?: unknown): void {
    finish(connection, error !== undefined && isFatalMysqlError(error))
  }

  /**
   * Runs a script of several statements on a connection of its own, opened with
   * `multipleStatements` (pooled connections never are: there a text is one statement). While it
   * runs, `side.current` is that connection, for a cancel to reach.
   */
  async function script(sql: string, side: { current?: Mysql.Connection }): Promise<DriverResult> {
    const connection = await mysql.createConnection({
      ...server,
      ...(config.database !== undefined && { database: config.database }),
      ...(charset !== undefined && { charset }),
      multipleStatements: true,
    })
    side.current = connection
    busy.add(connection)
    try {
      await connection.query(SESSION)
      const [result] = await connection.query(sql)
      // One result per statement (a single one when the script has one statement).
      const parts: unknown[] = Array.isArray(result) && result.some((part) => Array.isArray(part) || isHeader(part)) ? result : [result]
      let rowsAffected = 0
      for (const part of parts) if (isHeader(part)) rowsAffected += part.affectedRows
      return { rows: [], rowsAffected }
    } finally {
      busy.delete(connection)
      side.current = undefined
      connection.destroy()
    }
  }

  const poolTarget: QueryTarget = {
    async query(sql, params, options) {
      const connection = await checkout()
      try {
        fits(connection, sql, params)
        const result = await run(connection, sql, params, options)
        finish(connection, false)
        return result
      } catch (error) {
        giveBack(connection, error)
        throw error
      }
    },
    async *stream(sql, params, options) {
      const connection = await checkout()
      const progress = { complete: false }
      let failed = false
      try {
        fits(connection, sql, params)
        yield* stream(connection, sql, params, options, progress)
      } catch (error) {
        failed = true
        giveBack(connection, error)
        throw error
      } finally {
        // Leaving a result half-read would leave the connection unusable: close it instead.
        if (!failed) finish(connection, !progress.complete)
      }
    },
  }

  return {
    dialect: 'mysql',
    packageName: 'mysql2',
    maxConnections: settings.size + settings.maxOverflow,
    cancels: true,
    pipelinesBegin: false,
    pool: poolTarget,
    async acquire(): Promise<DriverConnection> {
      const connection = await checkout()
      const side: { current?: Mysql.Connection } = {}
      return {
        query: async (sql, params, options) => (options.script === true ? script(sql, side) : (fits(connection, sql, params), run(connection, sql, params, options))),
        stream: (sql, params, options) => (fits(connection, sql, params), stream(connection, sql, params, options)),
        release: (broken?: boolean) => finish(connection, broken === true),
        cancel: () => cancel(side.current ?? connection),
      }
    },
    begin: (isolation?: IsolationLevel) =>
      isolation === undefined ? ['START TRANSACTION'] : [`SET TRANSACTION ISOLATION LEVEL ${isolation.toUpperCase()}`, 'START TRANSACTION'],
    translateError: translateMysqlError,
    isFatal: isFatalMysqlError,
    isCanceled: (error) => (error as { errno?: unknown } | null)?.errno === ER_QUERY_INTERRUPTED,
    async cancelRunning() {
      await Promise.allSettled([...busy].map(cancel))
    },
    close: () => pool.end(),
  }
}

/** Is this one statement's result header (not rows)? */
function isHeader(part: unknown): part is Mysql.ResultSetHeader {
  return typeof part === 'object' && part !== null && !Array.isArray(part) && typeof (part as { affectedRows?: unknown }).affectedRows === 'number'
}

async function run(connection: Mysql.PoolConnection, sql: string, params: readonly unknown[], options: QueryOptions): Promise<DriverResult> {
  const args = bindable(params)
  let result: unknown
  let fields: readonly Mysql.FieldPacket[] | undefined
  // Parameterless control statements and DDL go as text; queries use the (faster to decode)
  // binary protocol of prepared statements, which mysql2 caches per connection.
  if (args.length === 0 && !options.arrays) {
    ;[result, fields] = await connection.query({ sql, rowsAsArray: options.arrays })
  } else {
    try {
      ;[result, fields] = await connection.execute({ sql, rowsAsArray: options.arrays }, args as Mysql.ExecuteValues[])
    } catch (error) {
      if ((error as { errno?: unknown }).errno !== ER_UNSUPPORTED_PS) throw error
      ;[result, fields] = await connection.query({ sql, rowsAsArray: options.arrays }, args as Mysql.ExecuteValues[])
    }
  }
  if (Array.isArray(result)) {
    const dates = dateKeys(fields, options.arrays === true)
    if (dates !== undefined) for (const row of result) readDates(row as Record<string | number, unknown>, dates)
    return { rows: result, rowsAffected: result.length }
  }
  const header = result as Mysql.ResultSetHeader
  // 0 means no id was generated (explicit keys, no AUTO_INCREMENT, or not an insert).
  return { rows: [], rowsAffected: header.affectedRows, insertId: header.insertId === 0 ? undefined : header.insertId }
}

/** The keys (positions for array rows, else names) of a result's DATE and DATETIME columns, if any. */
function dateKeys(fields: readonly Mysql.FieldPacket[] | undefined, arrays: boolean): (string | number)[] | undefined {
  let keys: (string | number)[] | undefined
  fields?.forEach((field, i) => {
    if (DATE_TYPES.has(field.type ?? -1)) (keys ??= []).push(arrays ? i : field.name)
  })
  return keys
}

/** MYSQL_TYPE_TIMESTAMP, DATE, DATETIME and NEWDATE. */
const DATE_TYPES = new Set([0x07, 0x0a, 0x0c, 0x0e])

/** Replaces a row's DATE / DATETIME text (`YYYY-MM-DD[ HH:MM:SS[.ffffff]]`, UTC) by `Date`s. */
function readDates(row: Record<string | number, unknown>, keys: readonly (string | number)[]): void {
  for (const key of keys) {
    const text = row[key]
    if (typeof text === 'string') row[key] = dateOf(text)
  }
}

/** The instant of DATE or DATETIME text in UTC; a zero date ('0000-00-00') is an invalid Date, as mysql2 gives. */
function dateOf(text: string): Date {
  const n = (from: number, to: number) => (text.length >= to ? Number(text.slice(from, to)) : 0)
  const year = n(0, 4)
  const month = n(5, 7)
  const day = n(8, 10)
  if (month === 0 || day === 0) return new Date(NaN)
  const ms = text.length > 20 ? Math.floor(Number(text.slice(20, 23).padEnd(3, '0'))) : 0
  const date = new Date(Date.UTC(year, month - 1, day, n(11, 13), n(14, 16), n(17, 19), ms))
  // Date.UTC reads years 0–99 as 1900–1999.
  if (year < 100) date.setUTCFullYear(year, month - 1, day)
  return date
}

interface RawCommand {
  on(event: 'fields', listener: (fields: Mysql.FieldPacket[]) => void): RawCommand
  on(event: 'result', listener: (row: unknown) => void): RawCommand
  on(event: 'error', listener: (error: unknown) => void): RawCommand
  on(event: 'end', listener: () => void): RawCommand
}

interface RawConnection {
  query(options: object, values?: unknown[]): RawCommand
  execute(options: object, values?: unknown[]): RawCommand
  pause(): void
  resume(): void
  /** mysql2 reports a connection lost mid-command here, not on a command that has no callback. */
  on(event: 'error' | 'end', listener: (error?: unknown) => void): void
  removeListener(event: 'error' | 'end', listener: (error?: unknown) => void): void
}

/** The error for a connection that closed under a streaming command. */
function lostError(): Error {
  return Object.assign(new Error('Connection lost: the server closed the connection during iterate()'), { code: 'PROTOCOL_CONNECTION_LOST', fatal: true })
}

/**
 * Streams rows from the raw (callback) connection, pausing the socket while the consumer is
 * behind. Leaving early drains the rest so the connection stays usable (a transaction needs it),
 * unless `progress` is given: then the caller learns whether the result was read to the end and
 * may close the connection instead (cheaper for a pooled one-off statement).
 */
async function* stream(
  connection: Mysql.PoolConnection,
  sql: string,
  params: readonly unknown[],
  options: QueryOptions,
  progress?: { complete: boolean },
): AsyncIterable<unknown> {
  const args = bindable(params)
  const raw = connection.connection as unknown as RawConnection
  const buffer: unknown[] = []
  let head = 0
  let hasFields = false
  let dates: (string | number)[] | undefined
  let ended = false
  let dropping = false
  let paused = false
  let failure: { error: unknown } | undefined
  let wake: (() => void) | undefined
  const signal = () => {
    const resume = wake
    wake = undefined
    resume?.()
  }
  let settle = () => {}
  // A killed connection never ends or fails the command itself: without this the loop would wait forever.
  const lost = (error?: unknown) => {
    if (ended || failure) return
    failure = { error: error ?? lostError() }
    settle()
    signal()
  }
  raw.on('error', lost)
  raw.on('end', lost)
  const finished = new Promise<void>((resolve) => {
    settle = resolve
    const command = args.length === 0 && !options.arrays
      ? raw.query({ sql, rowsAsArray: options.arrays })
      : raw.execute({ sql, rowsAsArray: options.arrays }, args)
    command
      .on('fields', (fields) => {
        hasFields = true
        dates = dateKeys(fields, options.arrays === true)
      })
      .on('result', (row) => {
        if (!hasFields || dropping) return
        if (dates !== undefined) readDates(row as Record<string | number, unknown>, dates)
        buffer.push(row)
        if (buffer.length - head >= STREAM_ROWS && !paused) {
          paused = true
          raw.pause()
        }
        signal()
      })
      .on('error', (error) => {
        failure = { error }
        resolve()
        signal()
      })
      .on('end', () => {
        ended = true
        resolve()
        signal()
      })
  })
  try {
    for (;;) {
      if (head < buffer.length) {
        const row = buffer[head]
        buffer[head++] = undefined
        if (head === buffer.length) {
          buffer.length = 0
          head = 0
        }
        if (paused && buffer.length - head < STREAM_ROWS / 2) {
          paused = false
          raw.resume()
        }
        yield row
        continue
      }
      if (failure) throw failure.error
      if (ended) return
      await new Promise<void>((resolve) => (wake = resolve))
    }
  } finally {
    raw.removeListener('error', lost)
    raw.removeListener('end', lost)
    if (progress) progress.complete = ended
    else if (!ended && !failure) {
      dropping = true
      buffer.length = 0
      if (paused) raw.resume()
      await finished
    }
  }
}

/**
 * Throws (as the server's own ER_NET_PACKET_TOO_LARGE, before anything is sent) when the statement
 * and its values cannot fit in `limit` bytes. Cheap: exact sizes are counted only when an upper
 * bound (3 bytes per UTF-16 unit) is over the limit.
 */
function checkPacket(sql: string, params: readonly unknown[], limit: number): void {
  let bound = sql.length * 3
  for (let i = 0; i < params.length; i++) bound += sizeBound(params[i])
  if (bound <= limit) return
  let size = Buffer.byteLength(sql)
  for (let i = 0; i < params.length; i++) {
    const param = params[i]
    size += typeof param === 'string' ? Buffer.byteLength(param) : sizeBound(param)
  }
  if (size <= limit) return
  throw Object.assign(
    new Error(
      `the statement and its values take ${size.toLocaleString('en-US')} bytes, over the server's max_allowed_packet of ` +
        `${limit.toLocaleString('en-US')} bytes: raise max_allowed_packet on the server, or store the value in parts`,
    ),
    { errno: 1153, code: 'ER_NET_PACKET_TOO_LARGE', sqlState: '08S01', beforeSending: true },
  )
}

function sizeBound(param: unknown): number {
  if (typeof param === 'string') return param.length * 3 + 9
  if (param instanceof Uint8Array) return param.byteLength + 9
  if (param !== null && typeof param === 'object' && !(param instanceof Date)) return (JSON.stringify(param)?.length ?? 0) * 3 + 9
  return 32
}

/** mysql2 rejects `undefined` parameters. */
function bindable(params: readonly unknown[]): unknown[] {
  const out = new Array<unknown>(params.length)
  for (let i = 0; i < params.length; i++) out[i] = params[i] === undefined ? null : params[i]
  return out
}
