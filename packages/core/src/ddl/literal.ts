/**
 * SQL written into DDL, where nothing can be a bound parameter: `sql` fragments of check
 * constraints and server defaults are rendered with their values inlined as literals and their
 * columns as bare quoted names.
 */
import type { Node, RawNode } from '../ast/nodes.js'
import type { DdlHooks, Dialect } from '../dialects/dialect.js'
import { SchemaError } from '../errors.js'

/** A standard SQL string literal: single quotes doubled. */
export function standardStringLiteral(value: string): string {
  return `'${value.replaceAll("'", "''")}'`
}

/**
 * A value as a DDL literal, after the dialect's encoding.
 * @example ddlLiteral("it's", hooks) // 'it''s'; new Uint8Array([1, 255]) → X'01ff' (SQLite, MySQL)
 */
export function ddlLiteral(value: unknown, hooks: DdlHooks): string {
  if (value === null || value === undefined) return 'NULL'
  if (typeof value === 'boolean') return value ? 'TRUE' : 'FALSE'
  if (typeof value === 'bigint') return value.toString()
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new SchemaError(`cannot write ${value} as a literal`)
    return String(value)
  }
  if (typeof value === 'string') return hooks.stringLiteral(value)
  if (value instanceof Uint8Array) return hooks.bytesLiteral(Array.from(value, (b) => b.toString(16).padStart(2, '0')).join(''))
  return hooks.stringLiteral(JSON.stringify(value))
}

/**
 * Renders a `sql` fragment for DDL: values become literals (encoded for the column they meet),
 * columns become their quoted SQL names, identifiers are quoted.
 * @example renderDdlSql(sql`${sql.identifier('age')} >= ${0}`, dialect, hooks) // "age" >= 0
 */
export function renderDdlSql(node: RawNode, dialect: Dialect, hooks: DdlHooks): string {
  let out = node.parts[0]
  for (let i = 0; i < node.args.length; i++) out += renderArg(node.args[i], dialect, hooks) + node.parts[i + 1]
  return out
}

function renderArg(node: Node, dialect: Dialect, hooks: DdlHooks): string {
  switch (node.kind) {
    case 'value':
      return ddlLiteral(dialect.encode(node.value, node.type), hooks)
    case 'column':
      return dialect.quote(node.meta.name)
    case 'identifier':
      return node.names.map((n) => dialect.quote(n)).join('.')
    case 'raw':
      return renderDdlSql(node, dialect, hooks)
    default:
      throw new SchemaError(`a '${node.kind}' node cannot appear in DDL; write the expression with sql\`…\``)
  }
}
