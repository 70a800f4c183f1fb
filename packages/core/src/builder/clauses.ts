/**
 * Clause logic written once and shared by select, update, delete and insert: selections, FROM
 * sources, WHERE accumulation, ORDER BY items, RETURNING lists.
 */
import { logicalNode, selectionNode, valueNode, withNode } from '../ast/brand.js'
import type { CteNode, FromNode, Node, OrderNode, SelectionNode, ValueNode } from '../ast/nodes.js'
import { describeValue, expectNode, isNode, tableNode } from '../expr/nodes.js'
import { decodeTypeOf } from '../expr/types.js'
import { toOrder } from '../expr/window.js'
import { ArgumentError, SchemaError } from '../errors.js'
import { isReservedKey } from '../schema/names.js'
import type { TableMeta } from '../schema/meta.js'
import { ALIAS, TABLE } from '../schema/symbols.js'
import { DERIVED_KEY } from './derived.js'

/** The FROM node of a table, alias, subquery or CTE; anything else is an `ArgumentError` naming `what` took it. */
export function fromNode(source: object, what = 'from()'): FromNode {
  if (typeof source === 'object' && source !== null) {
    if (TABLE in source) return tableNode(source)
    const derived = (source as Record<symbol, FromNode>)[DERIVED_KEY]
    if (derived) return derived
  }
  throw new ArgumentError(`${what}: expected a table, an alias, a subquery .as() or a CTE, got ${describeValue(source)}`)
}

/** The scope name of a FROM source. */
export function scopeOf(source: object): string {
  if (TABLE in source) return ((source as Record<symbol, string | undefined>)[ALIAS] ?? (source as Record<symbol, TableMeta>)[TABLE].key)
  return (fromNode(source) as { alias: string }).alias
}

/** The CTEs a FROM source brings along (a CTE reference hoists its definition). */
export function ctesOf(source: FromNode): readonly CteNode[] {
  return source.kind === 'derived' && source.cte ? [source.cte] : NO_CTES
}

const NO_CTES: readonly CteNode[] = Object.freeze([])

/** Add CTEs to a list, once each by name. */
export function mergeCtes(list: readonly CteNode[], more: readonly CteNode[]): readonly CteNode[] {
  if (more.length === 0) return list
  const names = new Set(list.map((c) => c.name))
  const added = more.filter((c) => !names.has(c.name))
  return added.length ? Object.freeze([...list, ...added]) : list
}

/** The selection nodes of every column of a table or derived table, optionally in a group. */
export function sourceSelection(source: object, group?: string): SelectionNode[] {
  const out: SelectionNode[] = []
  const columns = TABLE in source ? (source as Record<symbol, TableMeta>)[TABLE].columns : undefined
  for (const key of Object.keys(source)) {
    const expr = (source as Record<string, unknown>)[key]
    if (!isNode(expr)) continue
    out.push(selectionNode(expr, key, group, columns?.[key] ?? decodeTypeOf(expr)))
  }
  return out
}

const wholeSource = new WeakMap<object, readonly SelectionNode[]>()
const longLived = new WeakSet<readonly SelectionNode[]>()

/** The (cached) selection nodes of every column of a long-lived table or derived table object. */
export function sourceColumns(source: object): readonly SelectionNode[] {
  let nodes = wholeSource.get(source)
  if (!nodes) {
    wholeSource.set(source, (nodes = Object.freeze(sourceSelection(source))))
    longLived.add(nodes)
  }
  return nodes
}

/** Is this selection a cached whole-table one, so that what is derived from it may be cached too? */
export function isLongLived(selection: readonly SelectionNode[]): boolean {
  return longLived.has(selection)
}

const NO_GROUPS: Record<string, string> = Object.freeze({})

/** The selection nodes of a selection (table, expression, or object of those), and each group's scope; `what` names the caller in errors. */
export function selectionNodes(selection: object, what = 'select()'): { nodes: readonly SelectionNode[]; groups: Record<string, string>; single: boolean } {
  if (typeof selection !== 'object' || selection === null) {
    throw new ArgumentError(`${what}: expected a table, a column, an expression or an object of them, got ${describeValue(selection)}`)
  }
  if (TABLE in selection || fromNodeOrNull(selection)) return { nodes: sourceColumns(selection), groups: NO_GROUPS, single: false }
  if (isNode(selection)) {
    return { nodes: Object.freeze([selectionNode(selection, 'value', undefined, decodeTypeOf(selection))]), groups: {}, single: true }
  }
  const nodes: SelectionNode[] = []
  const groups: Record<string, string> = {}
  for (const key in selection) {
    if (!Object.hasOwn(selection, key)) continue
    if (isReservedKey(key)) throw new SchemaError(`selection '${key}': the key is reserved in JavaScript objects (the rows would set their prototype); choose another output name`)
    const value = (selection as Record<string, unknown>)[key]
    if (isNode(value)) nodes.push(selectionNode(value, key, undefined, decodeTypeOf(value)))
    else if (value && typeof value === 'object' && (TABLE in value || fromNodeOrNull(value))) {
      nodes.push(...sourceSelection(value, key))
      groups[key] = scopeOf(value)
    } else throw new ArgumentError(`${what}: selection '${key}': expected a column, an expression or a table, got ${describeValue(value)}`)
  }
  return { nodes: Object.freeze(nodes), groups, single: false }
}

function fromNodeOrNull(value: object): FromNode | undefined {
  return (value as Record<symbol, FromNode>)[DERIVED_KEY]
}

/** Combine existing and new conditions with AND; skips `undefined`. */
export function andWhere(existing: Node | undefined, conditions: readonly (unknown | undefined)[], clause = 'where'): Node | undefined {
  if (existing === undefined && conditions.length === 1 && (conditions[0] === undefined || isNode(conditions[0]))) return conditions[0] as Node | undefined
  const items: Node[] = existing ? (existing.kind === 'logical' && existing.op === 'and' ? [...existing.items] : [existing]) : []
  for (let i = 0; i < conditions.length; i++) if (conditions[i] !== undefined) items.push(expectNode(conditions[i], `${clause}(): argument ${i + 1}`))
  if (items.length === 0) return undefined
  if (items.length === 1) return items[0]
  return logicalNode('and', items)
}

/** ORDER BY items from order nodes or bare expressions. */
export function orderItems(existing: readonly OrderNode[], items: readonly unknown[]): readonly OrderNode[] {
  // A loop, not `slice()`: slicing a frozen array takes V8's slow path.
  const out: OrderNode[] = []
  for (let i = 0; i < existing.length; i++) out.push(existing[i])
  for (let i = 0; i < items.length; i++) {
    const item = items[i]
    if (!isNode(item)) throw new ArgumentError(`orderBy(): argument ${i + 1}: expected a column, an expression or asc()/desc() of one, got ${describeValue(item)}`)
    out.push(toOrder(item))
  }
  return Object.freeze(out)
}

/** GROUP BY items: expressions only. */
export function groupItems(existing: readonly Node[], items: readonly unknown[]): readonly Node[] {
  const out = [...existing]
  for (let i = 0; i < items.length; i++) {
    if (!isNode(items[i])) throw new ArgumentError(`groupBy(): argument ${i + 1}: expected a column or an expression, got ${describeValue(items[i])}`)
    out.push(items[i] as Node)
  }
  return Object.freeze(out)
}

/** Value nodes of the small counts that LIMIT and OFFSET mostly take: immutable, so shared. */
const smallCounts = new Array<ValueNode | undefined>(1024)

/**
 * A LIMIT / OFFSET operand: a node (`param()`, an expression) or a whole number ≥ 0. Anything
 * else is an `ArgumentError` here, before binding: the databases disagree on NaN, negative and
 * fractional counts (SQLite's `LIMIT -1` returns every row).
 */
export function countNode(value: unknown, clause: 'limit' | 'offset'): Node {
  // A param() is marked, so that its value is checked when it is bound (`checkCount`).
  if (isNode(value)) return value.kind === 'param' && value.count === undefined ? withNode(value, { count: clause }) : value
  if (!isCount(value)) throw new ArgumentError(`${clause}(): expected a whole number ≥ 0 (or param()), got ${describeValue(value)}`)
  return value < 1024 ? (smallCounts[value] ??= valueNode(value, undefined)) : valueNode(value, undefined)
}

function isCount(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0
}

/** The value of a `param()` used as a LIMIT / OFFSET count: a whole number ≥ 0, else an `ArgumentError`. */
export function checkCount(value: unknown, clause: 'limit' | 'offset', name: string): void {
  if (!isCount(value)) throw new ArgumentError(`${clause}(): param('${name}') must be a whole number ≥ 0, got ${describeValue(value)}`)
}
