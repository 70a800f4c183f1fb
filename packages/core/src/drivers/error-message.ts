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

/** Creates a `DatabaseError` whose message is the (redacted) driver message plus the SQL. */
export function databaseError(
  Kind: DatabaseErrorClass,
  driverMessage: string,
  details: DatabaseErrorDetails & { readonly params: readonly unknown[] },
): DatabaseError {
  const { params, ...rest } = details
  // No statement (connecting): no SQL line.
  if (details.sql === undefined || details.sql === '') return new Kind(redactParams(driverMessage, params), { ...rest, sql: undefined })
  return new Kind(`${redactParams(driverMessage, params)}\n  SQL: ${sqlForMessage(details.sql)}`, rest)
}
