/**
 * Reading a SELECT's AST: which outputs are whole rows of a table (so the session can track
 * them as entities), and the soft-delete criteria added to every table that declares one.
 */
import { isNode, node, withNode } from '@quarry/core/internal'
import type { CompoundNode, CteNode, FromNode, JoinNode, Node, SelectNode, SelectionNode, StatementNode, TableMeta, TableNode } from '@quarry/core'
import { columnNode, tableInfo, type TableInfo } from './tables.js'

/** A table in FROM or JOIN, by the scope its columns are read through. */
interface Source {
  readonly meta: TableMeta
  readonly scope: string
  readonly qualifier: string
}

/** How result rows map to entities: the row itself, some of its nested groups, or nothing. */
export type TrackPlan =
  | { readonly kind: 'row'; readonly info: TableInfo; readonly source: Source }
  | { readonly kind: 'groups'; readonly groups: readonly { readonly name: string; readonly info: TableInfo }[] }
  | { readonly kind: 'none' }

const NONE: TrackPlan = Object.freeze({ kind: 'none' })
const plans = new WeakMap<StatementNode, TrackPlan>()

function sourceOf(node: TableNode): Source {
  return { meta: node.meta, scope: node.alias ?? node.meta.key, qualifier: node.alias ?? node.meta.name }
}

/** The tables of a SELECT, by scope. */
function sources(node: SelectNode): Map<string, Source> {
  const out = new Map<string, Source>()
  if (node.from?.kind === 'table') out.set(sourceOf(node.from).scope, sourceOf(node.from))
  for (const join of node.joins) if (join.from.kind === 'table') out.set(sourceOf(join.from).scope, sourceOf(join.from))
  return out
}

/** The table whose every stored column the selections read, if there is one. */
function wholeRowOf(selections: readonly SelectionNode[], tables: Map<string, Source>): Source | undefined {
  // The first column names the table (a computed field may come before it).
  const first = selections.find((s) => s.expr.kind === 'column')?.expr
  if (!first || first.kind !== 'column') return undefined
  const source = tables.get(first.scope)
  if (!source) return undefined
  const keys = new Set<string>()
  for (const s of selections) {
    if (s.expr.kind === 'column') {
      if (s.expr.scope !== source.scope || s.alias !== s.expr.key) return undefined
      keys.add(s.expr.key)
    } else if (!source.meta.columns[s.alias]?.computed) return undefined
  }
  return tableInfo(source.meta).stored.every((c) => keys.has(c.key)) ? source : undefined
}

/** How to track the rows of a statement (cached per AST node). */
export function trackPlan(node: StatementNode): TrackPlan {
  if (node.kind !== 'select' || node.single) return NONE
  let plan = plans.get(node)
  if (plan) return plan
  const tables = sources(node)
  const byGroup = new Map<string | undefined, SelectionNode[]>()
  for (const s of node.selection) {
    let list = byGroup.get(s.group)
    if (!list) byGroup.set(s.group, (list = []))
    list.push(s)
  }
  plan = NONE
  const top = byGroup.get(undefined)
  if (top && byGroup.size === 1) {
    const source = wholeRowOf(top, tables)
    if (source) plan = { kind: 'row', info: tableInfo(source.meta), source }
  } else if (!top) {
    const groups: { name: string; info: TableInfo }[] = []
    for (const [name, selections] of byGroup) {
      const source = wholeRowOf(selections, tables)
      if (source) groups.push({ name: name!, info: tableInfo(source.meta) })
    }
    if (groups.length) plan = { kind: 'groups', groups }
  }
  plans.set(node, plan)
  return plan
}

/** `<table>.<softDelete> IS NULL` for a table read through `scope` / `qualifier`, when it soft-deletes. */
export function notDeleted(meta: TableMeta, scope = meta.key, qualifier = meta.name): Node | undefined {
  const column = tableInfo(meta).softDelete
  if (!column) return undefined
  return node({ kind: 'isNull', expr: columnNode(meta, column, scope, qualifier), negated: false })
}

function and(a: Node | undefined, b: Node): Node {
  if (!a) return b
  return node({ kind: 'logical', op: 'and', items: Object.freeze([a, b]) })
}

/**
 * The statement with soft-deleted rows hidden in every SELECT it holds: in WHERE for a FROM
 * table, in ON for joined ones, and likewise inside subqueries wherever they sit (relation
 * filters `any` / `has`, `inArray` and scalar subqueries, derived tables, CTEs, UNION parts).
 */
export function hideDeleted(node: StatementNode): StatementNode {
  return node.kind === 'select' || node.kind === 'compound' ? mapSelects(node, hideSelect) : node
}

/** True when the statement writes or locks rows: anything but a SELECT, or one with FOR UPDATE / FOR SHARE anywhere in it. */
export function writesOrLocks(node: StatementNode): boolean {
  if (node.kind !== 'select' && node.kind !== 'compound') return true
  let locks = false
  mapSelects(node, (s) => ((locks ||= s.lock !== undefined), s))
  return locks
}

type Query = SelectNode | CompoundNode
type SelectFn = (select: SelectNode) => SelectNode

/**
 * `query` with `fn` applied to every SELECT it holds, inner ones first: subqueries in expressions,
 * derived tables, CTEs and UNION parts. Nodes nothing changed in are returned as they are.
 */
function mapSelects(query: Query, fn: SelectFn): Query {
  if (query.kind === 'select') return fn(selectParts(query, fn))
  return withParts(query, { ctes: mapList(query.ctes, (cte) => withParts(cte, { query: mapSelects(cte.query, fn) })), left: mapSelects(query.left, fn), right: mapSelects(query.right, fn) })
}

function fromParts(from: FromNode, fn: SelectFn): FromNode {
  return from.kind === 'derived' && from.query ? withParts(from, { query: mapSelects(from.query, fn) }) : from
}

/** A SELECT with `fn` applied to the SELECTs inside it. */
function selectParts(node: SelectNode, fn: SelectFn): SelectNode {
  return withParts(node, {
    ctes: mapList(node.ctes, (cte) => withParts(cte, { query: mapSelects(cte.query, fn) })),
    from: node.from && fromParts(node.from, fn),
    selection: mapList(node.selection, (s) => withParts(s, { expr: exprParts(s.expr, fn) })),
    where: node.where && exprParts(node.where, fn),
    joins: mapList(node.joins, (join) => withParts(join, { from: fromParts(join.from, fn), on: join.on && exprParts(join.on, fn) })),
    having: node.having && exprParts(node.having, fn),
  })
}

/** The soft-delete condition of a FROM or JOIN table, if it has one. */
function criteriaOf(from: FromNode): Node | undefined {
  if (from.kind !== 'table') return undefined
  const s = sourceOf(from)
  return notDeleted(s.meta, s.scope, s.qualifier)
}

/** One SELECT's own soft-delete conditions (its subqueries are `mapSelects`' business). */
function hideSelect(node: SelectNode): SelectNode {
  const hidden = node.from && criteriaOf(node.from)
  const joins = mapList(node.joins, (join): JoinNode => {
    const cond = criteriaOf(join.from)
    return cond ? withParts(join, { on: and(join.on, cond) }) : join
  })
  return withParts(node, { where: hidden ? and(node.where, hidden) : node.where, joins })
}

/** An expression with `fn` applied to the SELECTs of the subqueries it holds. */
function exprParts(node: Node, fn: SelectFn): Node {
  const sub = (n: Node) => exprParts(n, fn)
  switch (node.kind) {
    case 'exists':
    case 'subquery':
      return withParts(node, { query: mapSelects(node.query, fn) })
    case 'in':
      return withParts(node, {
        expr: sub(node.expr),
        list: Array.isArray(node.list) ? mapList(node.list as readonly Node[], sub) : mapSelects(node.list as Query, fn),
      })
    case 'not':
    case 'isNull':
    case 'cast':
    case 'jsonPath':
      return withParts(node, { expr: sub(node.expr) })
    case 'binary':
      return withParts(node, { left: sub(node.left), right: sub(node.right) })
    case 'like':
      return withParts(node, { expr: sub(node.expr), pattern: sub(node.pattern) })
    case 'between':
      return withParts(node, { expr: sub(node.expr), low: sub(node.low), high: sub(node.high) })
    case 'logical':
    case 'concat':
    case 'tuple':
      return withParts(node, { items: mapList(node.items, sub) })
    case 'func':
    case 'raw':
      return withParts(node, { args: mapList(node.args, sub) })
    case 'case':
      return withParts(node, {
        whens: mapList(node.whens, (w) => withParts(w, { when: sub(w.when), then: sub(w.then) })),
        else: node.else && sub(node.else),
      })
    default:
      return node
  }
}

/** `node` with `parts` put in: the node itself when every part is the one it already has. */
function withParts<T extends object>(item: T, parts: Partial<T>): T {
  for (const key in parts) if (parts[key] !== item[key]) return isNode(item) ? withNode(item, parts as Partial<Node>) as T : Object.freeze({ ...item, ...parts })
  return item
}

/** `list` with `fn` applied to each item: the same list when no item changed. */
function mapList<T>(list: readonly T[], fn: (item: T) => T): readonly T[] {
  let out: T[] | undefined
  for (let i = 0; i < list.length; i++) {
    const item = fn(list[i])
    if (item !== list[i] && !out) out = list.slice(0, i)
    if (out) out.push(item)
  }
  return out ? Object.freeze(out) : list
}
