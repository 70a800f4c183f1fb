/**
 * Turning what users pass (values, columns, tables, builders) into AST nodes.
 */
import type { Node, NodeKind, TableNode, ValueNode } from '../ast/nodes.js'
import type { ColumnMeta } from '../schema/meta.js'
import { ALIAS, TABLE } from '../schema/symbols.js'

const KINDS: ReadonlySet<string> = new Set<NodeKind>([
  'column', 'value', 'param', 'raw', 'identifier', 'binary', 'logical', 'not', 'isNull', 'like', 'in', 'between',
  'func', 'window', 'case', 'cast', 'concat', 'jsonPath', 'exists', 'subquery', 'order', 'table', 'derived', 'join',
  'selection', 'cte', 'select', 'compound', 'onConflict', 'assignment', 'excluded', 'insert', 'update', 'delete', 'rows',
])

/**
 * Is this value an AST node? Nodes are frozen objects with a node kind: a value that merely has
 * such a `kind` (a JSON document `{ kind: 'order', … }`) is not frozen, and stays a value.
 */
export function isNode(value: unknown): value is Node {
  return typeof value === 'object' && value !== null && KINDS.has((value as { kind?: string }).kind as string) && Object.isFrozen(value)
}

/** Is this object a builder or a table (frozen, made by Quarry), rather than a value that has such keys? */
export function isQuarryObject(value: object): boolean {
  return (TABLE in value || 'ast' in value) && Object.isFrozen(value)
}

const tableNodes = new WeakMap<object, TableNode>()

/** The FROM node of a table object (or alias), made once per (frozen, long-lived) table object. */
export function tableNode(table: object): TableNode {
  let node = tableNodes.get(table)
  if (!node) {
    const t = table as { [TABLE]: TableNode['meta']; [ALIAS]?: string }
    tableNodes.set(table, (node = Object.freeze({ kind: 'table', meta: t[TABLE], alias: t[ALIAS] })))
  }
  return node
}

/**
 * An operand as a node: nodes stay, builders become scalar subqueries, tables become table nodes,
 * anything else is a bound value typed by `type` (the column it meets).
 */
export function operand(value: unknown, type?: ColumnMeta): Node {
  // A Date, the commonest object operand, skips the node, table and builder probes.
  if (typeof value === 'object' && value !== null && !(value instanceof Date)) {
    if (isNode(value)) return value
    if (isQuarryObject(value)) {
      if (TABLE in value) return tableNode(value)
      return Object.freeze({ kind: 'subquery', query: (value as { ast: never }).ast })
    }
  }
  return Object.freeze({ kind: 'value', value, type } satisfies ValueNode)
}

/** The column meta of a node when it is a plain column (used to type the other operand). */
export function columnTypeOf(node: Node): ColumnMeta | undefined {
  return node.kind === 'column' ? node.meta : node.kind === 'cast' ? node.type : undefined
}
