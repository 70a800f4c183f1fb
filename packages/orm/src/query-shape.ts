/**
 * Reading a SELECT's AST: which outputs are whole rows of a table (so the session can track
 * them as entities), and the soft-delete criteria added to every table that declares one.
 */
import type { JoinNode, Node, SelectNode, SelectionNode, StatementNode, TableMeta, TableNode } from '@quarry/core'
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
 * The SELECT with soft-deleted rows hidden: in WHERE for the FROM table, in ON for joined ones,
 * and inside the relation filters (`any` / `has`, EXISTS subqueries) of its WHERE.
 */
export function hideDeleted(node: StatementNode): StatementNode {
  if (node.kind !== 'select') return node
  let where = node.where && hideInFilters(node.where)
  if (node.from?.kind === 'table') {
    const s = sourceOf(node.from)
    const cond = notDeleted(s.meta, s.scope, s.qualifier)
    if (cond) where = and(where, cond)
  }
  let changed = where !== node.where
  const joins = node.joins.map((join): JoinNode => {
    if (join.from.kind !== 'table') return join
    const s = sourceOf(join.from)
    const cond = notDeleted(s.meta, s.scope, s.qualifier)
    if (!cond) return join
    changed = true
    return Object.freeze({ ...join, on: and(join.on, cond) })
  })
  return changed ? Object.freeze({ ...node, where, joins: Object.freeze(joins) }) : node
}

/** A condition with soft-deleted rows hidden in its EXISTS subqueries, through AND / OR / NOT. */
function hideInFilters(node: Node): Node {
  switch (node.kind) {
    case 'exists': {
      const query = hideDeleted(node.query) as typeof node.query
      return query === node.query ? node : Object.freeze({ ...node, query })
    }
    case 'not': {
      const expr = hideInFilters(node.expr)
      return expr === node.expr ? node : Object.freeze({ ...node, expr })
    }
    case 'logical': {
      const items = node.items.map(hideInFilters)
      return items.every((item, i) => item === node.items[i]) ? node : Object.freeze({ ...node, items: Object.freeze(items) })
    }
    default:
      return node
  }
}
