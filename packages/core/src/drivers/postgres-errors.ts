/**
 * postgres.js errors → Quarry errors, by SQLSTATE. PostgreSQL reports table, column and
 * constraint itself; the columns of a unique or foreign key come from the `Key (a, b)=` detail.
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
  TransactionAbortedError,
  UniqueViolation,
} from '../errors.js'
import { databaseError, type DatabaseErrorClass } from './error-message.js'

const BY_SQLSTATE: Readonly<Record<string, DatabaseErrorClass>> = {
  '23505': UniqueViolation,
  '23503': ForeignKeyViolation,
  '23502': NotNullViolation,
  '23514': CheckViolation,
  '40001': SerializationFailure,
  '40P01': SerializationFailure,
  '25P02': TransactionAbortedError,
  '57P01': ConnectionError,
  '57P02': ConnectionError,
  '57P03': ConnectionError,
  '53300': ConnectionError,
  '3D000': ConnectionError,
  '0A000': ProgrammingError,
}

/** Serialization failure and deadlock: the transaction was rolled back and may succeed when run again. */
const RETRYABLE = new Set(['40001', '40P01'])

/** SQLSTATE classes (first two characters). */
const BY_CLASS: Readonly<Record<string, DatabaseErrorClass>> = {
  '08': ConnectionError,
  '28': ConnectionError,
  '22': DataError,
  '23': IntegrityError,
  '42': ProgrammingError,
  '40': SerializationFailure,
}

/** postgres.js's own (client-side) error codes. */
const CLIENT_CODES: Readonly<Record<string, DatabaseErrorClass>> = {
  CONNECTION_CLOSED: ConnectionError,
  CONNECTION_ENDED: ConnectionError,
  CONNECTION_DESTROYED: ConnectionError,
  CONNECT_TIMEOUT: ConnectionError,
  ECONNREFUSED: ConnectionError,
  ECONNRESET: ConnectionError,
  ENOTFOUND: ConnectionError,
  ETIMEDOUT: ConnectionError,
  EHOSTUNREACH: ConnectionError,
  EPIPE: ConnectionError,
  SASL_SIGNATURE_MISMATCH: ConnectionError,
  AUTH_TYPE_NOT_IMPLEMENTED: ConnectionError,
  MAX_PARAMETERS_EXCEEDED: ProgrammingError,
  UNDEFINED_VALUE: DataError,
}

interface PgErrorFields {
  code?: string
  message: string
  detail?: string
  table_name?: string
  column_name?: string
  constraint_name?: string
  errors?: readonly { code?: string }[]
}

/** The client code of an error, looking inside Node's AggregateError (IPv4 + IPv6 attempts). */
function clientCode(error: PgErrorFields): string | undefined {
  return error.code ?? error.errors?.find((inner) => inner.code !== undefined)?.code
}

function keyColumns(detail: string | undefined): string[] | undefined {
  const key = detail === undefined ? null : /^Key \((.+?)\)=\(/.exec(detail)
  return key ? key[1]!.split(', ').map((name) => name.replace(/^"(.*)"$/, '$1')) : undefined
}

/** Maps a postgres.js error to a `DatabaseError`; other errors are returned unchanged. */
export function translatePostgresError(error: unknown, sql: string, params: readonly unknown[]): unknown {
  if (!(error instanceof Error) || error instanceof DatabaseError) return error
  const fields = error as unknown as PgErrorFields
  const code = clientCode(fields)
  if (code === undefined) return error
  const isServer = error.name === 'PostgresError'
  const Kind = isServer
    ? BY_SQLSTATE[code] ?? BY_CLASS[code.slice(0, 2)] ?? DatabaseError
    : CLIENT_CODES[code] ?? (/^E[A-Z]+$/.test(code) ? ConnectionError : undefined)
  if (Kind === undefined) return error
  const columns = fields.column_name !== undefined ? [fields.column_name] : keyColumns(fields.detail)
  const message = Kind === TransactionAbortedError
    ? 'a previous statement in this transaction failed; roll back the transaction (or to a savepoint) before running more statements'
    : isServer
      ? error.message || code
      : `connection to PostgreSQL failed or was lost (${error.message || code})`
  return databaseError(Kind, message, {
    sql,
    params,
    code,
    cause: error,
    table: fields.table_name,
    columns,
    constraint: fields.constraint_name,
    retryable: isServer && RETRYABLE.has(code),
  })
}

/** True when the connection that raised the error is gone. */
export function isFatalPostgresError(error: unknown): boolean {
  const code = clientCode((error ?? {}) as PgErrorFields)
  if (code === undefined) return false
  return code.startsWith('08') || code.startsWith('57P') || code.startsWith('CONNECT') || /^E[A-Z]+$/.test(code)
}
