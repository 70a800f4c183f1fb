/**
 * Reading a SELECT's AST: which outputs are whole rows of a table (so the session can track
 * them as entities), and the soft-delete criteria added to every table that declares one.
 */
import type { CompoundNode, CteNode, FromNode, JoinNode, Node, SelectNode, SelectionNode, StatementNode, TableMeta, TableNode } from '@quarry/core'
import { columnNode, tableInfo, type TableInfo } from './tables'

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
  return Object.freeze({ kind: 'isNull', expr: columnNode(meta, column, scope, qualifier), negated: false })
}

function and(a: Node | undefined, b: Node): Node {
  if (!a) return b
  return Object.freeze({ kind: 'logical', op: 'and', items: Object.freeze([a, b]) })
}

/**
 * The statement with soft-deleted rows hidden in every SELECT it holds: in WHERE for a FROM
 * table, in ON for joined ones, and likewise inside subqueries wherever they sit (relation
 * filters `any` / `has`, `inArray` and scalar subqueries, derived tables, CTEs, UNION parts).
 */
export function hideDeleted(node: StatementNode): StatementNode {
  return node.kind === 'select' || node.kind === 'compound' ? hideQuery(node) : node
}

type Query = SelectNode | CompoundNode

function hideQuery(query: Query): Query {
  if (query.kind === 'select') return hideSelect(query)
  return withParts(query, { ctes: mapList(query.ctes, hideCte), left: hideQuery(query.left), right: hideQuery(query.right) })
}

function hideCte(cte: CteNode): CteNode {
  return withParts(cte, { query: hideQuery(cte.query) })
}

function hideFrom(from: FromNode): FromNode {
  return from.kind === 'derived' && from.query ? withParts(from, { query: hideQuery(from.query) }) : from
}

/** The soft-delete condition of a FROM or JOIN table, if it has one. */
function criteriaOf(from: FromNode): Node | undefined {
  if (from.kind !== 'table') return undefined
  const s = sourceOf(from)
  return notDeleted(s.meta, s.scope, s.qualifier)
}

function hideSelect(node: SelectNode): SelectNode {
  let where = node.where && hideExpr(node.where)
  const hidden = node.from && criteriaOf(node.from)
  if (hidden) where = and(where, hidden)
  const joins = mapList(node.joins, (join): JoinNode => {
    let on = join.on && hideExpr(join.on)
    const cond = criteriaOf(join.from)
    if (cond) on = and(on, cond)
    return withParts(join, { from: hideFrom(join.from), on })
  })
  return withParts(node, {
    ctes: mapList(node.ctes, hideCte),
    from: node.from && hideFrom(node.from),
    selection: mapList(node.selection, (s) => withParts(s, { expr: hideExpr(s.expr) })),
    where,
    joins,
    having: node.having && hideExpr(node.having),
  })
}

/** An expression with soft-deleted rows hidden in the subqueries it holds. */
function hideExpr(node: Node): Node {
  switch (node.kind) {
    case 'exists':
    case 'subquery':
      return withParts(node, { query: hideQuery(node.query) })
    case 'in':
      return withParts(node, {
        expr: hideExpr(node.expr),
        list: Array.isArray(node.list) ? mapList(node.list as readonly Node[], hideExpr) : hideQuery(node.list as Query),
      })
    case 'not':
    case 'isNull':
    case 'cast':
    case 'jsonPath':
      return withParts(node, { expr: hideExpr(node.expr) })
    case 'binary':
      return withParts(node, { left: hideExpr(node.left), right: hideExpr(node.right) })
    case 'like':
      return withParts(node, { expr: hideExpr(node.expr), pattern: hideExpr(node.pattern) })
    case 'between':
      return withParts(node, { expr: hideExpr(node.expr), low: hideExpr(node.low), high: hideExpr(node.high) })
    case 'logical':
    case 'concat':
      return withParts(node, { items: mapList(node.items, hideExpr) })
    case 'func':
    case 'raw':
      return withParts(node, { args: mapList(node.args, hideExpr) })
    case 'case':
      return withParts(node, {
        whens: mapList(node.whens, (w) => withParts(w, { when: hideExpr(w.when), then: hideExpr(w.then) })),
        else: node.else && hideExpr(node.else),
      })
    default:
      return node
  }
}

/** `node` with `parts` put in: the node itself when every part is the one it already has. */
function withParts<T extends object>(node: T, parts: Partial<T>): T {
  for (const key in parts) if (parts[key] !== node[key]) return Object.freeze({ ...node, ...parts })
  return node
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
