/**
 * Window functions: `over(fn, { partitionBy, orderBy })` with ranking, offset and aggregate functions.
 */
import { node } from '../ast/brand.js'
import type { FrameSpec, Node, OrderNode } from '../ast/nodes.js'
import type { Expr } from './expr.types.js'
import type { Order } from './functions.js'
import { columnTypeOf, operand } from './nodes.js'
import { typeMeta } from './types.js'

declare const WINDOW_ONLY: unique symbol
/** A function that is only valid under `over(...)`. */
export type WindowFn<T, S extends string = never> = Expr<T, S> & { readonly [WINDOW_ONLY]?: true }

function windowFn(name: string, args: readonly unknown[], type = columnTypeOf(args[0] as Node)): Node {
  return node({ kind: 'func', name, args: Object.freeze(args.map((a) => operand(a))), type })
}

/** `ROW_NUMBER()`, 1-based within the window. */
export function rowNumber(): WindowFn<number> {
  return windowFn('row_number', [], typeMeta('integer')) as WindowFn<number>
}

/** `RANK()`: ties share a rank, gaps follow. */
export function rank(): WindowFn<number> {
  return windowFn('rank', [], typeMeta('integer')) as WindowFn<number>
}

/** `DENSE_RANK()`: ties share a rank, no gaps. */
export function denseRank(): WindowFn<number> {
  return windowFn('dense_rank', [], typeMeta('integer')) as WindowFn<number>
}

/** `LAG(expr, offset)`: the value `offset` rows before, or `null`. */
export function lag<T, S extends string>(expr: Expr<T, S>, offset = 1): WindowFn<T | null, S> {
  return windowFn('lag', [expr, offset]) as never
}

/** `LEAD(expr, offset)`: the value `offset` rows after, or `null`. */
export function lead<T, S extends string>(expr: Expr<T, S>, offset = 1): WindowFn<T | null, S> {
  return windowFn('lead', [expr, offset]) as never
}

interface WindowSpec<S extends string> {
  readonly partitionBy?: readonly Expr<unknown, S>[]
  readonly orderBy?: readonly (Order<S> | Expr<unknown, S>)[]
  /** The frame: `rows(preceding(2), currentRow)`, `range(unboundedPreceding, unboundedFollowing)`. */
  readonly frame?: FrameSpec
}

/**
 * `fn OVER (PARTITION BY … ORDER BY …)`, for ranking functions and aggregates alike.
 * @example over(rowNumber(), { partitionBy: [posts.authorId], orderBy: [desc(posts.id)] })
 */
export function over<T, S extends string = never, S2 extends string = never>(fn: Expr<T, S>, spec: WindowSpec<S2> = {}): Expr<T, NoInfer<S | S2>> {
  const orderBy = (spec.orderBy ?? []).map((o) => toOrder(o as Node))
  return node({
    kind: 'window',
    fn: fn as Node,
    partitionBy: Object.freeze((spec.partitionBy ?? []) as Node[]),
    orderBy: Object.freeze(orderBy),
    frame: spec.frame,
  }) as Expr<T, S | S2>
}

/** An ORDER BY item: an order node as is, any other expression ascending. */
export function toOrder(expr: Node): OrderNode {
  return expr.kind === 'order' ? expr : node({ kind: 'order', expr, direction: 'asc' })
}
