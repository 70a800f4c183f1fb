/**
 * @quarry/core/internal: untyped factories for statement nodes, for libraries built on core (the
 * ORM) that make statements from runtime data: a table known at run time, column keys as
 * strings, values of any type. The typed builders check all of that at compile time; driving
 * them with runtime data would take a cast per call. Not a public API: it may change in any
 * release. Every node is frozen, like the builders' own.
 */
import { brand, brandOf, node } from './ast/brand.js'
import type { ColumnNode, DeleteNode, InsertNode, JoinNode, Node, RowsNode, SelectNode, SelectionNode, StatementNode, TableNode, UpdateNode } from './ast/nodes.js'
import type { Executable } from './builder/executable.js'
import { sourceColumns, sourceSelection } from './builder/clauses.js'
import { refreshAssignments } from './builder/mutations.js'
import { columnTypeOf, operand, tableNode } from './expr/nodes.js'
import { SchemaError } from './errors.js'
import type { ColumnMeta } from './schema/meta.js'
import { TABLE } from './schema/symbols.js'
import type { AnyTable } from './schema/table.types.js'

export type * from './ast/nodes.js'
export { isNode, node, withNode } from './ast/brand.js'
export { statementOf } from './builder/executable.js'
export { codeGenerationAllowed, generated } from './codegen.js'

/** The statement node of a Quarry builder (select, insert, update, delete, prepared), or `undefined` for anything else. */
export function builderAst(value: unknown): StatementNode | undefined {
  return brandOf(value) === 'builder' ? (value as { readonly ast: StatementNode }).ast : undefined
}

const NONE: readonly never[] = Object.freeze([])

/** A table's column ref by key; a SchemaError names the table when it has no such column. */
export function columnOf(table: AnyTable, key: string): ColumnNode {
  // A table object is its column refs by key (the typed AnyTable lists none).
  const ref = (table as unknown as Record<string, Node | undefined>)[key]
  if (ref === undefined || ref.kind !== 'column') throw new SchemaError(`table ${table[TABLE].key} has no column '${key}'`)
  return ref
}

/** A bound value, encoded as `type` (the column it is written to or compared with). */
export function valueNode(value: unknown, type?: ColumnMeta): Node {
  return node({ kind: 'value', value, type })
}

/** `left = right` (`IS NULL` for a null right side); a plain right side is bound, typed by the left column. */
export function eqNode(left: Node, right: unknown): Node {
  if (right === null) return node({ kind: 'isNull', expr: left, negated: false })
  return node({ kind: 'binary', op: '=', left, right: operand(right, columnTypeOf(left)) })
}

/** `a AND b …` (the condition itself when there is one). */
export function andNode(items: readonly Node[]): Node {
  return items.length === 1 ? items[0] : node({ kind: 'logical', op: 'and', items: Object.freeze(items.slice()) })
}

/** `a OR b …` (the condition itself when there is one). */
export function orNode(items: readonly Node[]): Node {
  return items.length === 1 ? items[0] : node({ kind: 'logical', op: 'or', items: Object.freeze(items.slice()) })
}

/** `expr IN (values…)`, the values bound as `expr`'s column type. */
export function inNode(expr: Node, values: readonly unknown[]): Node {
  const type = columnTypeOf(expr)
  return node({ kind: 'in', expr, list: Object.freeze(values.map((v) => operand(v, type))), negated: false })
}

/** A bound value cast to its column's type (`CAST(? AS …)`), so CASE branches type alike on every dialect. */
export function castNode(value: unknown, column: ColumnMeta): Node {
  return node({ kind: 'cast', expr: valueNode(value, column), type: column })
}

/** `CASE WHEN when THEN then … END` (no ELSE: NULL). */
export function caseNode(whens: readonly (readonly [Node, Node])[]): Node {
  return node({ kind: 'case', whens: Object.freeze(whens.map(([when, then]) => Object.freeze({ when, then }))), else: undefined })
}

/** Output columns `keys` of a table (stored or computed), each under its key, decoded as its column. */
export function selectionOf(table: AnyTable, keys: readonly string[]): readonly SelectionNode[] {
  const meta = table[TABLE]
  return Object.freeze(
    keys.map((key) => {
      // As in columnOf: the table object's refs by key.
      const expr = (table as unknown as Record<string, Node | undefined>)[key]
      if (expr === undefined || meta.columns[key] === undefined) throw new SchemaError(`table ${meta.key} has no column '${key}'`)
      return node({ kind: 'selection', expr, alias: key, type: meta.columns[key] } satisfies SelectionNode)
    }),
  )
}

/** Every column of a table (computed fields included) as `select(table)` reads them; under `group`, as one nested object of the result row. */
export function tableSelection(table: AnyTable, group?: string): readonly SelectionNode[] {
  return group === undefined ? sourceColumns(table) : Object.freeze(sourceSelection(table, group))
}

/** One output: `expr` under `alias`, decoded as `type`. */
export function selectionNode(expr: Node, alias: string, type?: ColumnMeta): SelectionNode {
  return node({ kind: 'selection', expr, alias, type })
}

/** `INNER JOIN table ON on`. */
export function innerJoinNode(table: AnyTable, on: Node): JoinNode {
  return node({ kind: 'join', type: 'inner', from: tableNode(table), on })
}

/** `SELECT <selection, default every column> FROM table [JOIN …] [WHERE where]`: whole rows, as `select(table)` reads them. */
export function selectNode(table: AnyTable, where?: Node, parts: { readonly selection?: readonly SelectionNode[]; readonly joins?: readonly JoinNode[] } = {}): SelectNode {
  return node({
    kind: 'select',
    ctes: NONE,
    distinct: false,
    selection: parts.selection ?? sourceColumns(table),
    from: tableNode(table) satisfies TableNode,
    joins: parts.joins ? Object.freeze(parts.joins.slice()) : NONE,
    where,
    groupBy: NONE,
    having: undefined,
    orderBy: NONE,
    limit: undefined,
    offset: undefined,
    lock: undefined,
    nullableGroups: undefined,
    single: undefined,
  })
}

/**
 * `INSERT INTO table (columns) VALUES rows… [RETURNING …]`. Each row holds one cell per column,
 * in `columns` order: a plain value bound as its column, or a node. Client defaults are not
 * filled in (the caller decides every cell).
 */
export function insertNode(table: AnyTable, columns: readonly string[], rows: readonly (readonly unknown[])[], returning: readonly SelectionNode[] = NONE): InsertNode {
  return node({
    kind: 'insert',
    ctes: NONE,
    table: tableNode(table),
    columns: Object.freeze(columns.map((key) => columnOf(table, key))),
    values: Object.freeze(rows),
    returning,
  })
}

/** What an UPDATE sets, reads and returns besides its table. */
export interface UpdateParts {
  /** Column key to a plain value (bound as the column) or a node; `onUpdate` columns not set here are refreshed. */
  readonly set: Readonly<Record<string, unknown>>
  readonly where?: Node
  /** Rows given as data that SET and WHERE read (`UPDATE … FROM`). */
  readonly from?: RowsNode
  readonly returning?: readonly SelectionNode[]
}

/** `UPDATE table SET … [FROM rows] [WHERE …] [RETURNING …]`, with the table's `onUpdate` refreshes, as `update(table).set()` makes. */
export function updateNode(table: AnyTable, parts: UpdateParts): UpdateNode {
  const set = []
  for (const key in parts.set) {
    const column = columnOf(table, key)
    const value = parts.set[key]
    set.push(node({ kind: 'assignment' as const, column, value: typeof value === 'object' && value !== null ? operand(value, column.meta) : valueNode(value, column.meta) }))
  }
  for (const r of refreshAssignments(table)) if (!(r.column.key in parts.set)) set.push(r)
  return node({ kind: 'update', ctes: NONE, table: tableNode(table), set: Object.freeze(set), from: parts.from, where: parts.where, returning: parts.returning ?? NONE })
}

/** `DELETE FROM table [WHERE where]`. */
export function deleteNode(table: AnyTable, where?: Node): DeleteNode {
  return node({ kind: 'delete', ctes: NONE, table: tableNode(table), where, returning: NONE })
}

/** Rows given as data, read as a table `alias` with columns `names` typed as `columns` (see `RowsNode`). */
export function rowsNode(alias: string, columns: readonly ColumnNode[], names: readonly string[], rows: readonly (readonly unknown[])[]): RowsNode {
  return node({ kind: 'rows', alias, columns, names, rows })
}

/** A statement node as something an engine, a transaction or `compile` runs. */
export function runnable(statement: StatementNode): Executable {
  return statement.kind === 'raw' ? statement : Object.freeze(brand({ ast: statement }, 'builder'))
}
export { toSnakeCase } from './schema/casing.js'
