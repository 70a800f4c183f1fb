/**
 * `createEngine`: a URL and options become a pool of connections and the methods that run
 * statements on them. The driver loads on first use; statements wait for a connection permit
 * (`pool.timeoutMs`), so every driver times out the same way and SQLite's single connection
 * queues transactions.
 */
import { createAllStatements, dropAllStatements } from '../ddl/index.js'
import { getDialect } from '../dialects/index.js'
import type { Driver, DriverConnection, DriverResult, QueryOptions } from '../drivers/driver.js'
import { ArgumentError, QuarryError } from '../errors.js'
import { createEcho } from './echo.js'
import type { CloseOptions, Engine, EngineConnection } from './engine.types.js'
import { queryable } from './execute.js'
import { enterHolding, holding } from './flows.js'
import { createGate } from './gate.js'
import { loadDriver } from './drivers.js'
import { resolvePooler } from '../drivers/postgres-pooler.js'
import { checkCancels, exchangeLimited, limitOf, type Limit, type StatementOptions } from './limit.js'
import { resolvePool, resolveSearchPath, resolveStatementTimeout, type EngineOptions } from './options.js'
import { closedError, exchange, exchangeSync, streamRows, type Runtime, type Site } from './runtime.js'
import { heldSite, hold, transaction } from './transaction.js'
import { parseUrl } from './url.js'
import { schemaMetaOf } from '../schema/define.js'
import { describeValue } from '../expr/nodes.js'

/** How a script is sent: every statement of the text runs (see `QueryOptions.script`). */
const SCRIPT: QueryOptions = Object.freeze({ arrays: false, script: true })

/** How long `close()` waits for work in flight (unless given `timeoutMs`). */
const CLOSE_GRACE_MS = 5000
/** How long `close()` waits for canceled statements to end before closing their connections. */
const CLOSE_CANCEL_MS = 2000

/**
 * Creates an engine for a database URL. Nothing connects until the first statement.
 * @example
 * const engine = createEngine('sqlite:///app.db', { echo: true })
 * const pg = createEngine('postgresql://user:password@localhost:5432/mydb', { pool: { size: 10, maxOverflow: 20, timeoutMs: 30_000 } })
 * const my = createEngine('mysql://user:password@localhost/mydb')
 */
export function createEngine(url: string, options: EngineOptions = {}): Engine {
  const parsed = parseUrl(url)
  const dialect = getDialect(parsed.dialect)
  const pool = resolvePool(options.pool, parsed.dialect)
  const searchPath = resolveSearchPath(options.searchPath)
  if (searchPath !== undefined && parsed.dialect !== 'postgres') {
    throw new QuarryError(`searchPath is a PostgreSQL option; ${parsed.display} is ${parsed.dialect}`)
  }
  const pooler = resolvePooler(options.pooler, parsed, searchPath)
  const echo = createEcho(options.echo)
  const statementTimeoutMs = resolveStatementTimeout(options.statementTimeoutMs, parsed.options.statement_timeout, parsed.display)
  let closed = false
  let driver: Promise<Driver> | undefined
  /** The driver once loaded, for the synchronous path. */
  let loadedDriver: Driver | undefined
  const gate = createGate(pool.size + pool.maxOverflow, pool.timeoutMs, () => `the engine for ${parsed.display}`)
  /**
   * One connection (SQLite, or `pool.size` 1): transactions and iterate() loops mark their code
   * (`flows.ts`), so that a statement they send on the engine fails at once instead of waiting for
   * them. Engines of several connections skip the cost: a flow rarely holds all of them.
   */
  const single = pool.size + pool.maxOverflow === 1

  const runtime: Runtime = {
    dialect,
    gate,
    echo,
    display: parsed.display,
    validateJson: options.validateJson !== false,
    statementTimeoutMs,
    plucks: false,
    open() {
      if (closed) return Promise.reject(closedError(runtime))
      driver ??= loadDriver(parsed.driver, {
        host: parsed.host,
        port: parsed.port,
        user: parsed.user,
        password: parsed.password,
        database: parsed.database,
        filename: parsed.filename,
        options: parsed.options,
        pool,
        searchPath,
        functions: dialect.connectionFunctions,
        pooler,
      }).then((loaded) => {
        if (statementTimeoutMs !== undefined) checkCancels(loaded, runtime, `statementTimeoutMs (${statementTimeoutMs} ms)`)
        runtime.plucks = loaded.plucks === true
        return (loadedDriver = loaded)
      })
      return driver
    },
  }

  /**
   * The driver when it is loaded and the engine open. Statements await the driver and a permit
   * only when they are not at hand: each await costs a statement a turn of the microtask queue.
   */
  function ready(): Driver | undefined {
    return closed ? undefined : loadedDriver
  }

  /** Borrows a permit and a connection; gives the permit back when connecting fails. */
  async function borrow(): Promise<{ driver: Driver; connection: DriverConnection }> {
    const loaded = ready() ?? (await runtime.open())
    if (!gate.tryAcquire()) await gate.acquire()
    try {
      return { driver: loaded, connection: await loaded.acquire() }
    } catch (error) {
      gate.release()
      throw loaded.translateError(error, '', [])
    }
  }

  /** Runs one statement under a limit on a connection of its own, which a cancel can reach. */
  async function sendLimited(sql: string, params: readonly unknown[], queryOptions: QueryOptions, limit: Limit): Promise<DriverResult> {
    const { driver: loaded, connection } = await borrow()
    const held = hold(connection)
    try {
      return await exchangeLimited(runtime, loaded, held, sql, params, queryOptions, limit)
    } finally {
      connection.release(held.broken)
      gate.release()
    }
  }

  const site: Site = {
    runtime,
    timeoutMs: statementTimeoutMs,
    sendSync(sql, params, queryOptions) {
      const querySync = loadedDriver?.pool.querySync
      if (querySync === undefined || closed || !gate.tryAcquire()) return undefined
      try {
        return exchangeSync(runtime, loadedDriver!, querySync, sql, params, queryOptions)
      } finally {
        gate.release()
      }
    },
    async send(sql, params, queryOptions, limit) {
      if (limit !== undefined) return sendLimited(sql, params, queryOptions, limit)
      const loaded = ready() ?? (await runtime.open())
      if (!gate.tryAcquire()) await gate.acquire()
      try {
        return await exchange(runtime, loaded, loaded.pool, sql, params, queryOptions)
      } finally {
        gate.release()
      }
    },
    async *stream(sql, params, queryOptions) {
      // Before any await: the mark reaches the consumer's loop body, where a statement on the engine waits for this permit.
      const mark = single ? enterHolding(gate, 'iterate') : undefined
      try {
        const loaded = ready() ?? (await runtime.open())
        if (!gate.tryAcquire()) await gate.acquire()
        mark?.acquired()
        try {
          yield* streamRows(runtime, loaded, loaded.pool, sql, params, queryOptions)
        } finally {
          gate.release()
        }
      } finally {
        mark?.leave()
      }
    },
    async atomic(fn, transactionOptions) {
      const { driver: loaded, connection } = await borrow()
      const held = hold(connection)
      try {
        const run = () => transaction(runtime, loaded, held, fn, transactionOptions, statementTimeoutMs)
        return await (single ? holding(gate, 'transaction', run) : run())
      } finally {
        connection.release(held.broken)
        gate.release()
      }
    },
  }

  async function connect(): Promise<EngineConnection> {
    const { driver: loaded, connection } = await borrow()
    const held = hold(connection)
    const scope = { ended: false, what: 'connection' as const, timeoutMs: statementTimeoutMs }
    const release = async () => {
      if (scope.ended) return
      scope.ended = true
      connection.release(held.broken)
      gate.release()
    }
    return Object.freeze({ ...queryable(heldSite(runtime, loaded, held, scope)), release, [Symbol.asyncDispose]: release })
  }

  /**
   * Runs DDL statements in order on one connection: in one transaction where DDL is
   * transactional (a failure leaves nothing half-made), and with foreign-key checks turned back
   * on whatever happens when the statements suspend them (a cycle on MySQL and SQLite).
   */
  async function script(statements: readonly string[]): Promise<void> {
    const { driver: loaded, connection } = await borrow()
    const held = hold(connection)
    const [suspend, resume] = dialect.ddl.suspendForeignKeys ?? []
    const run = (statement: string) => exchange(runtime, loaded, connection, statement, [], { arrays: false }, held)
    let suspended = false
    try {
      // SQLite ignores PRAGMA foreign_keys inside a transaction: suspending checks rules one out.
      if (dialect.capabilities.transactionalDdl && (suspend === undefined || !statements.includes(suspend))) {
        await transaction(runtime, loaded, held, async (inner) => {
          for (const statement of statements) await inner.send(statement, [], { arrays: false })
        }, undefined, undefined)
        return
      }
      for (const statement of statements) {
        if (statement === suspend) suspended = true
        await run(statement)
        if (statement === resume) suspended = false
      }
    } finally {
      if (suspended && !held.broken) await run(resume!).catch(() => (held.broken = true))
      connection.release(held.broken)
      gate.release()
    }
  }

  /** `engine.executeScript`: the text as one script, on a connection of its own, under the statement limits. */
  async function executeScript(text: string, scriptOptions?: StatementOptions): Promise<void> {
    if (typeof text !== 'string') throw new ArgumentError(`executeScript(): expected the script as a string, got ${describeValue(text)}`)
    if (text.trim() === '') throw new ArgumentError('executeScript(): the script is empty')
    const limit = limitOf(statementTimeoutMs, scriptOptions)
    if (limit !== undefined) await sendLimited(text, [], SCRIPT, limit)
    else {
      const { driver: loaded, connection } = await borrow()
      const held = hold(connection)
      try {
        await exchange(runtime, loaded, connection, text, [], SCRIPT, held)
      } finally {
        connection.release(held.broken)
        gate.release()
      }
    }
  }

  /** Resolves true once no connection is in use, false after `ms`. */
  async function idleWithin(ms: number): Promise<boolean> {
    let timer: ReturnType<typeof setTimeout> | undefined
    const idle = await Promise.race([gate.idle().then(() => true), new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), ms)))])
    clearTimeout(timer)
    return idle
  }

  async function close(closeOptions?: CloseOptions): Promise<void> {
    const graceMs = closeOptions?.timeoutMs === undefined ? CLOSE_GRACE_MS : closeOptions.timeoutMs
    if (typeof graceMs !== 'number' || !Number.isFinite(graceMs) || graceMs < 0) {
      throw new QuarryError(`close({ timeoutMs }) must be a number of milliseconds ≥ 0 (got ${String(graceMs)})`)
    }
    if (closed) return
    closed = true
    gate.close()
    // Let statements and transactions in flight finish (for a while), then cancel the statements
    // still running on the server (closing a connection alone leaves them running there).
    if (!(await idleWithin(graceMs))) {
      const inUse = gate.inUse
      await loadedDriver?.cancelRunning().catch(() => undefined)
      const settled = await idleWithin(CLOSE_CANCEL_MS)
      console.warn(
        `quarry: close() of the engine for ${parsed.display} waited ${graceMs} ms for ${inUse} connection(s) still in use ` +
          '(a transaction not ended, a connection from connect() not released, an iterate() loop not finished, or an ORM session not committed, rolled back or closed); ' +
          `canceled the statements they were running${settled ? '' : ` and waited ${CLOSE_CANCEL_MS} ms more`}; closing them now`,
      )
    }
    const loaded = driver
    driver = undefined
    if (loaded !== undefined) await (await loaded.catch(() => undefined))?.close()
  }

  return Object.freeze({
    ...queryable(site),
    dialect,
    url: parsed.display,
    connect,
    executeScript,
    createAll: async (schema: object) => script(createAllStatements(schemaMetaOf(schema), dialect)),
    dropAll: async (schema: object) => script(dropAllStatements(schemaMetaOf(schema), dialect)),
    close,
    [Symbol.asyncDispose]: close,
  })
}
