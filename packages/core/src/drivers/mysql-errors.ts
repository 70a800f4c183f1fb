/**
 * mysql2 errors → Quarry errors, by MySQL/MariaDB errno (then SQLSTATE class). MySQL puts the
 * key, column and table in the message, so they are parsed from it; the offending value that
 * MySQL quotes is removed.
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

const BY_ERRNO: Readonly<Record<number, DatabaseErrorClass>> = {
  1062: UniqueViolation,
  1586: UniqueViolation,
  1169: UniqueViolation,
  1216: ForeignKeyViolation,
  1217: ForeignKeyViolation,
  1451: ForeignKeyViolation,
  1452: ForeignKeyViolation,
  1048: NotNullViolation,
  1364: NotNullViolation,
  3819: CheckViolation,
  4025: CheckViolation,
  1153: DataError,
  1264: DataError,
  1265: DataError,
  1292: DataError,
  1365: DataError,
  1366: DataError,
  1367: DataError,
  1406: DataError,
  1411: DataError,
  1690: DataError,
  3140: DataError,
  1205: SerializationFailure,
  1213: SerializationFailure,
  1040: ConnectionError,
  1044: ConnectionError,
  1045: ConnectionError,
  1049: ConnectionError,
  1053: ConnectionError,
  1927: ConnectionError,
  2002: ConnectionError,
  2003: ConnectionError,
  2006: ConnectionError,
  2013: ConnectionError,
}

/**
 * Errors after which running the whole transaction again may succeed: deadlock (1213, also what
 * a Galera certification failure or brute-force abort reports), lock wait timeout (1205), MariaDB's
 * snapshot-isolation conflict "Record has changed since last read" (1020).
 */
const RETRYABLE = new Set([1020, 1205, 1213])

/** A Galera node that is not synced refuses statements with 1047 "WSREP has not yet prepared node…": another try may land on a ready node. */
const WSREP_NOT_READY = /WSREP has not yet prepared node/i

const BY_SQLSTATE_CLASS: Readonly<Record<string, DatabaseErrorClass>> = {
  '08': ConnectionError,
  '22': DataError,
  '23': IntegrityError,
  '40': SerializationFailure,
  '42': ProgrammingError,
}

/** mysql2's client-side codes for a lost or refused connection. */
const CONNECTION_CODES = new Set([
  'PROTOCOL_CONNECTION_LOST',
  'PROTOCOL_SEQUENCE_TIMEOUT',
  'PROTOCOL_ENQUEUE_AFTER_FATAL_ERROR',
  'ECONNREFUSED',
  'ECONNRESET',
  'ENOTFOUND',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'EPIPE',
])

interface MysqlErrorFields {
  code?: string
  errno?: number
  sqlState?: string
  sqlMessage?: string
  fatal?: boolean
  message: string
}

const CLOSED_STATE = /closed state|Pool is closed|connection is in closed/i

function parseTarget(errno: number, message: string, sql: string): { table?: string; columns?: string[]; constraint?: string } {
  const unquote = (name: string) => name.replace(/[`'"]/g, '')
  const lastPart = (name: string) => unquote(name.trim()).split('.').pop()!
  if (errno === 1451 || errno === 1452) {
    // (`db`.`posts`, CONSTRAINT `fk` FOREIGN KEY (`author_id`) REFERENCES ...
    const fk = /\(([^,]+), CONSTRAINT `([^`]+)` FOREIGN KEY \(([^)]+)\)/.exec(message)
    if (fk) return { table: lastPart(fk[1]!), constraint: fk[2], columns: fk[3]!.split(', ').map(unquote) }
  }
  if (errno === 1062 || errno === 1586) {
    const key = /for key '([^']+)'/.exec(message)?.[1]
    if (key !== undefined) {
      const dot = key.lastIndexOf('.')
      const table = dot > 0 ? key.slice(0, dot) : statementTable(sql)
      return { table, constraint: dot > 0 ? key.slice(dot + 1) : key }
    }
  }
  if (errno === 4025) {
    const check = /CONSTRAINT [`'"]?([^`'"\s]+)[`'"]? failed for (\S+)/.exec(message)
    if (check) return { constraint: check[1], table: lastPart(check[2]!) }
  }
  if (errno === 3819) {
    const check = /Check constraint '([^']+)'/.exec(message)
    if (check) return { constraint: check[1], table: statementTable(sql) }
  }
  // Column 'x' cannot be null / Field 'x' doesn't have… / … for column `db`.`t`.`x` at row 1
  const column = /(?:Column|Field|column) ((?:[`'][^`']+[`']\.)*[`'][^`']+[`'])/.exec(message)
  if (column) {
    const parts = column[1]!.split(/(?<=[`'])\.(?=[`'])/).map(unquote)
    return { columns: [parts[parts.length - 1]!], table: parts.length > 1 ? parts[parts.length - 2] : statementTable(sql) }
  }
  return { table: statementTable(sql) }
}

/** The table an INSERT/UPDATE/DELETE writes to, read from the SQL text. */
function statementTable(sql: string): string | undefined {
  const match = /^\s*(?:insert\s+(?:ignore\s+)?into|update|delete\s+from|replace\s+into)\s+((?:`[^`]+`|\w+)(?:\.(?:`[^`]+`|\w+))?)/i.exec(sql)
  return match ? match[1]!.split('.').pop()!.replace(/`/g, '') : undefined
}

/** MySQL quotes the offending value in several messages; drop it. */
function withoutValues(message: string): string {
  return message
    .replace(/(Duplicate entry )'(?:[^'\\]|\\.|'')*'/, "$1'…'")
    .replace(/(value: )'(?:[^'\\]|\\.|'')*'/, "$1'…'")
    .replace(/(Truncated incorrect \w+ value: )'(?:[^'\\]|\\.|'')*'/, "$1'…'")
}

/** Maps a mysql2 error to a `DatabaseError`; other errors are returned unchanged. */
export function translateMysqlError(error: unknown, sql: string, params: readonly unknown[]): unknown {
  if (!(error instanceof Error) || error instanceof DatabaseError) return error
  const fields = error as unknown as MysqlErrorFields
  const errno = typeof fields.errno === 'number' ? fields.errno : undefined
  let Kind: DatabaseErrorClass | undefined
  if (fields.code !== undefined && CONNECTION_CODES.has(fields.code)) Kind = ConnectionError
  else if (errno !== undefined && fields.sqlState !== undefined) {
    Kind = BY_ERRNO[errno] ?? BY_SQLSTATE_CLASS[fields.sqlState.slice(0, 2)] ?? (errno >= 1000 && errno < 2000 ? ProgrammingError : DatabaseError)
  } else if (CLOSED_STATE.test(error.message)) Kind = ConnectionError
  else if (fields.fatal === true) Kind = ConnectionError
  if (Kind === undefined) return error
  const target = errno !== undefined ? parseTarget(errno, error.message, sql) : {}
  return databaseError(Kind, withoutValues(fields.sqlMessage ?? error.message), {
    sql,
    params,
    code: errno ?? fields.code,
    cause: error,
    retryable: errno !== undefined && (RETRYABLE.has(errno) || (errno === 1047 && WSREP_NOT_READY.test(error.message))),
    ...(Kind.prototype instanceof IntegrityError || Kind === IntegrityError || Kind === DataError ? target : {}),
  })
}

/** True when the connection that raised the error can no longer be used. */
export function isFatalMysqlError(error: unknown): boolean {
  const fields = (error ?? {}) as MysqlErrorFields
  if (fields.fatal === true) return true
  if (fields.code !== undefined && CONNECTION_CODES.has(fields.code)) return true
  // Refused by the driver before sending: the connection never saw it.
  if ((error as { beforeSending?: boolean } | null)?.beforeSending === true) return false
  if (fields.errno === 1153 || fields.errno === 1927 || fields.errno === 2006 || fields.errno === 2013 || fields.errno === 1053) return true
  return typeof fields.message === 'string' && CLOSED_STATE.test(fields.message)
}
