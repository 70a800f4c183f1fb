/**
 * The public contract of the engine, its transactions and its connections. The runtime in
 * `engine.ts`, `execute.ts` and `transaction.ts` implements it.
 */
import type { Executable } from '../builder/executable.js'
import type { Prepared } from '../builder/prepare.js'
import type { Dialect } from '../dialects/dialect.js'
import type { IsolationLevel } from '../drivers/driver.js'
import type { RetryOptions } from './retry.js'
import type { StatementOptions } from './limit.js'

export type { StatementOptions }

/** Anything the engine runs: a builder, a raw `sql` statement, or a prepared statement. */
export type Statement<TRow = unknown> = Executable<TRow> | Prepared<TRow>

/** Values for the named `param()` placeholders of a statement. */
export type ParamValues = Readonly<Record<string, unknown>>

type Primitive = string | number | bigint | boolean | null | undefined | Date | Uint8Array

/** The single value of a one-key row, or the row itself when rows are plain values. */
export type ScalarOf<TRow> = [TRow] extends [Primitive]
  ? TRow
  : TRow extends Record<string, unknown>
    ? { [K in keyof TRow]: [Exclude<keyof TRow, K>] extends [never] ? TRow[K] : unknown }[keyof TRow]
    : unknown

/** What `execute` reports. */
export interface ExecuteResult<TRow = unknown> {
  /** Rows inserted, updated or deleted (rows returned, for a SELECT). */
  readonly rowsAffected: number
  /** The first generated id of an INSERT, where the database reports one (SQLite, MySQL). */
  readonly insertId?: number | bigint
  /** The rows a statement with RETURNING produced. */
  readonly rows?: TRow[]
}

/** Options of `transaction`. */
export interface TransactionOptions {
  /** Isolation level (PostgreSQL, MySQL); SQLite always runs serializable. */
  readonly isolation?: IsolationLevel
  /**
   * Re-run the whole callback in a new transaction when the database rolls it back with an error
   * marked `retryable` (serialization failure, deadlock, lock wait timeout, Galera certification
   * failure), waiting with exponential backoff and jitter between attempts. The callback must be
   * safe to run again; when it did something that is not, it calls `tx.preventRetry()`. After the
   * last attempt the error says how many were made. Outermost transactions only.
   * @example await engine.transaction(async (tx) => { … }, { isolation: 'serializable', retry: { attempts: 5 } })
   */
  readonly retry?: RetryOptions
  /**
   * The statement timeout of every statement in the transaction that names none (over the
   * engine's `statementTimeoutMs`); each statement gets the whole timeout.
   * @example await engine.transaction(async (tx) => { … }, { statementTimeoutMs: 2_000 })
   */
  readonly statementTimeoutMs?: number
}

/** Options of `engine.close()`. */
export interface CloseOptions {
  /**
   * How long to let statements and transactions in flight finish (default 5,000 ms); then the
   * statements still running are canceled on the server and the connections closed.
   */
  readonly timeoutMs?: number
}

/**
 * The statement-running methods shared by the engine, transactions and connections. Each takes
 * `{ timeoutMs, signal }` last (`StatementOptions`): the statement is canceled on the server when
 * the timeout expires (`StatementTimeoutError`) or the signal aborts (`StatementCanceledError`).
 * An `iterate()` loop takes no timeout: it checks its signal before it starts and between rows.
 */
export interface Queryable {
  /** The dialect SQL is compiled for. */
  readonly dialect: Dialect
  /**
   * All rows of a query.
   * @example const people = await engine.all(select(users).where(eq(users.active, true)))
   */
  all<TRow>(query: Statement<TRow>, values?: ParamValues, options?: StatementOptions): Promise<TRow[]>
  /**
   * The first row, or `undefined` when there is none.
   * @example const alice = await engine.first(select(users).where(eq(users.username, 'alice')))
   */
  first<TRow>(query: Statement<TRow>, values?: ParamValues, options?: StatementOptions): Promise<TRow | undefined>
  /**
   * Exactly one row: throws `NoResultError` for none and `MultipleResultsError` for more.
   * @example const user = await engine.one(select(users).where(eq(users.id, 1)))
   */
  one<TRow>(query: Statement<TRow>, values?: ParamValues, options?: StatementOptions): Promise<TRow>
  /**
   * The first column of the first row; throws `NoResultError` when there is no row.
   * @example const n = await engine.scalar(select(count()).from(users)) // number
   */
  scalar<TRow>(query: Statement<TRow>, values?: ParamValues, options?: StatementOptions): Promise<ScalarOf<TRow>>
  /**
   * Runs a statement for its effect: rows affected, the generated id, and RETURNING rows.
   * Inserts with more parameters than the database accepts are split into several statements
   * inside one transaction.
   * @example const { rowsAffected } = await engine.execute(update(users).set({ bio: 'x' }).where(lt(users.id, 10)))
   */
  execute<TRow>(query: Statement<TRow>, values?: ParamValues, options?: StatementOptions): Promise<ExecuteResult<TRow>>
  /**
   * Rows one at a time, without holding the whole result in memory; the connection stays busy
   * until the loop ends (finish or `break` the loop: an abandoned iterator keeps its connection).
   * @example for await (const user of engine.iterate(select(users))) send(user)
   */
  iterate<TRow>(query: Statement<TRow>, values?: ParamValues, options?: StatementOptions): AsyncIterable<TRow>
  /**
   * Runs `fn` in a transaction on one connection: commits when it returns, rolls back and
   * re-throws when it throws. Inside a transaction this opens a SAVEPOINT instead.
   * @example await engine.transaction(async (tx) => { await tx.execute(insert(users).values(u)) })
   */
  transaction<TResult>(fn: (tx: Transaction) => Promise<TResult> | TResult, options?: TransactionOptions): Promise<TResult>
}

/** A transaction: the same methods as the engine, on the transaction's connection. */
export interface Transaction extends Queryable {
  /**
   * Declares that the callback did something that must not happen twice (sent an email, called
   * another service): a retryable failure after this reaches the caller instead of a new attempt.
   * @example await sendReceipt(order); tx.preventRetry('the receipt was sent')
   */
  preventRetry(reason?: string): void
  /** Which run of the callback this is: 1, then 2… when `retry` re-runs it. */
  readonly attempt: number
}

/** One pooled connection kept for connection-scoped work; give it back with `release()`. */
export interface EngineConnection extends Queryable, AsyncDisposable {
  /** Returns the connection to the pool (also done by `await using`). */
  release(): Promise<void>
}

/** A pool of connections to one database, and the statements that run on them. */
export interface Engine extends Queryable, AsyncDisposable {
  /** The dialect SQL is compiled for. */
  readonly dialect: Dialect
  /** The connection URL with its password masked. */
  readonly url: string
  /**
   * Borrows one connection for work that must share it (session settings, temp tables).
   * @example await using conn = await engine.connect()
   */
  connect(): Promise<EngineConnection>
  /**
   * Runs a script of several SQL statements, in order, on a connection of its own (outside any
   * transaction). Everywhere else a text is one statement, and `select 1; delete from t` is
   * refused, so that a value pasted into raw SQL cannot add a statement. Statements commit one
   * by one (PostgreSQL runs an unwrapped script as one implicit transaction): write
   * `BEGIN; … COMMIT;` for all or nothing. Takes `{ timeoutMs, signal }` like a statement.
   * SQLite runs it with `exec`, PostgreSQL with the simple query protocol, MySQL on a connection
   * opened with `multipleStatements` for it.
   * @example await engine.executeScript('CREATE TABLE a (id int); CREATE TABLE b (id int);')
   */
  executeScript(script: string, options?: StatementOptions): Promise<void>
  /**
   * Creates the schema's missing tables and indexes, in foreign-key order.
   * @example await engine.createAll(schema)
   */
  createAll(schema: object): Promise<void>
  /**
   * Drops the schema's tables that exist, dependents first.
   * @example await engine.dropAll(schema)
   */
  dropAll(schema: object): Promise<void>
  /**
   * Closes every connection; later calls fail with `EngineClosedError`. Work in flight gets
   * `timeoutMs` (default 5,000 ms) to finish; statements still running then are canceled on the
   * server before their connections close.
   * @example await engine.close({ timeoutMs: 1_000 })
   */
  close(options?: CloseOptions): Promise<void>
}
