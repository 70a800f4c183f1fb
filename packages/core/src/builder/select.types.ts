/**
 * The typed contract of `select`: selection, scope (tables in FROM/JOIN) and the outer-joined
 * (nullable) scopes. Result rows are computed only at the boundary, by `ResultRow`.
 */
import type { DerivedNode, SelectNode, CompoundNode } from '../ast/nodes.js'
import type { Condition, Expr } from '../expr/expr.types.js'
import type { Order } from '../expr/functions.js'
import type { AnyTable, Column, Row, ScopeOf } from '../schema/table.types.js'
import type { ScopeCheck, Typed } from './executable.js'
import type { OutputOrder } from './output-order.js'

/** Where a derived table (subquery in FROM, CTE) keeps its node. */
export declare const DERIVED: unique symbol

/** A subquery in FROM or a CTE: its columns are refs under the alias `TAlias`. */
export type DerivedTable<TAlias extends string, TRow> = {
  readonly [DERIVED]: DerivedNode & { readonly $row?: TRow }
  readonly $scope?: TAlias
} & { readonly [K in keyof TRow]: Column<TRow[K], TAlias> }

// Not `DerivedTable<string, any>`: its mapped columns over `any` become an index signature that `$scope` fails.
type AnyDerived = { readonly [DERIVED]: DerivedNode; readonly $scope?: string }

/** Anything that can stand in FROM or JOIN. */
export type FromSource = AnyTable | AnyDerived

/** What may be selected: a table, a derived table, one expression, or an object of those. */
export type Selection = FromSource | Expr<unknown, string> | { readonly [key: string]: AnyTable | Expr<unknown, string> }

type DerivedRow<T> = T extends { readonly [DERIVED]: { readonly $row?: infer R } } ? R : never

type FieldValue<F, TNull extends string> = F extends AnyTable
  ? [ScopeOf<F> & TNull] extends [never] ? Row<F> : Row<F> | null
  : F extends Expr<infer V, infer S>
    ? [S & TNull] extends [never] ? V : V | null
    : never

/** The row a selection produces, given the outer-joined scopes `TNull`. */
export type ResultRow<TSel, TNull extends string> = TSel extends AnyTable
  ? Row<TSel>
  : TSel extends { readonly [DERIVED]: unknown }
    ? DerivedRow<TSel>
    : TSel extends Expr<infer V, string>
      ? V
      : { -readonly [K in keyof TSel]: FieldValue<TSel[K], TNull> }

type FieldScope<F> = F extends AnyTable ? ScopeOf<F> : F extends Expr<unknown, infer S> ? S : never

/** The tables a selection mentions. */
export type SelectionScope<TSel> = TSel extends FromSource
  ? ScopeOf<TSel>
  : TSel extends Expr<unknown, infer S>
    ? S
    : { [K in keyof TSel]: FieldScope<TSel[K]> }[keyof TSel]

type OrderItem<S extends string> = Order<S> | Expr<unknown, S>

/** Options of `forUpdate` / `forShare`. */
export interface LockOptions {
  readonly skipLocked?: boolean
  readonly noWait?: boolean
}

/**
 * What a branch united with rows `A` may give per column: anything where `A` selects only NULL
 * (`literal(null)`), else `A`'s type or NULL, so a NULL branch needs no widening cast.
 */
export type UnionBranch<A> = { [K in keyof A]: [A[K]] extends [null] ? unknown : A[K] | null }

/** The rows of a UNION of rows `A` and `B`: each column widened by the other branch's NULL. */
export type UnionRow<A, B> = {
  [K in keyof A]: [A[K]] extends [null] ? (K extends keyof B ? B[K] | null : null) : A[K] | (K extends keyof B ? (null extends B[K] ? null : never) : never)
} extends infer R
  ? { [K in keyof R]: R[K] }
  : never

/** Another branch of a UNION with rows `A`: a statement typed by a row `B` that fits (see {@link UnionBranch}). */
type UnionOperand<B> = Typed<B> & { readonly ast: SelectNode | CompoundNode }

/** A compound query (`union`, `intersect`, `except`) with its own ORDER BY / LIMIT. */
export interface CompoundBuilder<TRow> extends Typed<TRow> {
  readonly ast: CompoundNode
  union<B extends UnionBranch<TRow>>(other: UnionOperand<B>): CompoundBuilder<UnionRow<TRow, B>>
  unionAll<B extends UnionBranch<TRow>>(other: UnionOperand<B>): CompoundBuilder<UnionRow<TRow, B>>
  intersect(other: Typed<TRow> & { readonly ast: SelectNode | CompoundNode }): CompoundBuilder<TRow>
  except(other: Typed<TRow> & { readonly ast: SelectNode | CompoundNode }): CompoundBuilder<TRow>
  /**
   * Order the combined rows by output columns, by name (checked against the row type) or with a direction.
   * @example a.union(b).orderBy({ by: 'total', direction: 'desc' }, 'name')
   */
  orderBy(...items: (OutputOrder<Extract<keyof TRow, string>> | OrderItem<never>)[]): CompoundBuilder<TRow>
  limit(count: number | Expr<number, never>): CompoundBuilder<TRow>
  offset(count: number | Expr<number, never>): CompoundBuilder<TRow>
  /** Use as a table in FROM under `alias`. */
  as<TAlias extends string>(alias: TAlias): DerivedTable<TAlias, TRow>
  /** Use as a common table expression named `name`. */
  cte<TName extends string>(name: TName): DerivedTable<TName, TRow>
}

/**
 * A SELECT under construction. `TSel` is the selection, `TSelScope` the tables it mentions,
 * `TScope` the tables in FROM/JOIN and `TNull` those on the nullable side of an outer join.
 */
export interface SelectBuilder<TSel, TSelScope extends string, TScope extends string, TNull extends string>
  extends Typed<ResultRow<TSel, TNull>>,
    ScopeCheck<TSelScope, TScope> {
  readonly ast: SelectNode
  /** Set FROM (a table, an alias, a subquery `.as()`, or a CTE). */
  from<T extends FromSource>(source: T): SelectBuilder<TSel, TSelScope, TScope | ScopeOf<T>, TNull>
  /** `INNER JOIN source ON condition`. */
  innerJoin<T extends FromSource>(source: T, on: Condition<TScope | ScopeOf<T>>): SelectBuilder<TSel, TSelScope, TScope | ScopeOf<T>, TNull>
  /** `LEFT JOIN`: the joined table's columns become nullable in the result. */
  leftJoin<T extends FromSource>(source: T, on: Condition<TScope | ScopeOf<T>>): SelectBuilder<TSel, TSelScope, TScope | ScopeOf<T>, TNull | ScopeOf<T>>
  /** `RIGHT JOIN`: the tables joined so far become nullable. */
  rightJoin<T extends FromSource>(source: T, on: Condition<TScope | ScopeOf<T>>): SelectBuilder<TSel, TSelScope, TScope | ScopeOf<T>, TNull | TScope>
  /** `FULL JOIN`: both sides become nullable (refused on MySQL, which has no FULL JOIN). */
  fullJoin<T extends FromSource>(source: T, on: Condition<TScope | ScopeOf<T>>): SelectBuilder<TSel, TSelScope, TScope | ScopeOf<T>, TNull | TScope | ScopeOf<T>>
  /** `CROSS JOIN`. */
  crossJoin<T extends FromSource>(source: T): SelectBuilder<TSel, TSelScope, TScope | ScopeOf<T>, TNull>
  /** Let a subquery refer to tables of the enclosing query (correlated subquery). */
  correlate<T extends readonly FromSource[]>(...outer: T): SelectBuilder<TSel, TSelScope, TScope | ScopeOf<T[number]>, TNull>
  /** Add WHERE conditions, joined with AND (also across calls); `undefined` is skipped. */
  where(...conditions: (Condition<TScope> | undefined)[]): SelectBuilder<TSel, TSelScope, TScope, TNull>
  groupBy(...exprs: Expr<unknown, TScope>[]): SelectBuilder<TSel, TSelScope, TScope, TNull>
  having(...conditions: (Condition<TScope> | undefined)[]): SelectBuilder<TSel, TSelScope, TScope, TNull>
  /** ORDER BY; NULLs sort last ascending and first descending on every dialect unless told. */
  orderBy(...items: OrderItem<TScope>[]): SelectBuilder<TSel, TSelScope, TScope, TNull>
  limit(count: number | Expr<number, never>): SelectBuilder<TSel, TSelScope, TScope, TNull>
  offset(count: number | Expr<number, never>): SelectBuilder<TSel, TSelScope, TScope, TNull>
  distinct(): SelectBuilder<TSel, TSelScope, TScope, TNull>
  /** `FOR UPDATE` (ignored on SQLite, which locks the whole database in a write transaction). */
  forUpdate(options?: LockOptions): SelectBuilder<TSel, TSelScope, TScope, TNull>
  forShare(options?: LockOptions): SelectBuilder<TSel, TSelScope, TScope, TNull>
  /** `FOR UPDATE SKIP LOCKED`. */
  skipLocked(): SelectBuilder<TSel, TSelScope, TScope, TNull>
  /** Use as a table in FROM under `alias`. */
  as<TAlias extends string>(alias: TAlias): DerivedTable<TAlias, ResultRow<TSel, TNull>>
  /** Use as a common table expression named `name` (select from it, join it). */
  cte<TName extends string>(name: TName): DerivedTable<TName, ResultRow<TSel, TNull>>
  union<B extends UnionBranch<ResultRow<TSel, TNull>>>(other: UnionOperand<B>): CompoundBuilder<UnionRow<ResultRow<TSel, TNull>, B>>
  unionAll<B extends UnionBranch<ResultRow<TSel, TNull>>>(other: UnionOperand<B>): CompoundBuilder<UnionRow<ResultRow<TSel, TNull>, B>>
  intersect(other: Typed<ResultRow<TSel, TNull>> & { readonly ast: SelectNode | CompoundNode }): CompoundBuilder<ResultRow<TSel, TNull>>
  except(other: Typed<ResultRow<TSel, TNull>> & { readonly ast: SelectNode | CompoundNode }): CompoundBuilder<ResultRow<TSel, TNull>>
}

/** A select whose selection names no table yet: call `.from()`. */
export type SelectOf<TSel> = TSel extends FromSource
  ? SelectBuilder<TSel, ScopeOf<TSel>, ScopeOf<TSel>, never>
  : SelectBuilder<TSel, SelectionScope<TSel>, never, never>
