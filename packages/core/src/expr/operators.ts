/**
 * Comparison and logical operators. The right operand takes the left's value type (`NoInfer`), so
 * `eq(users.id, 'x')` is a compile error; values are bound as parameters typed by the column.
 */
import { binaryNode, logicalNode, node } from '../ast/brand.js'
import type { BinaryOp, Node } from '../ast/nodes.js'
import type { Executable } from '../builder/executable.js'
import type { Condition, DecimalExpr, DecimalOperand, Expr } from './expr.types.js'
import { columnTypeOf, expectNode, operand } from './nodes.js'
import { tupleOperand } from './rows.js'

type Cond<S extends string> = Condition<S>

function compare(op: BinaryOp, left: Expr, right: unknown): Node {
  const l = expectNode(left, `the left side of ${op}`)
  if (right === null && (op === '=' || op === '<>')) {
    return node({ kind: 'isNull', expr: l, negated: op === '<>' })
  }
  return binaryNode(op, l, (l.kind === 'tuple' && tupleOperand(l, right)) || operand(right, columnTypeOf(l)))
}

/**
 * A comparison: the right operand has the left's type (`eq(users.id, 'x')` is a compile error), and
 * an exact decimal compares with a number, another decimal or a number expression such as `avg()`.
 */
export interface Comparison {
  <T, S extends string, S2 extends string = never>(left: Expr<T, S>, right: NoInfer<T> | Expr<NoInfer<T> | null, S2>): Cond<S | NoInfer<S2>>
  <S extends string, S2 extends string = never>(left: DecimalExpr<string | null, S>, right: DecimalOperand<S2>): Cond<S | NoInfer<S2>>
  <S extends string, S2 extends string = never>(left: Expr<number | bigint | null, S>, right: DecimalExpr<string | null, S2>): Cond<S | NoInfer<S2>>
}

function comparison(op: BinaryOp): Comparison {
  return ((left: Expr, right: unknown) => compare(op, left, right)) as Comparison
}

/** `left = right`; `eq(x, null)` compiles to `x IS NULL`. */
export const eq: Comparison = comparison('=')

/** `left <> right`; `ne(x, null)` compiles to `x IS NOT NULL`. */
export const ne: Comparison = comparison('<>')

/** `left < right`. */
export const lt: Comparison = comparison('<')

/** `left <= right`. */
export const lte: Comparison = comparison('<=')

/** `left > right`. */
export const gt: Comparison = comparison('>')

/** `left >= right`. */
export const gte: Comparison = comparison('>=')

/** NULL-safe equality: `IS NOT DISTINCT FROM` (`<=>` on MySQL). */
export const isNotDistinctFrom: Comparison = comparison('is not distinct from')

/** NULL-safe inequality: `IS DISTINCT FROM`. */
export const isDistinctFrom: Comparison = comparison('is distinct from')

function logical<S extends string>(op: 'and' | 'or', items: readonly (Cond<S> | undefined)[]): Cond<S> {
  const present: Node[] = []
  items.forEach((c, i) => c !== undefined && present.push(expectNode(c, `${op}(): argument ${i + 1}`)))
  if (present.length === 1) return present[0] as Cond<S>
  return logicalNode(op, present) as Cond<S>
}

/** All conditions hold; `undefined` entries are skipped (handy for optional filters). */
export function and<S extends string>(...conditions: (Cond<S> | undefined)[]): Cond<S> {
  return logical('and', conditions)
}

/** Any condition holds; `undefined` entries are skipped. */
export function or<S extends string>(...conditions: (Cond<S> | undefined)[]): Cond<S> {
  return logical('or', conditions)
}

/** `NOT condition`. */
export function not<S extends string>(condition: Cond<S>): Cond<S> {
  return node({ kind: 'not', expr: expectNode(condition, 'not()') }) as Cond<S>
}

/** `expr IS NULL`. */
export function isNull<S extends string>(expr: Expr<unknown, S>): Cond<S> {
  return node({ kind: 'isNull', expr: expr as Node, negated: false }) as Cond<S>
}

/** `expr IS NOT NULL`. */
export function isNotNull<S extends string>(expr: Expr<unknown, S>): Cond<S> {
  return node({ kind: 'isNull', expr: expr as Node, negated: true }) as Cond<S>
}

function inNode(expr: Expr, list: readonly unknown[] | Executable, negated: boolean): Node {
  const e = expr as Node
  const type = columnTypeOf(e)
  const items = Array.isArray(list)
    ? Object.freeze(list.map((v) => operand(v, type)))
    : ((list as { ast: Node }).ast as never)
  return node({ kind: 'in', expr: e, list: items, negated })
}

/** A query of one column of type `T`: `select({ id: users.id })` or `select(users.id)`. */
type OneColumn<T> = Executable<Record<string, T>> | Executable<T>

/** `expr IN (…)`, from a list of values (an empty list is false) or a subquery of one column. */
export function inArray<T, S extends string>(expr: Expr<T, S>, list: readonly NoInfer<T>[] | OneColumn<NoInfer<T>>): Cond<S> {
  return inNode(expr, list as never, false) as Cond<S>
}

/** `expr NOT IN (…)` (an empty list is true). */
export function notInArray<T, S extends string>(expr: Expr<T, S>, list: readonly NoInfer<T>[] | OneColumn<NoInfer<T>>): Cond<S> {
  return inNode(expr, list as never, true) as Cond<S>
}

/** `expr BETWEEN low AND high`. */
export function between<T, S extends string>(expr: Expr<T, S>, low: NoInfer<T> | Expr<NoInfer<T>, S>, high: NoInfer<T> | Expr<NoInfer<T>, S>): Cond<S> {
  const e = expr as Node
  const type = columnTypeOf(e)
  return node({ kind: 'between', expr: e, low: operand(low, type), high: operand(high, type), negated: false }) as Cond<S>
}

/** `EXISTS (subquery)`. */
export function exists(query: Executable): Cond<never> {
  return node({ kind: 'exists', query: (query as { ast: never }).ast, negated: false }) as Cond<never>
}

/** `NOT EXISTS (subquery)`. */
export function notExists(query: Executable): Cond<never> {
  return node({ kind: 'exists', query: (query as { ast: never }).ast, negated: true }) as Cond<never>
}
