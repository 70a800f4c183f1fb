/**
 * Relation filters: `any(posts.tags, cond)` and `has(posts.author, cond)`, compiled to EXISTS over
 * the relation's join columns. The condition is over the target table; the result over the source.
 */
import { node } from '../ast/brand.js'
import type { ColumnNode, Node, SelectNode } from '../ast/nodes.js'
import type { ColumnMeta, TableMeta } from '../schema/meta.js'
import type { AnyTable, RelationRef } from '../schema/table.types.js'
import type { Condition } from './expr.types.js'
import { typeMeta } from './types.js'

type TargetScope<T> = T extends { $scope?: infer S extends string } ? S : never

function col(meta: TableMeta, key: string, qualifier = meta.name): ColumnNode {
  return node({ kind: 'column', scope: meta.key, qualifier, key, meta: meta.columns[key] as ColumnMeta })
}

function eqCols(a: ColumnNode, b: ColumnNode): Node {
  return node({ kind: 'binary', op: '=', left: a, right: b })
}

function existsNode(from: TableMeta, joins: SelectNode['joins'], conds: Node[]): Node {
  const query: SelectNode = node({
    kind: 'select', ctes: [], distinct: false,
    selection: [node({ kind: 'selection', expr: node({ kind: 'raw', parts: ['1'], args: [] }), alias: 'one', type: typeMeta('integer') })],
    from: node({ kind: 'table', meta: from }), joins, where: node({ kind: 'logical', op: 'and', items: conds }),
    groupBy: [], orderBy: [],
  })
  return node({ kind: 'exists', query, negated: false })
}

function relationExists(ref: RelationRef<string, AnyTable, boolean>, condition: Node | undefined, target: TableMeta, through?: TableMeta): Node {
  const { relation, table, qualifier } = ref
  const extra = condition ? [condition] : []
  if (through) {
    const joinOn = relation.throughTargetColumns!.map((c, i) => eqCols(col(through, c), col(target, relation.targetColumns[i])))
    const link = relation.throughSourceColumns!.map((c, i) => eqCols(col(through, c), col(table, relation.sourceColumns[i], qualifier)))
    const join = node({ kind: 'join', type: 'inner', from: node({ kind: 'table', meta: target }), on: node({ kind: 'logical', op: 'and', items: joinOn }) })
    return existsNode(through, [join], [...link, ...extra])
  }
  const link = relation.targetColumns.map((c, i) => eqCols(col(target, c), col(table, relation.sourceColumns[i], qualifier)))
  return existsNode(target, [], [...link, ...extra])
}

/**
 * Rows having at least one related row (of a to-many relation) matching the condition.
 * @example select(posts).where(any(posts.tags, eq(tags.name, 'python')))
 */
export function any<S extends string, T extends AnyTable>(relation: RelationRef<S, T, true>, condition?: Condition<TargetScope<T>>): Condition<S> {
  return relationExists(relation, condition as Node | undefined, relation.target, relation.through) as Condition<S>
}

/**
 * Rows whose related row (of a to-one relation) matches the condition.
 * @example select(posts).where(has(posts.author, eq(users.username, 'alice')))
 */
export function has<S extends string, T extends AnyTable>(relation: RelationRef<S, T, false>, condition?: Condition<TargetScope<T>>): Condition<S> {
  return relationExists(relation, condition as Node | undefined, relation.target) as Condition<S>
}
