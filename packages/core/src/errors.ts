/**
 * Every error Quarry throws. Recognise them by `name`/`code`-free `instanceof` within one copy of
 * the package, or by the `quarry` marker across copies.
 */

/** Base of every error Quarry raises itself. */
export class QuarryError extends Error {
  readonly quarry = true
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options)
    this.name = new.target.name
  }
}

/** A statement that a dialect cannot express with the same meaning (raised while compiling). */
export class CompileError extends QuarryError {}

/** A schema literal that is invalid at run time (bad reference, duplicate name…). */
export class SchemaError extends QuarryError {}

/** A function was given an argument of the wrong kind (data where an expression belongs, a bad count…); the message names it. */
export class ArgumentError extends QuarryError {}

/** A connection URL that cannot be parsed; the message names the wrong part. */
export class UrlError extends QuarryError {}

/** The driver package for a dialect is not installed; the message names the package. */
export class DriverNotInstalledError extends QuarryError {
  constructor(readonly packageName: string, dialect: string, options?: { cause?: unknown }) {
    super(`the ${dialect} driver needs the '${packageName}' package: npm install ${packageName}`, options)
  }
}

/** A statement refused under `pooler: 'transaction'` because it would leave session state on a pooled server connection. */
export class PoolerError extends QuarryError {
  /** The statement refused. */
  readonly sql?: string
  constructor(message: string, options?: { sql?: string; cause?: unknown }) {
    super(message, options)
    this.sql = options?.sql
  }
}

/** Waiting for a pooled connection took longer than `pool.timeoutMs`. */
export class PoolTimeoutError extends QuarryError {}
/**
 * A statement waits for a connection that the code sending it holds (the engine inside its only
 * connection's transaction or `iterate()` loop): it could never get it, so it fails at once.
 */
export class ConnectionHeldError extends PoolTimeoutError {}

/** The engine was closed; it runs no more statements. */
export class EngineClosedError extends QuarryError {}

/** `one()` found no row. */
export class NoResultError extends QuarryError {}

/** `one()` found more than one row. */
export class MultipleResultsError extends QuarryError {}

/** What Quarry knows about a database error beyond its message. */
export interface DatabaseErrorDetails {
  /** The statement that failed (never its parameter values). */
  readonly sql?: string
  /** SQLSTATE, MySQL errno or SQLite extended code, as the driver reported it. */
  readonly code?: string | number
  readonly table?: string
  readonly columns?: readonly string[]
  readonly constraint?: string
  readonly cause?: unknown
  /**
   * The driver's error module judged that running the whole transaction again may succeed
   * (serialization failure, deadlock, lock wait timeout, Galera certification failure).
   */
  readonly retryable?: boolean
}

/** Base of every error the database (or its driver) reported; `cause` is the driver's error without values, `driverError` the error itself. */
export class DatabaseError extends QuarryError {
  readonly sql?: string
  readonly code?: string | number
  readonly table?: string
  readonly columns?: readonly string[]
  readonly constraint?: string
  /**
   * The driver's own error, as it was thrown: for debugging only, since it may quote values
   * (PostgreSQL's `detail` and `parameters`, MySQL's `Duplicate entry '…'`). Non-enumerable, so
   * `console.error(err)`, `util.inspect` and `JSON.stringify` never print it; `cause` is a copy
   * of it without values.
   */
  declare readonly driverError?: unknown
  /** True when re-running the whole transaction may succeed; `transaction(fn, { retry })` retries only these. */
  readonly retryable: boolean
  constructor(message: string, details: DatabaseErrorDetails = {}) {
    super(message, { cause: details.cause })
    this.retryable = details.retryable === true
    this.sql = details.sql
    this.code = details.code
    this.table = details.table
    this.columns = details.columns
    this.constraint = details.constraint
  }
}

/** A constraint rejected the change. */
export class IntegrityError extends DatabaseError {}
/** A unique or primary-key constraint rejected a duplicate. */
export class UniqueViolation extends IntegrityError {}
/** A foreign key points at a missing row, or a referenced row is still in use. */
export class ForeignKeyViolation extends IntegrityError {}
/** NULL was written to a NOT NULL column. */
export class NotNullViolation extends IntegrityError {}
/** A CHECK constraint rejected the row. */
export class CheckViolation extends IntegrityError {}

/** The connection could not be opened, or was lost (killed, server restarted, network). */
export class ConnectionError extends DatabaseError {}
/** The SQL is wrong for this database: syntax, unknown table or column, permissions. */
export class ProgrammingError extends DatabaseError {}
/** A value does not fit its column: wrong type, out of range, too long, invalid text. */
export class DataError extends DatabaseError {}
/** One problem a schema found: where in the value, and what. */
export interface JsonIssue {
  readonly path: readonly PropertyKey[]
  readonly message: string
  readonly code?: string
}

/** A json value that its column's declared schema rejects; `issues` are the schema's own. */
export class JsonSchemaError extends DataError {
  /** The schema's issues (zod's `issues`), paths relative to the column's value. */
  readonly issues: readonly JsonIssue[]
  constructor(message: string, table: string, column: string, issues: readonly JsonIssue[]) {
    super(message, { table, columns: [column] })
    this.issues = issues
  }
}

/** The transaction lost a race (serialization failure, deadlock, busy database): retry it. */
export class SerializationFailure extends DatabaseError {}
/**
 * A statement ran after an earlier one failed in the same PostgreSQL transaction: roll back
 * (or to a savepoint) first.
 */
export class TransactionAbortedError extends DatabaseError {}

/**
 * A statement was canceled on the server because its `AbortSignal` fired; `cause` holds the
 * signal's reason. The connection was kept only when the server confirmed the cancel, else closed.
 */
export class StatementCanceledError extends DatabaseError {}

/**
 * A statement ran longer than its `statementTimeoutMs` (engine, transaction or call) and was
 * canceled on the server. The message names the timeout and the kind of statement, never its values.
 */
export class StatementTimeoutError extends StatementCanceledError {
  /** The timeout that expired, in milliseconds. */
  readonly timeoutMs: number
  constructor(message: string, timeoutMs: number, details: DatabaseErrorDetails = {}) {
    super(message, details)
    this.timeoutMs = timeoutMs
  }
}
