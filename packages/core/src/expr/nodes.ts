/**
 * Turning what users pass (values, columns, tables, builders) into AST nodes.
 */
import type { Node, NodeKind, TableNode, ValueNode } from '../ast/nodes'
import type { ColumnMeta } from '../schema/meta'
import { ALIAS, TABLE } from '../schema/symbols'

const KINDS: ReadonlySet<string> = new Set<NodeKind>([
  'column', 'value', 'param', 'raw', 'identifier', 'binary', 'logical', 'not', 'isNull', 'like', 'in', 'between',
  'func', 'window', 'case', 'cast', 'concat', 'jsonPath', 'exists', 'subquery', 'order', 'table', 'derived', 'join',
  'selection', 'cte', 'select', 'compound', 'onConflict', 'assignment', 'excluded', 'insert', 'update', 'delete', 'rows',
])

/** Is this value an AST node? */
export function isNode(value: unknown): value is Node {
  return typeof value === 'object' && value !== null && KINDS.has((value as { kind?: string }).kind as string)
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
    if (TABLE in value) return tableNode(value)
    if ('ast' in value) return Object.freeze({ kind: 'subquery', query: (value as { ast: never }).ast })
  }
  return Object.freeze({ kind: 'value', value, type } satisfies ValueNode)
}

/** The column meta of a node when it is a plain column (used to type the other operand). */
export function columnTypeOf(node: Node): ColumnMeta | undefined {
  return node.kind === 'column' ? node.meta : node.kind === 'cast' ? node.type : undefined
}
