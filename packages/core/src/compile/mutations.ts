/**
 * The data-changing statements: INSERT (plain rows bound fast, upserts), UPDATE (SET in the order
 * the dialect needs, rows given as data), DELETE, and RETURNING with its emulation.
 */
import type { AssignmentNode, ColumnNode, DeleteNode, InsertNode, Node, RowsNode, SelectNode, CompoundNode, SelectionNode, TableNode, UpdateNode } from '../ast/nodes.js'
import type { Dialect } from '../dialects/dialect.js'
import { CompileError } from '../errors.js'
import { isNode } from '../expr/nodes.js'
import { bind, fromSql, queryBody, render, selectionListSql, withSql, type Ctx } from './compile.js'
import { sequentialOrder } from './set-order.js'
import { keySql } from './numeric.js'
import type { ColumnMeta } from '../schema/meta.js'
import { assignedCheck, insertedCheck } from '../dialects/value-checks.js'

function returningSql(node: { returning: readonly SelectionNode[] }, ctx: Ctx, what: string): string {
  if (node.returning.length === 0) return ''
  if (!ctx.d.capabilities.returning) throw new CompileError(`${ctx.d.name} cannot return rows from ${what}; select them afterwards`)
  return ' RETURNING ' + selectionListSql(node.returning, ctx)
}

/** Is this node the `DEFAULT` keyword (a cell left to the column's default)? */
export function isDefault(node: Node): boolean {
  return node.kind === 'raw' && node.args.length === 0 && node.parts.length === 1 && node.parts[0] === 'DEFAULT'
}

/** One VALUES row of cells and expressions; `checks` are the columns' `insertedCheck`s. */
function valueRowSql(row: readonly unknown[], columns: readonly ColumnNode[], checks: readonly (((value: unknown) => void) | undefined)[], ctx: Ctx): string {
  let out = '('
  for (let i = 0; i < row.length; i++) {
    const cell = row[i]
    if (typeof cell !== 'object' || cell === null || !isNode(cell)) {
      if (cell !== null && cell !== undefined) checks[i]?.(cell)
      out += (i ? ', ' : '') + bind(ctx, cell, columns[i].meta)
      continue
    }
    const node = cell
    let sql: string
    if (isDefault(node) && !ctx.d.capabilities.defaultInValues) {
      const meta = columns[i].meta
      if (!meta.nullable && !meta.autoIncrement) {
        throw new CompileError(`${ctx.d.name} cannot leave column ${columns[i].qualifier}.${meta.key} to its server default in some rows of a multi-row insert and not others; give every row a value for it`)
      }
      sql = 'NULL'
    } else sql = render(node, ctx)
    out += (i ? ', ' : '') + sql
  }
  return out + ')'
}

/**
 * The inserted rows: when every cell is a plain value, bound straight away, as one array per
 * column if the dialect asks (`columnArrays`), else as VALUES under cached placeholder text.
 */
function rowsSql(rows: readonly (readonly unknown[])[], columns: readonly ColumnNode[], ctx: Ctx): string {
  const start = ctx.params.length
  const arrays = ctx.d.columnArrays?.(columns, rows.length, start + 1)
  if (arrays !== undefined) {
    if (bindPlainColumns(rows, columns, ctx, true)) return arrays
  } else if (bindPlainRows(rows, columns, ctx, true)) return 'VALUES ' + placeholderRows(ctx.d, start, rows.length, columns.length)
  // A row holds an expression or DEFAULT: render every row cell by cell, binding in text order.
  ctx.params.length = start
  let out = 'VALUES '
  const checks = columns.map((c) => insertedCheck(c.meta, ctx.d.capabilities))
  for (let i = 0; i < rows.length; i++) out += (i ? ', ' : '') + valueRowSql(rows[i], columns, checks, ctx)
  return out
}

/** The encode function of each column for non-null values written into it (`undefined`: values pass through). */
function encodersOf(columns: readonly ColumnNode[], d: Dialect): (((value: unknown) => unknown) | undefined)[] {
  return columns.map((c) => {
    const encode = d.encoder ? d.encoder(c.meta) : (value: unknown) => d.encode(value, c.meta)
    const check = insertedCheck(c.meta, d.capabilities)
    if (check === undefined) return encode
    return (value: unknown) => (check(value), encode === undefined ? value : encode(value))
  })
}

/**
 * Binds every cell into one array per column (each appended to the params); false if `nodes` may
 * be among the cells and one is.
 */
function bindPlainColumns(rows: readonly (readonly unknown[])[], columns: readonly ColumnNode[], ctx: Ctx, nodes: boolean): boolean {
  const encoders = encodersOf(columns, ctx.d)
  const arrays = columns.map(() => new Array<unknown>(rows.length))
  for (let r = 0; r < rows.length; r++) {
    const row = rows[r]
    for (let i = 0; i < row.length; i++) {
      const cell = row[i]
      if (cell === null || cell === undefined) arrays[i]![r] = null
      else if (nodes && typeof cell === 'object' && isNode(cell)) return false
      else {
        const encode = encoders[i]
        arrays[i]![r] = encode === undefined ? cell : encode(cell)
      }
    }
  }
  for (const array of arrays) ctx.params.push(array)
  return true
}

/**
 * Binds every cell, each column's codec looked up once (pass-through ones skipped); false if
 * `nodes` may be among the cells and one is.
 */
function bindPlainRows(rows: readonly (readonly unknown[])[], columns: readonly ColumnNode[], ctx: Ctx, nodes: boolean): boolean {
  const params = ctx.params
  const encoders = encodersOf(columns, ctx.d)
  for (let r = 0; r < rows.length; r++) {
    const row = rows[r]
    for (let i = 0; i < row.length; i++) {
      const cell = row[i]
      if (cell === null || cell === undefined) params.push(null)
      else if (nodes && typeof cell === 'object' && isNode(cell)) return false
      else {
        const encode = encoders[i]
        params.push(encode === undefined ? cell : encode(cell))
      }
    }
  }
  return true
}

/**
 * Placeholder text of plain VALUES rows per dialect and (first index, rows, columns): repeated
 * inserts of one size reuse it instead of building thousands of small strings. Bounded: texts up
 * to 64K characters, 64 per dialect.
 */
const placeholderCache = new WeakMap<Dialect, Map<string, string>>()

function placeholderRows(d: Dialect, start: number, rows: number, columns: number): string {
  const key = start + ':' + rows + ':' + columns
  let cache = placeholderCache.get(d)
  if (!cache) placeholderCache.set(d, (cache = new Map()))
  let text = cache.get(key)
  if (text !== undefined) return text
  text = ''
  let index = start
  for (let r = 0; r < rows; r++) {
    text += r ? ', (' : '('
    for (let i = 0; i < columns; i++) text += (i ? ', ' : '') + d.placeholder(++index)
    text += ')'
  }
  if (text.length <= 65_536) {
    if (cache.size >= 64) cache.clear()
    cache.set(key, text)
  }
  return text
}

/** INSERT … VALUES / SELECT, with its upsert and RETURNING. */
export function insertSql(node: InsertNode, ctx: Ctx): string {
  const table = node.table.meta
  let out = withSql(node.ctes, ctx) + 'INSERT INTO ' + ctx.d.quote(table.name)
  if (node.columns.length) {
    out += ' ('
    for (let i = 0; i < node.columns.length; i++) out += (i ? ', ' : '') + ctx.d.quote(node.columns[i].meta.name)
    out += ')'
  }
  if (Array.isArray(node.values)) {
    if (node.columns.length === 0) out += ctx.d.capabilities.emptyInsert === 'empty values' ? ' () VALUES ()' : ' DEFAULT VALUES'
    else out += ' ' + rowsSql(node.values as readonly (readonly unknown[])[], node.columns, ctx)
  } else out += ' ' + queryBody(node.values as SelectNode | CompoundNode, ctx)
  if (node.onConflict) out += upsertSql(node, ctx)
  if (node.returning.length && ctx.d.capabilities.returning) out += returningSql(node, ctx, 'an insert')
  return out
}

function upsertSql(node: InsertNode, ctx: Ctx): string {
  const conflict = node.onConflict!
  const unqualified = (c: ColumnNode) => ctx.d.quote(c.meta.name)
  if (ctx.d.capabilities.upsertStyle === 'on duplicate key') {
    if (!conflict.set) {
      const pk = node.table.meta.columns[node.table.meta.primaryKey[0]] ?? node.columns[0].meta
      return ' ON DUPLICATE KEY UPDATE ' + ctx.d.quote(pk.name) + ' = ' + ctx.d.quote(pk.name)
    }
    if (conflict.where) throw new CompileError(`${ctx.d.name} cannot filter an upsert on ${node.table.meta.name} with WHERE`)
    return ' ON DUPLICATE KEY UPDATE ' + setOrder(conflict.set, node.table, ctx, conflict.setOrder).map((a) => assignmentSql(a, ctx)).join(', ')
  }
  let out = ' ON CONFLICT'
  if (conflict.target.length) out += ' (' + conflict.target.map(unqualified).join(', ') + ')'
  else if (conflict.set) throw new CompileError(`an upsert on ${node.table.meta.name} needs a conflict target (the unique columns) on ${ctx.d.name}`)
  if (!conflict.set) return out + ' DO NOTHING'
  out += ' DO UPDATE SET ' + setOrder(conflict.set, node.table, ctx, conflict.setOrder).map((a) => assignmentSql(a, ctx)).join(', ')
  if (conflict.where) out += ' WHERE ' + render(conflict.where, ctx)
  return out
}

/** UPDATE … SET … (FROM rows) WHERE … RETURNING. */
export function updateSql(node: UpdateNode, ctx: Ctx): string {
  if (node.set.length === 0) throw new CompileError(`update ${node.table.meta.key}: set() names no column`)
  if (!node.where && !node.everyRow) throw unfiltered('update', node)
  let out = withSql(node.ctes, ctx) + 'UPDATE ' + fromSql(node.table, ctx) + ' SET '
  const set = setOrder(node.set, node.table, ctx, node.setOrder)
  for (let i = 0; i < set.length; i++) out += (i ? ', ' : '') + assignmentSql(set[i], ctx)
  if (node.from) out += ' FROM ' + render(node.from, ctx)
  if (node.where) out += ' WHERE ' + render(node.where, ctx)
  return out + returningSql(node, ctx, 'an update')
}

/** Rows given as data in FROM: the dialect's row source, its arrays bound, named `alias (columns)`. */
export function rowsSourceSql(node: RowsNode, ctx: Ctx): string {
  const source = ctx.d.rowsSource
  const sql = source?.sql(node.columns, node.names, node.rows.length, ctx.params.length + 1, node.alias)
  if (sql === undefined) {
    const columns = node.columns.map((c) => c.meta.key).join(', ')
    throw new CompileError(`${ctx.d.name} cannot read rows given as data (${columns}); update them one statement at a time, or with CASE`)
  }
  if (source!.arrays) bindPlainColumns(node.rows, node.columns, ctx, false)
  else bindPlainRows(node.rows, node.columns, ctx, false)
  return sql
}

/** SET assignments in the order that means the same on the dialect (see `sequentialOrder`). */
function setOrder(set: readonly AssignmentNode[], table: TableNode, ctx: Ctx, stated: 'as written' | undefined): readonly AssignmentNode[] {
  return ctx.d.capabilities.sequentialSet ? sequentialOrder(set, table.alias ?? table.meta.name, ctx.d.name, stated === 'as written') : set
}

/** `col = value`; `CURRENT_TIMESTAMP` into a timestamp column is written in that column's storage form. */
export function assignmentSql(node: AssignmentNode, ctx: Ctx): string {
  const v = node.value
  const column = node.column.meta
  const now = column.type === 'timestamp' && v.kind === 'raw' && v.args.length === 0 && v.parts[0].trim().toUpperCase() === 'CURRENT_TIMESTAMP'
  if (v.kind === 'value' && v.value !== null && v.value !== undefined) assignedCheck(column)?.(v.value)
  return ctx.d.quote(column.name) + ' = ' + (now ? ctx.d.ddl.currentTimestamp(column) : valueSql(v, column, ctx))
}

/** An expression written into a column: a numeric one in the column's stored form where decimals are emulated. */
function valueSql(v: Node, column: ColumnMeta, ctx: Ctx): string {
  const numeric = ctx.d.numeric
  if (numeric === undefined || column.type !== 'numeric' || v.kind === 'value' || v.kind === 'param' || v.kind === 'raw') return render(v, ctx)
  const stored = column.stored ?? 'sortable'
  return stored === 'sortable' ? keySql(v, ctx, numeric) : stored === 'text' ? numeric.text(render(v, ctx)) : numeric.real(render(v, ctx))
}

/** An UPDATE or DELETE with neither `where()` nor `.all()`: refused, since it would change every row. */
function unfiltered(verb: 'update' | 'delete', node: UpdateNode | DeleteNode): CompileError {
  const statement = verb === 'delete' ? 'delete from' : 'update'
  return new CompileError(`${statement} ${node.table.meta.key} has no where(): pass a condition, or call .all() to ${verb} every row`)
}

/** DELETE FROM … WHERE … RETURNING. */
export function deleteSql(node: DeleteNode, ctx: Ctx): string {
  if (!node.where && !node.everyRow) throw unfiltered('delete', node)
  let out = withSql(node.ctes, ctx) + 'DELETE FROM ' + fromSql(node.table, ctx)
  if (node.where) out += ' WHERE ' + render(node.where, ctx)
  return out + returningSql(node, ctx, 'a delete')
}
