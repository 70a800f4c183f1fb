/**
 * Typed expressions: AST nodes with two covariant phantom types, the value type and the scope
 * (the union of the tables the expression mentions). Neither is ever assigned at run time.
 */
import type { NodeKind } from '../ast/nodes.js'

declare const VALUE: unique symbol
declare const SCOPE: unique symbol
declare const DECIMAL: unique symbol

/** An expression of value type `TValue` over the tables `TScope`. */
export interface Expr<TValue = unknown, TScope extends string = string> {
  readonly kind: NodeKind
  readonly [VALUE]?: TValue
  /** Wrapped in a tuple so that a scope of `never` is inferred as `never`, even through intersections (`Sql<T>`). */
  readonly [SCOPE]?: readonly [TScope]
}

/** Phantom (never assigned at run time): marks an expression whose text is an exact decimal. */
export interface DecimalMark {
  readonly [DECIMAL]: true
}

/**
 * An exact decimal: a numeric column, or SUM/MIN/MAX/arithmetic over one. Its value is decimal
 * text; it takes part in `add`/`sub`/`mul`/`div` and compares with numbers and `avg()`.
 */
export type DecimalExpr<TValue extends string | null = string | null, TScope extends string = string> = Expr<TValue, TScope> & DecimalMark

/** What a decimal meets: decimal text, a number, a decimal or a number expression. */
export type DecimalOperand<TScope extends string> = string | number | bigint | DecimalExpr<string | null, TScope> | Expr<number | bigint | null, TScope>

/** A boolean expression usable in WHERE / ON / HAVING over the tables `TScope`. */
export type Condition<TScope extends string = string> = Expr<boolean | null, TScope>

/**
 * A condition over one table (or alias, subquery, CTE): what `where` of a query on it takes. Handy
 * for filters built up conditionally.
 * @example const conds: ConditionOf<typeof books>[] = []; if (q) conds.push(ilike(books.title, q)); select(books).where(...conds)
 */
export type ConditionOf<TSource> = Condition<TSource extends { readonly $scope?: infer S extends string } ? S : never>

/** A value or an expression of that value's type. */
export type Operand<TValue, TScope extends string = never> = TValue | Expr<TValue, TScope>

/** The value type of an expression. */
export type ValueOf<TExpr> = TExpr extends Expr<infer V, string> ? V : never

/** The scope of an expression. */
export type ScopeOfExpr<TExpr> = TExpr extends Expr<unknown, infer S> ? S : never
