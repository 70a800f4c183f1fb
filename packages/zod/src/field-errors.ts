/**
 * `toFieldErrors`: a database error (unique, foreign key, not-null, check, a value the column
 * refuses, a json document its schema refuses) or a `ZodError`, as one list of zod-issue-shaped
 * field errors, so one handler answers both with the fields at fault.
 */
import {
  CheckViolation,
  DatabaseError,
  DataError,
  ForeignKeyViolation,
  JsonSchemaError,
  NotNullViolation,
  UniqueViolation,
  isTable,
  schemaMetaOf,
  tableMetaOf,
  type ColumnMeta,
  type TableMeta,
} from '@quarry/core'
import { z } from 'zod'
import { knownTable, registerTable } from './schemas.js'

/** One field at fault, shaped like a zod issue. */
export interface FieldError {
  /** The column key (`['email']`), then the path inside a json document. */
  readonly path: readonly PropertyKey[]
  /** `unique`, `foreign_key`, `not_null`, `check`, `invalid_value`, or the zod issue's own code. */
  readonly code: string
  readonly message: string
  /** The constraint that was violated, when the database named it. */
  readonly constraint?: string
}

function columnBySqlName(table: TableMeta | undefined, name: string): ColumnMeta | undefined {
  return table?.columnList.find((column) => column.name === name)
}

/** The columns a CHECK written in raw SQL names: the words of its text that are column names. */
function checkColumns(table: TableMeta | undefined, constraint: string | undefined): ColumnMeta[] {
  const check = table?.checks.find((c) => c.name === constraint)
  if (table === undefined || check === undefined) return []
  const words = new Set(check.expr.parts.join(' ').match(/[A-Za-z_][A-Za-z0-9_]*/g) ?? [])
  for (const arg of check.expr.args) if (arg.kind === 'identifier') words.add(arg.names[arg.names.length - 1]!)
  return table.columnList.filter((column) => words.has(column.name))
}

function describe(error: DatabaseError): { code: string; message: string } {
  if (error instanceof UniqueViolation) return { code: 'unique', message: 'already taken' }
  if (error instanceof ForeignKeyViolation) {
    return /^\s*delete/i.test(error.sql ?? '')
      ? { code: 'foreign_key', message: 'is still referenced by other rows' }
      : { code: 'foreign_key', message: 'refers to a row that does not exist' }
  }
  if (error instanceof NotNullViolation) return { code: 'not_null', message: 'is required' }
  if (error instanceof CheckViolation) return { code: 'check', message: `breaks the rule ${error.constraint ?? 'of a check constraint'}` }
  return { code: 'invalid_value', message: 'is not a value this column can store' }
}

/** Tables, table objects or a schema whose SQL names the errors use. */
function remember(tables: object | readonly object[] | undefined): void {
  if (tables === undefined) return
  for (const item of Array.isArray(tables) ? tables : [tables]) {
    if (isTable(item)) registerTable(tableMetaOf(item))
    else for (const meta of Object.values(schemaMetaOf(item).tables)) registerTable(meta)
  }
}

/**
 * The fields behind an error, as zod-shaped issues; `undefined` when the error is not about
 * fields (a lost connection, a syntax error). Column SQL names become column keys for tables
 * given here or seen by a derived schema.
 * @example
 * catch (error) {
 *   const fields = toFieldErrors(error, schema)
 *   if (fields) return c.json({ errors: fields }, error instanceof UniqueViolation ? 409 : 422)
 *   throw error
 * }
 * // UniqueViolation on users.email → [{ path: ['email'], code: 'unique', message: 'already taken', constraint: 'users_email_key' }]
 */
export function toFieldErrors(error: unknown, tables?: object | readonly object[]): FieldError[] | undefined {
  if (error instanceof z.ZodError) return error.issues.map((issue) => ({ path: issue.path, code: issue.code, message: issue.message }))
  remember(tables)
  if (error instanceof JsonSchemaError) {
    const table = knownTable(error.table ?? '')
    const key = columnBySqlName(table, error.columns?.[0] ?? '')?.key ?? error.columns?.[0] ?? ''
    return error.issues.map((issue) => ({ path: [key, ...issue.path], code: issue.code ?? 'invalid_value', message: issue.message }))
  }
  if (!(error instanceof DatabaseError)) return undefined
  const isField = error instanceof UniqueViolation || error instanceof ForeignKeyViolation || error instanceof NotNullViolation || error instanceof CheckViolation || error instanceof DataError
  if (!isField) return undefined
  const table = error.table === undefined ? undefined : knownTable(error.table)
  // A delete refused because rows still point at it is about the row, not one of its fields.
  const deleting = error instanceof ForeignKeyViolation && /^\s*delete/i.test(error.sql ?? '')
  let columns = deleting ? [] : (error.columns ?? []).map((name) => columnBySqlName(table, name)?.key ?? name)
  if (columns.length === 0 && error instanceof CheckViolation) columns = checkColumns(table, error.constraint).map((column) => column.key)
  const { code, message } = describe(error)
  const constraint = error.constraint === undefined ? {} : { constraint: error.constraint }
  if (columns.length === 0) return error instanceof DataError ? undefined : [{ path: [], code, message, ...constraint }]
  return columns.map((key) => ({ path: [key], code, message, ...constraint }))
}
