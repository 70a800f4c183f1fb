/**
 * The typed contract of loading: which relations a query loads decides its result type.
 * `selectinload(a.rel, b.rel, …)` checks that each step starts at the previous step's target;
 * the session resolves each step's property name against the root table, merges the paths into
 * one tree (intersection merges trees) and adds exactly the loaded relations to the row type.
 */
import type { AnyTable, ColumnsOf, RelationRef, Row, SelectBuilder } from '@quarry/core'

declare const LOAD: unique symbol

/** An eager-loading option for a query whose root table has scope `TRoot`; `TPath` lists the relation refs. */
export interface LoadOption<TRoot extends string, TPath> {
  readonly kind: 'loadOption'
  /** Phantom (never assigned). */
  readonly [LOAD]?: { readonly root: TRoot; readonly path: TPath }
}

/** A query option that does not load anything (`withDeleted()`). */
export interface QueryOption {
  readonly kind: 'withDeleted'
}

/** What may follow a statement in `session.all(stmt, …)` for a root table of scope `TRoot`. */
export type SessionOption<TRoot extends string> = LoadOption<TRoot, unknown> | QueryOption

/** The scope name of a table object. */
export type TableScope<TTable> = TTable extends { readonly $scope?: infer S extends string } ? S : never

type Ref<S extends string, T extends AnyTable, M extends boolean, K extends string, F extends string> = RelationRef<S, T, M, K, F>

/** The signature shared by `selectinload` and `joinedload` (paths up to four steps). */
export interface LoadFunction {
  <S extends string, T1 extends AnyTable, M1 extends boolean, K1 extends string, F1 extends string>(r1: Ref<S, T1, M1, K1, F1>): LoadOption<S, [Ref<S, T1, M1, K1, F1>]>
  <S extends string, T1 extends AnyTable, M1 extends boolean, K1 extends string, F1 extends string, T2 extends AnyTable, M2 extends boolean, K2 extends string, F2 extends string>(
    r1: Ref<S, T1, M1, K1, F1>,
    r2: Ref<TableScope<T1>, T2, M2, K2, F2>,
  ): LoadOption<S, [Ref<S, T1, M1, K1, F1>, Ref<TableScope<T1>, T2, M2, K2, F2>]>
  <
    S extends string,
    T1 extends AnyTable, M1 extends boolean, K1 extends string, F1 extends string,
    T2 extends AnyTable, M2 extends boolean, K2 extends string, F2 extends string,
    T3 extends AnyTable, M3 extends boolean, K3 extends string, F3 extends string,
  >(
    r1: Ref<S, T1, M1, K1, F1>,
    r2: Ref<TableScope<T1>, T2, M2, K2, F2>,
    r3: Ref<TableScope<T2>, T3, M3, K3, F3>,
  ): LoadOption<S, [Ref<S, T1, M1, K1, F1>, Ref<TableScope<T1>, T2, M2, K2, F2>, Ref<TableScope<T2>, T3, M3, K3, F3>]>
  <
    S extends string,
    T1 extends AnyTable, M1 extends boolean, K1 extends string, F1 extends string,
    T2 extends AnyTable, M2 extends boolean, K2 extends string, F2 extends string,
    T3 extends AnyTable, M3 extends boolean, K3 extends string, F3 extends string,
    T4 extends AnyTable, M4 extends boolean, K4 extends string, F4 extends string,
  >(
    r1: Ref<S, T1, M1, K1, F1>,
    r2: Ref<TableScope<T1>, T2, M2, K2, F2>,
    r3: Ref<TableScope<T2>, T3, M3, K3, F3>,
    r4: Ref<TableScope<T3>, T4, M4, K4, F4>,
  ): LoadOption<S, [Ref<S, T1, M1, K1, F1>, Ref<TableScope<T1>, T2, M2, K2, F2>, Ref<TableScope<T2>, T3, M3, K3, F3>, Ref<TableScope<T3>, T4, M4, K4, F4>]>
}

/** Flattens to one object type; `& {}` keeps hovers from naming the alias (they print the members). */
type Simplify<T> = { [K in keyof T]: T[K] } & {}

type References<TTarget extends string> = { readonly references: `${TTarget}.${string}` | { readonly to: `${TTarget}.${string}` } }

/**
 * `null` when a to-one relation may be empty: its declared foreign key `TForeignKey` is nullable,
 * or (when the schema infers it) the one column of `TSource` referencing `TTarget` is.
 */
type OneNull<TSource, TTarget, TForeignKey extends string> = [TForeignKey] extends [never]
  ? {
      [K in keyof ColumnsOf<TSource>]: ColumnsOf<TSource>[K] extends References<TableScope<TTarget>> ? ColumnsOf<TSource>[K] : never
    }[keyof ColumnsOf<TSource>] extends infer F
    ? [F] extends [never] ? null : Extract<F, { readonly nullable: true }> extends never ? never : null
    : null
  : ColumnsOf<TSource>[TForeignKey & keyof ColumnsOf<TSource>] extends { readonly nullable: true } ? null : never

/** A load path as a tree, keyed by each relation's name: `{ posts: { t: PostsTable; m: true; n: never; c: { tags: … } } }`. */
type PathTree<TTable, TPath> = TPath extends readonly [RelationRef<string, infer T, infer M, infer K, infer F>, ...infer Rest]
  ? { [P in K]: { t: T; m: M; n: OneNull<TTable, T, F>; c: PathTree<T, Rest> } }
  : unknown

/** The merged tree of every load option in `TOptions`. */
export type LoadTree<TTable, TOptions> = TOptions extends readonly [infer O, ...infer Rest]
  ? (O extends LoadOption<string, infer P> ? PathTree<TTable, P> : unknown) & LoadTree<TTable, Rest>
  : unknown

type TreeValues<TTree> = {
  -readonly [K in keyof TTree]: TTree[K] extends { t: infer T; m: infer M; n: infer N; c: infer C }
    ? M extends true ? Loaded<T, C>[] : Loaded<T, C> | N
    : never
}

/** The row of `TTable` with exactly the relations of `TTree` loaded (the plain row when none are). */
export type Loaded<TTable, TTree> = unknown extends TTree ? Row<TTable> : Simplify<Row<TTable> & TreeValues<TTree>>

/** The table a query selects whole (`select(users)`), or `never`. */
export type RootTable<TQuery> = TQuery extends SelectBuilder<infer TSel, any, any, any> ? (TSel extends AnyTable ? TSel : never) : never

/** What `session.all(query, …options)` gives per row. */
export type QueryResult<TRow, TQuery, TOptions> = unknown extends LoadTree<RootTable<TQuery>, TOptions> ? TRow : Loaded<RootTable<TQuery>, LoadTree<RootTable<TQuery>, TOptions>>
