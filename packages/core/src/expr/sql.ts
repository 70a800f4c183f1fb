/**
 * The `sql` tagged template: the escape hatch. Interpolated values become parameters, nodes
 * (columns, expressions, `sql.identifier`) are inlined, and `sql<T>` types the result.
 */
import { node } from '../ast/brand.js'
import type { IdentifierNode, RawNode } from '../ast/nodes.js'
import type { Typed } from '../builder/executable.js'
import type { Expr } from './expr.types.js'
import { operand } from './nodes.js'

/** A raw SQL fragment: an expression of type `T`, or a statement returning rows of `T`. */
export type Sql<T = unknown> = RawNode & Expr<T, never> & Typed<T>

interface SqlTag {
  /**
   * Raw SQL with parameters.
   * @example sql<number>`select count(*) from ${users} where ${users.email} like ${pattern}`
   */
  <T = unknown>(strings: TemplateStringsArray, ...values: unknown[]): Sql<T>
  /** A quoted identifier (`sql.identifier('users', 'id')` → `"users"."id"`). */
  identifier(...names: string[]): IdentifierNode & Expr<unknown, never>
  /** Trusted SQL text inlined as-is, never a parameter. */
  raw<T = unknown>(text: string): Sql<T>
  /** Fragments joined by a separator (`, ` by default). */
  join<T = unknown>(items: readonly unknown[], separator?: string): Sql<T>
}

function template<T>(strings: TemplateStringsArray, ...values: unknown[]): Sql<T> {
  return node({ kind: 'raw', parts: Object.freeze([...strings]), args: Object.freeze(values.map((v) => operand(v))) }) as Sql<T>
}

/** The `sql` tagged template (see {@link SqlTag}). */
export const sql: SqlTag = Object.assign(template, {
  identifier: (...names: string[]) => node({ kind: 'identifier' as const, names: Object.freeze(names) }),
  raw: <T>(text: string) => node({ kind: 'raw', parts: Object.freeze([text]), args: Object.freeze([]) }) as Sql<T>,
  join: <T>(items: readonly unknown[], separator = ', ') => {
    const parts = items.length === 0 ? [''] : ['', ...items.slice(1).map(() => separator), '']
    return node({ kind: 'raw', parts: Object.freeze(parts), args: Object.freeze(items.map((v) => operand(v))) }) as Sql<T>
  },
})
