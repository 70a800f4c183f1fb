/**
 * The `sql` tagged template: the escape hatch. Interpolated values become parameters, nodes
 * (columns, expressions, `sql.identifier`) are inlined. `sql<T>` only asserts the result type
 * (values come as the driver gives them); `sql.typed(type)` decodes them as a column of that type.
 */
import { node } from '../ast/brand.js'
import type { IdentifierNode, RawNode } from '../ast/nodes.js'
import type { Typed } from '../builder/executable.js'
import type { Expr } from './expr.types.js'
import { operand } from './nodes.js'
import { typeMeta } from './types.js'
import type { ColumnType } from '../schema/meta.js'
import type { ColumnTypeMap } from '../schema/table.types.js'
import { ArgumentError } from '../errors.js'

/** The types `sql.typed` decodes as. */
export type SqlValueType = Exclude<ColumnType, 'enum' | 'custom'>

const VALUE_TYPES: ReadonlySet<string> = new Set<SqlValueType>([
  'integer', 'smallint', 'bigint', 'real', 'double', 'numeric', 'boolean', 'text', 'varchar', 'char', 'uuid', 'date', 'time', 'timestamp', 'json', 'bytes',
])

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
  /**
   * Raw SQL whose value is decoded as a column of `type` on every dialect (NULL stays null): as an
   * expression, or as a statement whose rows are its first column's values. `sql<T>` only asserts T.
   * @example engine.scalar(sql.typed('integer')`SELECT count(*) FROM books`) // 7, not '7' (PostgreSQL, MySQL)
   * @example select({ n: sql.typed('integer')`count(*)` }).from(books)
   */
  typed<K extends SqlValueType>(type: K): (strings: TemplateStringsArray, ...values: unknown[]) => Sql<ColumnTypeMap[K] | null>
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
  typed: <K extends SqlValueType>(type: K) => {
    if (!VALUE_TYPES.has(type)) throw new ArgumentError(`sql.typed(): unknown type '${String(type)}' (use ${[...VALUE_TYPES].join(', ')})`)
    const meta = typeMeta(type)
    return (strings: TemplateStringsArray, ...values: unknown[]) =>
      node({ kind: 'raw', parts: Object.freeze([...strings]), args: Object.freeze(values.map((v) => operand(v))), type: meta }) as Sql<ColumnTypeMap[K] | null>
  },
})
