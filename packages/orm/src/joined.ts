/**
 * Joined loading: the root SELECT gains one LEFT JOIN per loaded relation (two through an
 * association table) and the related columns as nested result groups; rows are folded back
 * into deduplicated parents with their collections.
 */
import { node, withNode } from '@quarry/core/internal'
import type { JoinNode, Node, OrderNode, SelectNode, SelectionNode, TableMeta } from '@quarry/core'
import { loadRelation, type Entity, type EntityState } from './entity.js'
import { SessionError } from './errors.js'
import type { LoadContext } from './load-context.js'
import type { LoadNode } from './load-options.js'
import { notDeleted } from './query-shape.js'
import { columnNode, tableInfo, type ResolvedRelation, type TableInfo } from './tables.js'

/** One joined relation: the alias its columns come back under. */
export interface JoinedLevel {
  readonly alias: string
  readonly rel: ResolvedRelation
  readonly target: TableInfo
  readonly children: readonly JoinedLevel[]
}

/** Where the root table's columns come back. */
const ROOT = '__root'

interface Place {
  readonly meta: TableMeta
  readonly scope: string
  readonly qualifier: string
}

function col(place: Place, key: string): Node {
  return columnNode(place.meta, place.meta.columns[key], place.scope, place.qualifier)
}

function eqAll(left: Place, leftCols: readonly string[], right: Place, rightCols: readonly string[], extra?: Node): Node {
  const items: Node[] = leftCols.map((c, i) => node({ kind: 'binary', op: '=', left: col(left, c), right: col(right, rightCols[i]) }))
  if (extra) items.push(extra)
  return items.length === 1 ? items[0] : node({ kind: 'logical', op: 'and', items: Object.freeze(items) })
}

function leftJoin(meta: TableMeta, alias: string, on: Node): JoinNode {
  return node({ kind: 'join', type: 'left', from: node({ kind: 'table', meta, alias }), on })
}

function asc(expr: Node): OrderNode {
  return node({ kind: 'order', expr, direction: 'asc' })
}

/** Every column of a table under `place`, as selections of group `group`. */
function selections(place: Place, group: string): SelectionNode[] {
  const refs: Record<string, Node> = {}
  for (const c of place.meta.columnList) if (!c.computed) refs[c.key] = col(place, c.key)
  return place.meta.columnList.map((c) =>
    node({ kind: 'selection', expr: c.computed ? (c.computed(refs) as Node) : refs[c.key], alias: c.key, group, type: c }),
  )
}

/**
 * The root SELECT with the joined relations of `tree` added, or undefined when nothing is
 * joined. `root` is the FROM table of a whole-row query.
 */
export function addJoins(query: SelectNode, root: Place, tree: ReadonlyMap<string, LoadNode>, withDeleted: boolean): { node: SelectNode; levels: JoinedLevel[] } | undefined {
  const joins: JoinNode[] = []
  const extra: SelectionNode[] = []
  const order: OrderNode[] = []
  const nullable: string[] = []
  let count = 0

  function build(parent: Place, nodes: ReadonlyMap<string, LoadNode>): JoinedLevel[] {
    const levels: JoinedLevel[] = []
    for (const n of nodes.values()) {
      if (n.strategy !== 'joined') continue
      const rel = n.rel
      const target = tableInfo(rel.target)
      const alias = `__j${++count}`
      const place: Place = { meta: rel.target, scope: alias, qualifier: alias }
      const hidden = withDeleted ? undefined : notDeleted(rel.target, alias, alias)
      if (rel.through) {
        const link: Place = { meta: rel.through, scope: alias + '_t', qualifier: alias + '_t' }
        joins.push(leftJoin(rel.through, link.qualifier, eqAll(link, rel.meta.throughSourceColumns!, parent, rel.meta.sourceColumns)))
        joins.push(leftJoin(rel.target, alias, eqAll(place, rel.meta.targetColumns, link, rel.meta.throughTargetColumns!, hidden)))
      } else {
        joins.push(leftJoin(rel.target, alias, eqAll(place, rel.meta.targetColumns, parent, rel.meta.sourceColumns, hidden)))
      }
      extra.push(...selections(place, alias))
      nullable.push(alias)
      for (const c of target.pk) order.push(asc(col(place, c.key)))
      levels.push({ alias, rel, target, children: build(place, n.children) })
    }
    return levels
  }

  const rootPk = tableInfo(root.meta).pk
  if (joinsMany(tree) && (query.limit || query.offset)) {
    // LIMIT must count parents, not joined rows: the limited query becomes a subquery to join to.
    const inner = wrap(query, root)
    query = inner.query
    root = inner.root
  }
  const levels = build(root, tree)
  if (levels.length === 0) return undefined
  const rootOrder = rootPk.map((c) => asc(col(root, c.key)))
  return {
    node: withNode(query, {
      selection: Object.freeze([...query.selection.map((s) => withNode(s, { group: ROOT })), ...extra]),
      joins: Object.freeze([...query.joins, ...joins]),
      orderBy: Object.freeze([...query.orderBy, ...rootOrder, ...order]),
      nullableGroups: Object.freeze([...(query.nullableGroups ?? []), ...nullable]),
    }),
    levels,
  }
}

function joinsMany(tree: ReadonlyMap<string, LoadNode>): boolean {
  for (const n of tree.values()) if (n.strategy === 'joined' && (n.rel.many || joinsMany(n.children))) return true
  return false
}

const keyNamed = new WeakMap<TableMeta, TableMeta>()

/** The table's metadata with each column named by its key: how a subquery's outputs are read. */
function byKeys(meta: TableMeta): TableMeta {
  let out = keyNamed.get(meta)
  if (!out) {
    const columnList = meta.columnList.map((c) => Object.freeze({ ...c, name: c.key, computed: undefined }))
    out = Object.freeze({ ...meta, columnList, columns: Object.fromEntries(columnList.map((c) => [c.key, c])) })
    keyNamed.set(meta, out)
  }
  return out
}

const ANON = '__limited'

/** `SELECT … FROM (the limited query) AS __limited`, ordered as the original. */
function wrap(query: SelectNode, root: Place): { query: SelectNode; root: Place } {
  if (query.from?.kind !== 'table') throw new SessionError('joinedload() with limit() needs a query FROM one table')
  const place: Place = { meta: byKeys(root.meta), scope: ANON, qualifier: ANON }
  const orderBy = query.orderBy.flatMap((o) =>
    o.expr.kind === 'column' && o.expr.scope === root.scope ? [withNode(o, { expr: col(place, o.expr.key) })] : [],
  )
  const outer: SelectNode = node({
    kind: 'select',
    ctes: query.ctes,
    distinct: false,
    selection: Object.freeze(place.meta.columnList.map((c) => node({ kind: 'selection', expr: col(place, c.key), alias: c.key, type: c }))),
    from: node({ kind: 'derived', alias: ANON, query: withNode(query, { ctes: Object.freeze([]) }) }),
    joins: Object.freeze([]),
    groupBy: Object.freeze([]),
    orderBy: Object.freeze(orderBy),
  })
  return { query: outer, root: place }
}

interface Collected {
  readonly list: EntityState[]
  readonly seen: Set<EntityState>
}

/** Folds joined rows into distinct root entities (in first-seen order) with their relations loaded. */
export function foldJoined(ctx: LoadContext, rows: readonly Record<string, unknown>[], rootInfo: TableInfo, levels: readonly JoinedLevel[]): EntityState[] {
  const roots: EntityState[] = []
  const seenRoots = new Set<EntityState>()
  const collected = new Map<JoinedLevel, Map<EntityState, Collected>>()
  for (const level of walkLevels(levels)) collected.set(level, new Map())

  function walk(parent: EntityState, row: Record<string, unknown>, nested: readonly JoinedLevel[]): void {
    for (const level of nested) {
      const perParent = collected.get(level)!
      let entry = perParent.get(parent)
      if (!entry) perParent.set(parent, (entry = { list: [], seen: new Set() }))
      const value = row[level.alias] as Entity | null
      if (value === null || value === undefined) continue
      const child = ctx.entity(value, level.target)
      if (!entry.seen.has(child)) {
        entry.seen.add(child)
        entry.list.push(child)
      }
      walk(child, row, level.children)
    }
  }

  for (const row of rows) {
    const root = ctx.entity(row[ROOT] as Entity, rootInfo)
    if (!seenRoots.has(root)) {
      seenRoots.add(root)
      roots.push(root)
    }
    walk(root, row, levels)
  }
  for (const [level, perParent] of collected) {
    for (const [parent, entry] of perParent) {
      if (parent.loaded.has(level.rel.key)) continue
      loadRelation(parent, level.rel, level.rel.many ? entry.list.map((s) => s.obj) : (entry.list[0]?.obj ?? null))
    }
  }
  return roots
}

function* walkLevels(levels: readonly JoinedLevel[]): Generator<JoinedLevel> {
  for (const level of levels) {
    yield level
    yield* walkLevels(level.children)
  }
}
