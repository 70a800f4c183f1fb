/**
 * Derived tables: a subquery in FROM (`.as(alias)`) or a common table expression (`.cte(name)`,
 * `recursiveCte`). Their columns are refs under the alias, typed by the query's row.
 */
import { brand, node } from '../ast/brand.js'
import type { ColumnNode, CompoundNode, CteNode, DerivedNode, SelectNode, SelectionNode } from '../ast/nodes.js'
import { typeMeta } from '../expr/types.js'
import type { ColumnMeta } from '../schema/meta.js'
import type { DerivedTable } from './select.types.js'

/** Runtime key of a derived table's FROM node. */
export const DERIVED_KEY: unique symbol = Symbol.for('quarry.derived')

/** The output columns of a query (its leftmost SELECT's selection). */
export function outputsOf(query: SelectNode | CompoundNode): readonly SelectionNode[] {
  return query.kind === 'select' ? query.selection : outputsOf(query.left)
}

function derivedObject(derived: DerivedNode, outputs: readonly SelectionNode[]): object {
  const obj: Record<string | symbol, unknown> = { [DERIVED_KEY]: derived }
  for (const out of outputs) {
    const base: ColumnMeta = out.type ?? typeMeta('custom')
    const meta: ColumnMeta = Object.freeze({ ...base, key: out.alias, name: out.alias })
    obj[out.alias] = node({ kind: 'column', scope: derived.alias, qualifier: derived.alias, key: out.alias, meta } satisfies ColumnNode)
  }
  return Object.freeze(brand(obj, 'table'))
}

/** A subquery usable in FROM / JOIN under `alias`. */
export function derivedTable(query: SelectNode | CompoundNode, alias: string): DerivedTable<string, unknown> {
  return derivedObject(node({ kind: 'derived', alias, query }), outputsOf(query)) as never // cast: the runtime object is untyped; the public signature carries the derived table's row type
}

/** A CTE reference: selecting from it or joining it hoists its definition into WITH. */
export function cteTable(query: SelectNode | CompoundNode, name: string, recursive = false): DerivedTable<string, unknown> {
  const cte: CteNode = node({ kind: 'cte', name, query, recursive })
  return derivedObject(node({ kind: 'derived', alias: name, cte }), outputsOf(query)) as never // cast: the runtime object is untyped; the public signature carries the CTE's row type
}
