/**
 * Row values and window frames. `tuple(a, b)` compares element by element with `gt`/`lt`/`eq`
 * against another tuple or an array of values (keyset pagination over `(createdAt, id)`), as
 * `(a, b) > (?, ?)` on every dialect. `rows(…)`/`range(…)` give `over()` its frame.
 */
import { node } from '../ast/brand.js'
import type { FrameBound, FrameSpec, Node, TupleNode } from '../ast/nodes.js'
import { ArgumentError } from '../errors.js'
import type { Expr } from './expr.types.js'
import { columnTypeOf, expectNode, operand } from './nodes.js'

type Values<T extends readonly Expr<unknown, string>[]> = { -readonly [K in keyof T]: T[K] extends Expr<infer V, string> ? V : never }
type Scopes<T extends readonly Expr<unknown, string>[]> = T[number] extends Expr<unknown, infer S> ? S : never

/**
 * A row value `(a, b, …)`; compare it with `gt`, `lt`, `eq`… against another tuple or an array of values.
 * @example where(gt(tuple(posts.createdAt, posts.id), [last.createdAt, last.id])) // keyset pagination
 */
export function tuple<const T extends readonly Expr<unknown, string>[]>(...items: T): Expr<Values<T>, Scopes<T>> {
  if (items.length < 2) throw new ArgumentError(`tuple() takes at least two expressions, got ${items.length}`)
  return node<TupleNode>({ kind: 'tuple', items: Object.freeze(items.map((item, i) => expectNode(item, `tuple() item ${i + 1}`))) }) as unknown as Expr<Values<T>, Scopes<T>> // cast: the node is untyped at run time; the signature carries the tuple's value and scope types
}

/** The other side of a comparison with a tuple: an array of values becomes a tuple, each typed by its column. */
export function tupleOperand(left: TupleNode, right: unknown): Node | undefined {
  if (!Array.isArray(right)) return undefined
  if (right.length !== left.items.length) throw new ArgumentError(`a tuple of ${left.items.length} compared with ${right.length} values`)
  return node<TupleNode>({ kind: 'tuple', items: Object.freeze(right.map((v, i) => operand(v, columnTypeOf(left.items[i])))) })
}

/** `UNBOUNDED PRECEDING`. */
export const unboundedPreceding: FrameBound = Object.freeze({ kind: 'unboundedPreceding' })
/** `CURRENT ROW`. */
export const currentRow: FrameBound = Object.freeze({ kind: 'currentRow' })
/** `UNBOUNDED FOLLOWING`. */
export const unboundedFollowing: FrameBound = Object.freeze({ kind: 'unboundedFollowing' })

function offset(n: number, what: string): number {
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 0) throw new ArgumentError(`${what}(): the offset must be a non-negative integer, got ${String(n)}`)
  return n
}

/** `n PRECEDING`. */
export function preceding(n: number): FrameBound {
  return Object.freeze({ kind: 'preceding', offset: offset(n, 'preceding') })
}

/** `n FOLLOWING`. */
export function following(n: number): FrameBound {
  return Object.freeze({ kind: 'following', offset: offset(n, 'following') })
}

const ORDER: Record<FrameBound['kind'], number> = { unboundedPreceding: 0, preceding: 1, currentRow: 2, following: 3, unboundedFollowing: 4 }

function frame(unit: 'rows' | 'range', start: FrameBound, end: FrameBound): FrameSpec {
  if (start.kind === 'unboundedFollowing' || end.kind === 'unboundedPreceding' || ORDER[start.kind] > ORDER[end.kind]) {
    throw new ArgumentError(`${unit}(): a frame from ${start.kind} to ${end.kind} is empty or invalid`)
  }
  return Object.freeze({ unit, start, end })
}

/**
 * A `ROWS BETWEEN start AND end` frame for `over()`.
 * @example over(sum(sales.amount), { orderBy: [sales.day], frame: rows(preceding(6), currentRow) }) // 7-day moving sum
 */
export function rows(start: FrameBound, end: FrameBound = currentRow): FrameSpec {
  return frame('rows', start, end)
}

/** A `RANGE BETWEEN start AND end` frame (peers of the current row included; offsets need one numeric ORDER BY). */
export function range(start: FrameBound, end: FrameBound = currentRow): FrameSpec {
  return frame('range', start, end)
}
