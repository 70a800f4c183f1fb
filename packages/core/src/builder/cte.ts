/**
 * Recursive common table expressions.
 */
import { node, withNode } from '../ast/brand.js'
import type { CompoundNode, SelectNode } from '../ast/nodes.js'
import { cteTable } from './derived.js'
import type { DerivedTable } from './select.types.js'
import type { Typed } from './executable.js'

type Query<TRow> = Typed<TRow> & { readonly ast: SelectNode | CompoundNode }

/**
 * `WITH RECURSIVE name AS (base UNION ALL step(name))`: `step` receives the CTE to join against.
 * @example recursiveCte('tree', select({ id: comments.id }).from(comments).where(isNull(comments.parentId)),
 *   (tree) => select({ id: comments.id }).from(comments).innerJoin(tree, eq(comments.parentId, tree.id)))
 */
export function recursiveCte<TName extends string, TRow>(
  name: TName,
  base: Query<TRow>,
  step: (self: DerivedTable<TName, TRow>) => Query<TRow>,
  options: { readonly unionAll?: boolean } = {},
): DerivedTable<TName, TRow> {
  const self = cteTable(base.ast, name) as DerivedTable<TName, TRow>
  const recursive = step(self).ast
  const body: CompoundNode = node({
    kind: 'compound',
    ctes: Object.freeze([]),
    op: options.unionAll === false ? 'union' : 'union all',
    left: base.ast,
    right: stripCte(recursive, name),
    orderBy: Object.freeze([]),
  })
  return cteTable(body, name, true) as DerivedTable<TName, TRow>
}

/** The step query joins the CTE by name; its own WITH must not redefine it. */
function stripCte(node: SelectNode | CompoundNode, name: string): SelectNode | CompoundNode {
  return node.ctes.some((c) => c.name === name) ? withNode(node, { ctes: Object.freeze(node.ctes.filter((c) => c.name !== name)) }) : node
}
