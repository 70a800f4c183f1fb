/**
 * better-sqlite3 errors → Quarry errors, by SQLite extended result code. SQLite names no
 * constraint for UNIQUE/NOT NULL, so table and columns are parsed from the message.
 */
import {
  CheckViolation,
  ConnectionError,
  DatabaseError,
  DataError,
  ForeignKeyViolation,
  IntegrityError,
  NotNullViolation,
  ProgrammingError,
  SerializationFailure,
  UniqueViolation,
} from '../errors.js'
import { databaseError, type DatabaseErrorClass } from './error-message.js'

const BY_CODE: Readonly<Record<string, DatabaseErrorClass>> = {
  SQLITE_CONSTRAINT_UNIQUE: UniqueViolation,
  SQLITE_CONSTRAINT_PRIMARYKEY: UniqueViolation,
  SQLITE_CONSTRAINT_FOREIGNKEY: ForeignKeyViolation,
  SQLITE_CONSTRAINT_NOTNULL: NotNullViolation,
  SQLITE_CONSTRAINT_CHECK: CheckViolation,
  SQLITE_CONSTRAINT_DATATYPE: DataError,
  SQLITE_MISMATCH: DataError,
  SQLITE_TOOBIG: DataError,
  SQLITE_RANGE: ProgrammingError,
  SQLITE_ERROR: ProgrammingError,
  SQLITE_AUTH: ProgrammingError,
  SQLITE_PERM: ProgrammingError,
  SQLITE_CANTOPEN: ConnectionError,
  SQLITE_NOTADB: ConnectionError,
}

/** Prefixes of extended codes that share one class. */
const BY_PREFIX: readonly (readonly [string, DatabaseErrorClass])[] = [
  ['SQLITE_CONSTRAINT', IntegrityError],
  ['SQLITE_BUSY', SerializationFailure],
  ['SQLITE_LOCKED', SerializationFailure],
  ['SQLITE_CANTOPEN', ConnectionError],
]

function classFor(code: string): DatabaseErrorClass {
  return BY_CODE[code] ?? BY_PREFIX.find(([prefix]) => code.startsWith(prefix))?.[1] ?? DatabaseError
}

/** `table.col, table.col2` (or `index 'name'`) after "constraint failed:". */
function parseTarget(message: string): { table?: string; columns?: string[]; constraint?: string } {
  const failed = /constraint failed: (.+)$/.exec(message)?.[1]
  if (failed !== undefined) {
    const index = /^index '(.+)'$/.exec(failed)
    if (index) return { constraint: index[1] }
    const pairs = failed.split(', ').map((part) => /^([^.\s]+)\.([^.\s]+)$/.exec(part))
    if (pairs.every((pair) => pair !== null)) {
      return { table: pairs[0]![1], columns: pairs.map((pair) => pair![2]!) }
    }
    return /^\w+$/.test(failed) ? { constraint: failed } : {}
  }
  const column = /in \w+ column ([^.\s]+)\.([^.\s]+)$/.exec(message)
  return column ? { table: column[1], columns: [column[2]!] } : {}
}

/** Maps a better-sqlite3 error (SqliteError, or its TypeError/RangeError on binding) to a `DatabaseError`. */
export function translateSqliteError(error: unknown, sql: string, params: readonly unknown[]): unknown {
  if (!(error instanceof Error) || error instanceof DatabaseError) return error
  const code = (error as { code?: unknown }).code
  if (typeof code === 'string' && code.startsWith('SQLITE_')) {
    // SQLITE_BUSY (another process holds the lock, or a read snapshot went stale) clears on a new try.
    const retryable = code.startsWith('SQLITE_BUSY')
    return databaseError(classFor(code), error.message, { sql, params, code, cause: error, retryable, ...parseTarget(error.message) })
  }
  if (error.name === 'TypeError' || error.name === 'RangeError') {
    const Kind = /can only bind/i.test(error.message)
      ? DataError
      : /not open/i.test(error.message)
        ? ConnectionError
        : ProgrammingError
    return databaseError(Kind, error.message, { sql, params, cause: error })
  }
  return error
}
