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

type Ref<S extends string, T extends AnyTable, M extends boolean> = RelationRef<S, T, M>

/** The signature shared by `selectinload` and `joinedload` (paths up to five steps). */
export interface LoadFunction {
  <S extends string, T1 extends AnyTable, M1 extends boolean>(r1: Ref<S, T1, M1>): LoadOption<S, [Ref<S, T1, M1>]>
  <S extends string, T1 extends AnyTable, M1 extends boolean, T2 extends AnyTable, M2 extends boolean>(
    r1: Ref<S, T1, M1>,
    r2: Ref<TableScope<T1>, T2, M2>,
  ): LoadOption<S, [Ref<S, T1, M1>, Ref<TableScope<T1>, T2, M2>]>
  <S extends string, T1 extends AnyTable, M1 extends boolean, T2 extends AnyTable, M2 extends boolean, T3 extends AnyTable, M3 extends boolean>(
    r1: Ref<S, T1, M1>,
    r2: Ref<TableScope<T1>, T2, M2>,
    r3: Ref<TableScope<T2>, T3, M3>,
  ): LoadOption<S, [Ref<S, T1, M1>, Ref<TableScope<T1>, T2, M2>, Ref<TableScope<T2>, T3, M3>]>
  <S extends string, T1 extends AnyTable, M1 extends boolean, T2 extends AnyTable, M2 extends boolean, T3 extends AnyTable, M3 extends boolean, T4 extends AnyTable, M4 extends boolean>(
    r1: Ref<S, T1, M1>,
    r2: Ref<TableScope<T1>, T2, M2>,
    r3: Ref<TableScope<T2>, T3, M3>,
    r4: Ref<TableScope<T3>, T4, M4>,
  ): LoadOption<S, [Ref<S, T1, M1>, Ref<TableScope<T1>, T2, M2>, Ref<TableScope<T2>, T3, M3>, Ref<TableScope<T3>, T4, M4>]>
}

type Simplify<T> = { [K in keyof T]: T[K] }

type TargetOf<R> = R extends RelationRef<string, infer T, boolean> ? T : never
type ManyOf<R> = R extends RelationRef<string, AnyTable, infer M> ? M : never

/** The property of `TTable` holding relation ref `R` (core's RelationRef does not carry its key). */
type RelKey<TTable, R> = { [K in keyof TTable]: TTable[K] extends R ? K : never }[keyof TTable]

type References<TTarget extends string> = { readonly references: `${TTarget}.${string}` | { readonly to: `${TTarget}.${string}` } }

/** `null` when a to-one relation from `TSource` to `TTarget` may be empty (its foreign key is nullable). */
type OneNull<TSource, TTarget> = {
  [K in keyof ColumnsOf<TSource>]: ColumnsOf<TSource>[K] extends References<TableScope<TTarget>> ? ColumnsOf<TSource>[K] : never
}[keyof ColumnsOf<TSource>] extends infer F
  ? [F] extends [never] ? null : Extract<F, { readonly nullable: true }> extends never ? never : null
  : null

/** A load path as a tree: `{ posts: { t: PostsTable; m: true; n: never; c: { tags: … } } }`. */
type PathTree<TTable, TPath> = TPath extends readonly [infer R, ...infer Rest]
  ? { [K in RelKey<TTable, R>]: { t: TargetOf<R>; m: ManyOf<R>; n: OneNull<TTable, TargetOf<R>>; c: PathTree<TargetOf<R>, Rest> } }
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
