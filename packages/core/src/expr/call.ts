/**
 * Making function-call and literal nodes for the builders of `expr/` (one place, so every such
 * node is branded and shaped alike).
 */
import { node } from '../ast/brand.js'
import type { FuncNode, LiteralNode, Node, OrderNode } from '../ast/nodes.js'
import type { ColumnMeta, ColumnType } from '../schema/meta.js'
import { operand } from './nodes.js'
import { typeMeta } from './types.js'

/** Extra parts of an aggregate call. */
export interface CallParts {
  readonly distinct?: boolean
  readonly star?: boolean
  readonly orderBy?: readonly OrderNode[]
  readonly filter?: Node
}

/** A function node `name(args)`; plain values among `args` are bound, typed by `argType` when given. */
export function call(name: string, args: readonly unknown[], type?: ColumnType | ColumnMeta, parts: CallParts = {}, argType?: ColumnMeta): FuncNode {
  const nodes: Node[] = []
  for (let i = 0; i < args.length; i++) nodes.push(operand(args[i], argType))
  return node<FuncNode>({
    kind: 'func',
    name,
    args: Object.freeze(nodes),
    type: typeof type === 'string' ? typeMeta(type) : type,
    distinct: parts.distinct,
    star: parts.star,
    orderBy: parts.orderBy,
    filter: parts.filter,
  })
}

/** A constant written into the SQL text. */
export function literalNode(value: LiteralNode['value'], type?: ColumnType | ColumnMeta): LiteralNode {
  return node<LiteralNode>({ kind: 'literal', value, type: typeof type === 'string' ? typeMeta(type) : type })
}
