/**
 * The result shape of a compiled statement: the fields each row decodes, cached per long-lived
 * selection so the engine finds its row builder at once.
 */
import type { CompoundNode, SelectNode, SelectionNode, StatementNode } from '../ast/nodes.js'
import { isLongLived } from '../builder/clauses.js'
import type { ResultField, ResultShape } from './compiled.js'

const fieldsCache = new WeakMap<readonly SelectionNode[], readonly ResultField[]>()

function fieldsOf(selection: readonly SelectionNode[]): readonly ResultField[] {
  const cacheable = isLongLived(selection)
  let fields = cacheable ? fieldsCache.get(selection) : undefined
  if (!fields) {
    fields = selection.map((s) => ({ key: s.alias, group: s.group, type: s.type }))
    if (cacheable) fieldsCache.set(selection, fields)
  }
  return fields
}

/** How the rows of a statement decode: its selection (RETURNING list), nullable groups, single value. */
export function resultShape(node: StatementNode): ResultShape | undefined {
  if (node.kind === 'raw' && node.type !== undefined) return { fields: [{ key: 'value', type: node.type }], nullableGroups: NO_GROUPS, single: true }
  const selection =
    node.kind === 'select' ? node.selection
    : node.kind === 'compound' ? compoundSelection(node)
    : node.kind === 'raw' ? undefined
    : node.returning.length ? node.returning
    : undefined
  if (!selection) return undefined
  const first = node.kind === 'compound' ? firstSelect(node) : node.kind === 'select' ? node : undefined
  const nullableGroups = first?.nullableGroups ?? NO_GROUPS
  const single = first?.single
  if (nullableGroups.length === 0 && !single) {
    // A whole table's rows: one shape object per table, so the engine finds its row builder at once.
    let shape = shapeCache.get(selection)
    if (!shape && isLongLived(selection)) shapeCache.set(selection, (shape = Object.freeze({ fields: fieldsOf(selection), nullableGroups, stable: true })))
    if (shape) return shape
  }
  return { fields: fieldsOf(selection), nullableGroups, single }
}

const NO_GROUPS: readonly string[] = Object.freeze([])
const shapeCache = new WeakMap<readonly SelectionNode[], ResultShape>()


/** Is this output a bare NULL (`literal(null)`), which says nothing of how the column decodes? */
function bareNull(selection: SelectionNode | undefined): boolean {
  const expr = selection?.expr
  return expr !== undefined && (expr.kind === 'literal' || expr.kind === 'value') && expr.value === null && selection!.type === undefined
}

/** The SELECTs of a compound query, left to right. */
function selectsOf(node: SelectNode | CompoundNode, out: SelectNode[] = []): SelectNode[] {
  if (node.kind === 'select') out.push(node)
  else {
    selectsOf(node.left, out)
    selectsOf(node.right, out)
  }
  return out
}

/**
 * The outputs a compound query's rows decode by: the leftmost SELECT's, where one is a bare NULL
 * the first later branch's that says more (a timestamp there still reads as a Date).
 */
function compoundSelection(node: CompoundNode): readonly SelectionNode[] {
  const first = firstSelect(node).selection
  if (!first.some(bareNull)) return first
  const branches = selectsOf(node)
  return first.map((selection, i) => {
    if (!bareNull(selection)) return selection
    const typed = branches.find((branch) => !bareNull(branch.selection[i]) && branch.selection[i]?.type !== undefined)?.selection[i]
    return typed === undefined ? selection : { ...selection, type: typed.type }
  })
}

/** The leftmost SELECT of a compound query (its outputs name the columns). */
export function firstSelect(node: SelectNode | CompoundNode): SelectNode {
  return node.kind === 'select' ? node : firstSelect(node.left)
}
