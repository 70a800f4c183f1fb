/**
 * The contract between builders and whatever runs them (engine, session, compile).
 */
import { brandOf } from '../ast/brand.js'
import type { RawNode, StatementNode } from '../ast/nodes.js'
import { ArgumentError } from '../errors.js'
import { describeValue } from '../expr/nodes.js'

declare const ROW: unique symbol
declare const SCOPE_OK: unique symbol

/**
 * Phantom carrier of a statement's row type (never assigned at run time). The row is boxed so
 * that inference reads a statement without rows as `never`, not as the `undefined` of the optional key.
 */
export interface Typed<TRow> {
  readonly [ROW]?: { readonly row: TRow }
}

/**
 * Phantom check that every table a selection mentions is in FROM or a JOIN: `true`, or a message
 * naming the missing tables, which makes passing the query anywhere a compile error.
 */
export interface ScopeCheck<TSelScope extends string, TScope extends string> {
  readonly [SCOPE_OK]?: [TSelScope] extends [TScope] ? true : `table '${Exclude<TSelScope, TScope>}' is selected but not in FROM or JOIN`
}

/**
 * Phantom check that an UPDATE or DELETE says which rows it changes: `true` once it has `where()`
 * or `.all()`, else a message, which makes passing the statement anywhere a compile error.
 */
export interface FilterCheck<TFiltered extends boolean, TVerb extends string> {
  readonly [SCOPE_OK]?: TFiltered extends true ? true : `${TVerb} without where(): pass a condition, or call .all() to change every row`
}

/** A builder (select/insert/update/delete) or a raw `sql` statement returning rows of `TRow`. */
export type Executable<TRow = unknown> = ({ readonly ast: StatementNode } | RawNode) & Typed<TRow> & { readonly [SCOPE_OK]?: true }

/** The row type an executable produces (`never` for a statement without RETURNING). */
export type RowOf<TQuery> = TQuery extends Typed<infer TRow> ? TRow : never

const STATEMENT_KINDS: ReadonlySet<string> = new Set<StatementNode['kind']>(['select', 'compound', 'insert', 'update', 'delete', 'raw'])

/** The statement node behind a builder or a raw `sql` node; anything else is an `ArgumentError` naming what it got. */
export function statementOf(query: Executable | StatementNode): StatementNode {
  const brand = brandOf(query)
  if (brand === 'builder') return (query as { readonly ast: StatementNode }).ast
  if (brand === 'node' && STATEMENT_KINDS.has((query as StatementNode).kind)) return query as StatementNode
  throw new ArgumentError(`expected a statement (a query builder, sql\`…\` or prepare(…)), got ${describeValue(query)}`)
}
