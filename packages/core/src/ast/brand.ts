/**
 * The brand that tells Quarry's own objects (AST nodes, builders, tables) from user data. It is a
 * non-enumerable `Symbol.for('quarry.node')` property: JSON, structured clones and spreads cannot
 * carry it, so a value that merely looks like a node (a frozen JSON document `{ kind: 'raw', … }`)
 * stays a value; `Symbol.for` makes two copies of the package agree.
 */
import type { BinaryNode, LogicalNode, Node, SelectionNode, ValueNode } from './nodes.js'

/** The brand key. */
export const BRAND: unique symbol = Symbol.for('quarry.node') as never // cast: a unique symbol type can only come from a declaration; Symbol.for() returns plain symbol

/** What a branded object is. */
export type BrandKind = 'node' | 'builder' | 'table'

// Nodes inherit the brand from one shared prototype: cheaper to create than a property defined
// on each node, and still invisible to JSON, spreads and `Object.keys`.
const NODE_PROTO: object = Object.create(Object.prototype, { [BRAND]: { value: 'node' } })

/**
 * A frozen, branded AST node with the fields of `fields` (the only way to make a node).
 * @example node({ kind: 'value', value: 1, type: undefined })
 */
export function node<TNode extends Node>(fields: TNode): TNode {
  return Object.freeze(Object.assign(Object.create(NODE_PROTO) as TNode, fields))
}

/** A writable node of type `TNode` (brand only) for hot paths that set each field in a fixed order, then freeze it. */
export function blankNode<TNode extends Node>(): { -readonly [K in keyof TNode]: TNode[K] } {
  return Object.create(NODE_PROTO)
}

/** A value node: the commonest node, written out field by field (one hidden class, no generic copy). */
export function valueNode(value: unknown, type: ValueNode['type']): ValueNode {
  const out = blankNode<ValueNode>()
  out.kind = 'value'
  out.value = value
  out.type = type
  return Object.freeze(out)
}

/** A binary node, written out field by field. */
export function binaryNode(op: BinaryNode['op'], left: Node, right: Node): BinaryNode {
  const out = blankNode<BinaryNode>()
  out.kind = 'binary'
  out.op = op
  out.left = left
  out.right = right
  return Object.freeze(out)
}

/** `a AND b …` / `a OR b …`, written out field by field. */
export function logicalNode(op: LogicalNode['op'], items: readonly Node[]): LogicalNode {
  const out = blankNode<LogicalNode>()
  out.kind = 'logical'
  out.op = op
  out.items = Object.freeze(items)
  return Object.freeze(out)
}

/** A selection output, written out field by field (every select makes many). */
export function selectionNode(expr: Node, alias: string, group: string | undefined, type: SelectionNode['type']): SelectionNode {
  const out = blankNode<SelectionNode>()
  out.kind = 'selection'
  out.expr = expr
  out.alias = alias
  out.group = group
  out.type = type
  return Object.freeze(out)
}

/** A frozen, branded copy of the node `base` with `patch` applied. */
export function withNode<TNode extends Node>(base: TNode, patch: Partial<TNode>): TNode {
  return Object.freeze(Object.assign(Object.create(NODE_PROTO) as TNode, base, patch))
}

/** Marks `target` (a builder's method table, a table object) as a Quarry object of kind `kind`; returns it. */
export function brand<T extends object>(target: T, kind: BrandKind): T {
  Object.defineProperty(target, BRAND, { value: kind })
  return target
}

/** The brand of a value, if it has one. */
export function brandOf(value: unknown): BrandKind | undefined {
  return typeof value === 'object' && value !== null ? ((value as { [BRAND]?: BrandKind })[BRAND]) : undefined
}

/** Is this value an AST node made by Quarry (whatever its shape, data never is)? */
export function isNode(value: unknown): value is Node {
  return typeof value === 'object' && value !== null && (value as { [BRAND]?: BrandKind })[BRAND] === 'node'
}
