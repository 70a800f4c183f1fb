/**
 * Turning what users pass (values, columns, tables, builders) into AST nodes.
 */
import { brandOf, isNode, node, valueNode } from '../ast/brand.js'
import type { Node, TableNode, ValueNode } from '../ast/nodes.js'
import type { ColumnMeta } from '../schema/meta.js'
import { ALIAS, TABLE } from '../schema/symbols.js'
import { ArgumentError } from '../errors.js'

export { isNode }

/** Is this object a builder (select, insert, update, delete, compound) made by Quarry? */
export function isBuilder(value: object): boolean {
  return brandOf(value) === 'builder'
}

const tableNodes = new WeakMap<object, TableNode>()

/** The FROM node of a table object (or alias), made once per (frozen, long-lived) table object. */
export function tableNode(table: object): TableNode {
  let found = tableNodes.get(table)
  if (!found) {
    const t = table as { [TABLE]: TableNode['meta']; [ALIAS]?: string }
    tableNodes.set(table, (found = node({ kind: 'table', meta: t[TABLE], alias: t[ALIAS] })))
  }
  return found
}

/**
 * An operand as a node: nodes stay, builders become scalar subqueries, tables become table nodes,
 * anything else is a bound value typed by `type` (the column it meets). Only branded objects
 * become SQL: data, frozen or not and whatever its keys, is bound, or refused where it cannot be
 * a value (a plain object or an array compared with a column that is not json).
 */
export function operand(value: unknown, type?: ColumnMeta): Node {
  // A Date, the commonest object operand, skips the node, table and builder probes.
  if (typeof value === 'object' && value !== null && !(value instanceof Date)) {
    const brand = brandOf(value)
    if (brand === 'node') return value as Node
    if (brand === 'table' && TABLE in value) return tableNode(value)
    if (brand === 'builder') return node({ kind: 'subquery', query: (value as { ast: never }).ast })
    if (brand !== undefined || (type !== undefined && !OBJECT_TYPES.has(type.type) && isPlainData(value))) throw dataNotExpression(value, type)
  }
  return valueNode(value, type)
}

/** Column types whose values may be plain objects or arrays (json documents, custom codecs). */
const OBJECT_TYPES: ReadonlySet<string> = new Set(['json', 'custom'])

function isPlainData(value: object): boolean {
  if (Array.isArray(value)) return true
  const proto = Object.getPrototypeOf(value)
  return proto === Object.prototype || proto === null
}

function dataNotExpression(value: object, type: ColumnMeta | undefined): ArgumentError {
  const where = type && type.key ? `column '${type.key}' (${type.type})` : `a ${type?.type ?? 'value'} operand`
  return new ArgumentError(`${where}: expected a value, a column or an expression, got ${describeValue(value)}; objects are values only for json columns (build conditions with eq(), and(), sql\`…\`)`)
}

/** `value` when it is a Quarry node; otherwise an `ArgumentError` saying which argument (`where`) expected an expression. */
export function expectNode(value: unknown, where: string): Node {
  if (isNode(value)) return value
  throw new ArgumentError(`${where}: expected a column, a condition or an expression, got ${describeValue(value)}`)
}

/** What a wrong argument is, for an error message (never its contents: they may be secret). */
export function describeValue(value: unknown): string {
  if (value === null || value === undefined) return String(value)
  if (typeof value !== 'object') return typeof value === 'number' ? `the number ${value}` : typeof value === 'string' ? 'a string' : `a ${typeof value}`
  const brand = brandOf(value)
  if (brand === 'table') return TABLE in value ? `the table ${(value as { [TABLE]: { key: string } })[TABLE].key}` : 'a subquery or CTE source'
  if (brand === 'builder') return 'a query builder'
  if (brand === 'node') return `a ${(value as Node).kind} node`
  if (Array.isArray(value)) return 'an array'
  return isPlainData(value) ? 'a plain object' : `an object (${(value as object).constructor?.name ?? 'no prototype'})`
}

/** The column meta of a node that gives a column's values (a column, a cast, MIN/MAX…), used to type the other operand. */
export function columnTypeOf(node: Node): ColumnMeta | undefined {
  if (node.kind === 'func') return OPERAND_VALUED.has(node.name) ? node.type : undefined
  return node.kind === 'column' ? node.meta : node.kind === 'cast' ? node.type : undefined
}

/**
 * Functions whose values have their operand column's type and stored form (MIN of a timestamp
 * column is one of its timestamps; dateAdd writes the column's form): a value compared with them
 * is bound as that column (its stored form, on SQLite).
 */
const OPERAND_VALUED: ReadonlySet<string> = new Set(['min', 'max', 'coalesce', 'nullif', 'greatest', 'least', 'date_trunc', 'date_add'])
