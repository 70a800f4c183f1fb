/**
 * Completes a database error with what the statement's table declares: the columns behind a
 * constraint name (MySQL names only the key), or the constraint behind a set of columns (SQLite
 * names only the columns). Table and column names are SQL names.
 */
import type { DeleteNode, InsertNode, StatementNode, UpdateNode } from '../ast/nodes.js'
import { tableConstraints } from '../ddl/index.js'
import { DatabaseError, ForeignKeyViolation, UniqueViolation } from '../errors.js'

function sameColumns(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((name) => b.includes(name))
}

/** True when `enrichError` may add something to an error of this statement (it writes to a declared table). */
export function mayEnrich(node: StatementNode): node is InsertNode | UpdateNode | DeleteNode {
  return node.kind === 'insert' || node.kind === 'update' || node.kind === 'delete'
}

/** Adds `columns` / `constraint` / `table` to an error raised by a statement on a declared table. */
export function enrichError(error: unknown, node: StatementNode): unknown {
  if (!(error instanceof DatabaseError) || !mayEnrich(node)) return error
  const table = node.table.meta
  if (error.table !== undefined && error.table !== table.name) return error
  if (error.constraint !== undefined && error.columns !== undefined) return error
  const constraints = tableConstraints(table)
  let { columns, constraint } = error
  if (constraint !== undefined && columns === undefined) {
    const found = constraints.find((target) => target.name === constraint)?.columns.map((column) => column.name)
    // A CHECK written as raw SQL names no columns the schema can see.
    if (found !== undefined && found.length > 0) columns = found
  } else if (constraint === undefined && columns === undefined && error instanceof ForeignKeyViolation && node.kind !== 'delete') {
    // SQLite names no key: when the statement writes the columns of exactly one foreign key, it is that one.
    const written = node.kind === 'insert' ? node.columns.map((column) => column.meta.name) : node.set.map((assignment) => assignment.column.meta.name)
    const candidates = constraints.filter((target) => target.kind === 'foreignKey' && target.columns.every((column) => written.includes(column.name)))
    if (candidates.length === 1) {
      constraint = candidates[0]!.name
      columns = candidates[0]!.columns.map((column) => column.name)
    }
  } else if (constraint === undefined && columns !== undefined && error instanceof UniqueViolation) {
    const wanted = columns
    constraint = constraints.find(
      (target) => (target.kind === 'unique' || target.kind === 'primaryKey') && sameColumns(target.columns.map((column) => column.name), wanted),
    )?.name
  }
  if (columns === error.columns && constraint === error.constraint && error.table !== undefined) return error
  // The fields are readonly to users; filling them here keeps the error's identity and stack.
  Object.assign(error, { table: error.table ?? (columns !== undefined || constraint !== undefined ? table.name : undefined), columns, constraint })
  return error
}
