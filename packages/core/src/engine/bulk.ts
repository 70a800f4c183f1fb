/**
 * Splitting inserts that carry more bind parameters than the database accepts. The rows of the
 * insert AST are cut into chunks that each compile under the limit.
 */
import { withNode } from '../ast/brand.js'
import type { InsertNode, StatementNode } from '../ast/nodes.js'
import { compile } from '../compile/compile.js'
import type { CompiledQuery } from '../compile/compiled.js'
import type { Dialect } from '../dialects/dialect.js'

/** An insert whose `values` is a list of literal rows. */
export type RowsInsert = InsertNode & { readonly values: readonly (readonly unknown[])[] }

/** True when the statement is an insert of literal rows (which can be split). */
export function isRowsInsert(node: StatementNode): node is RowsInsert {
  return node.kind === 'insert' && Array.isArray(node.values)
}

/**
 * Compiles an insert in chunks of rows, each under `maxParams` parameters. Starts from
 * `floor(maxParams / columns)` rows and shrinks a chunk when its values carry more parameters
 * than one per column.
 */
export function splitInsert(node: RowsInsert, dialect: Dialect, maxParams: number): CompiledQuery[] {
  const rows = node.values
  const perRow = Math.max(1, node.columns.length)
  let size = Math.max(1, Math.floor(maxParams / perRow))
  const chunks: CompiledQuery[] = []
  for (let start = 0; start < rows.length; ) {
    let count = Math.min(size, rows.length - start)
    let compiled = compile(withNode(node, { values: rows.slice(start, start + count) }), dialect)
    while (compiled.params.length > maxParams && count > 1) {
      count = Math.max(1, Math.floor((count * maxParams) / compiled.params.length) - 1)
      compiled = compile(withNode(node, { values: rows.slice(start, start + count) }), dialect)
    }
    chunks.push(compiled)
    size = count
    start += count
  }
  return chunks
}
