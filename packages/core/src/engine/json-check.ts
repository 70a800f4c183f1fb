/**
 * Json values checked against their column's declared schema before they are sent: a zod schema
 * (`safeParse`) or any Standard Schema (`~standard.validate`). Only inserts and updates of tables
 * with such a column pay for the walk; the value sent is the one given, never the parsed output.
 */
import type { InsertNode, StatementNode, UpdateNode } from '../ast/nodes.js'
import { DataError, JsonSchemaError, type JsonIssue } from '../errors.js'
import { isNode } from '../expr/nodes.js'
import type { ColumnMeta, TableMeta } from '../schema/meta.js'

/** The json columns of a table that declare a schema (empty for most tables), computed once per table. */
const checkedColumns = new WeakMap<TableMeta, readonly ColumnMeta[]>()

function columnsToCheck(table: TableMeta): readonly ColumnMeta[] {
  let found = checkedColumns.get(table)
  if (found === undefined) {
    found = table.columnList.filter((column) => column.type === 'json' && column.schema !== undefined && column.schema !== null)
    checkedColumns.set(table, found)
  }
  return found
}

type Validator = (value: unknown) => readonly JsonIssue[] | undefined

interface ZodLike {
  safeParse?: (value: unknown) => { success: boolean; error?: { issues: readonly JsonIssue[] } }
  '~standard'?: { validate: (value: unknown) => { issues?: readonly { message: string; path?: readonly unknown[] }[] } | Promise<unknown> }
}

function issuesOf(schema: ZodLike, column: ColumnMeta, table: TableMeta): Validator {
  if (typeof schema.safeParse === 'function') {
    const parse = schema.safeParse.bind(schema)
    return (value) => {
      const result = parse(value)
      return result.success ? undefined : result.error?.issues ?? [{ path: [], message: 'invalid' }]
    }
  }
  const standard = schema['~standard']
  if (standard && typeof standard.validate === 'function') {
    return (value) => {
      const result = standard.validate(value)
      if (result instanceof Promise) throw new DataError(`column ${table.name}.${column.name}: its schema validates asynchronously; Quarry checks json values synchronously`, { table: table.name, columns: [column.name] })
      return result.issues?.map((issue) => ({ message: issue.message, path: (issue.path ?? []).map((step) => (typeof step === 'object' && step !== null && 'key' in step ? (step as { key: PropertyKey }).key : step as PropertyKey)) }))
    }
  }
  // A type-only stand-in (`{ _output: T }`) types the column and checks nothing.
  return () => undefined
}

const validators = new WeakMap<ColumnMeta, Validator>()

function check(value: unknown, column: ColumnMeta, table: TableMeta): void {
  if (value === null || value === undefined || isNode(value)) return
  let validate = validators.get(column)
  if (validate === undefined) {
    validate = issuesOf(column.schema as ZodLike, column, table)
    validators.set(column, validate)
  }
  const issues = validate(value)
  if (issues === undefined || issues.length === 0) return
  const listed = issues.map((issue) => `${issue.path.length ? issue.path.map(String).join('.') + ': ' : ''}${issue.message}`).join('; ')
  throw new JsonSchemaError(`column ${table.name}.${column.name}: the value does not match the column's schema (${listed})`, table.name, column.name, issues)
}

/** Throws `JsonSchemaError` when an insert or update writes a json value its column's schema rejects. */
export function checkJsonValues(node: StatementNode): void {
  if (node.kind === 'insert') checkInsert(node)
  else if (node.kind === 'update') checkUpdate(node)
}

function checkInsert(node: InsertNode): void {
  const table = node.table.meta
  if (columnsToCheck(table).length === 0 || !Array.isArray(node.values)) return
  node.columns.forEach((columnNode, index) => {
    const column = columnNode.meta
    if (column.type !== 'json' || column.schema === undefined) return
    for (const row of node.values as readonly (readonly unknown[])[]) check(cellValue(row[index]), column, table)
  })
}

function checkUpdate(node: UpdateNode): void {
  const table = node.table.meta
  if (columnsToCheck(table).length === 0) return
  for (const assignment of node.set) {
    const column = assignment.column.meta
    if (column.type === 'json' && column.schema !== undefined) check(cellValue(assignment.value), column, table)
  }
  const rows = node.from
  if (rows === undefined) return
  rows.columns.forEach((columnNode, index) => {
    const column = columnNode.meta
    if (column.type === 'json' && column.schema !== undefined) for (const row of rows.rows) check(row[index], column, table)
  })
}

/** A cell's plain value: itself, or the value of a value node (other nodes are SQL, not checked). */
function cellValue(cell: unknown): unknown {
  return isNode(cell) && cell.kind === 'value' ? cell.value : cell
}
