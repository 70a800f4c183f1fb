/**
 * Builds `DatabaseError`s from driver errors with messages that show the SQL but never the
 * parameter values (driver messages often quote the offending value).
 */
import { DatabaseError, type DatabaseErrorDetails } from '../errors.js'

/** A `DatabaseError` subclass constructor. */
export type DatabaseErrorClass = new (message: string, details?: DatabaseErrorDetails) => DatabaseError

const MAX_SQL = 2000
const QUOTED = /'((?:[^'\\]|\\.|'')*)'|"((?:[^"\\]|\\.)*)"/g

/**
 * Removes parameter values from a driver message: quoted parts holding a value become `'…'`,
 * and any other occurrence of a value of three characters or more becomes `…`.
 */
export function redactParams(message: string, params: readonly unknown[]): string {
  const values = new Set<string>()
  for (const param of params) {
    if (typeof param === 'string' || typeof param === 'number' || typeof param === 'bigint') values.add(String(param))
  }
  if (values.size === 0) return message
  let out = message.replace(QUOTED, (match, single: string | undefined, double: string | undefined) => {
    const inner = single ?? double ?? ''
    for (const value of values) {
      if (inner === value || (value.length >= 3 && inner.includes(value))) return match[0] + '…' + match[0]
    }
    return match
  })
  for (const value of values) if (value.length >= 3) out = out.split(value).join('…')
  return out
}

/** The SQL as shown in error messages: trimmed to a readable length. */
export function sqlForMessage(sql: string): string {
  return sql.length > MAX_SQL ? sql.slice(0, MAX_SQL) + ` … (${sql.length - MAX_SQL} more characters)` : sql
}

/**
 * Creates a `DatabaseError` whose message is the (redacted) driver message plus the SQL. Its
 * `cause` is a redacted copy of the driver's error (name, codes, stack frames, the redacted
 * message; no detail, parameters or args), so printing the error shows no value; the driver's
 * own error is the non-enumerable `driverError`.
 */
export function databaseError(
  Kind: DatabaseErrorClass,
  driverMessage: string,
  details: DatabaseErrorDetails & { readonly params: readonly unknown[] },
): DatabaseError {
  const { params, cause, ...rest } = details
  const redacted = redactParams(driverMessage, params)
  const safeCause = cause === undefined ? undefined : redactedCopy(cause, redacted)
  // No statement (connecting): no SQL line.
  const error = details.sql === undefined || details.sql === ''
    ? new Kind(redacted, { ...rest, sql: undefined, cause: safeCause })
    : new Kind(`${redacted}\n  SQL: ${sqlForMessage(details.sql)}`, { ...rest, cause: safeCause })
  if (cause !== undefined) Object.defineProperty(error, 'driverError', { value: cause, enumerable: false, configurable: true, writable: false })
  return error
}

/** Fields of a driver error that name what failed without quoting any value. */
const SAFE_FIELDS = ['code', 'errno', 'sqlState', 'severity', 'fatal'] as const

/** A copy of a driver error with only its name, codes, the redacted message and its stack frames. */
function redactedCopy(error: unknown, message: string): Error {
  const original = (typeof error === 'object' && error !== null ? error : {}) as Record<string, unknown> & { name?: unknown; stack?: unknown }
  const copy = new Error(message) as Error & Record<string, unknown>
  copy.name = typeof original.name === 'string' ? original.name : 'Error'
  for (const field of SAFE_FIELDS) if (original[field] !== undefined) copy[field] = original[field]
  // The driver's frames (where it failed), without its message lines, which may quote values.
  const frames = typeof original.stack === 'string' ? original.stack.split('\n').filter((line) => /^\s+at /.test(line)) : []
  copy.stack = `${copy.name}: ${message}` + (frames.length ? '\n' + frames.join('\n') : '')
  return copy
}
