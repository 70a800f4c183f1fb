/**
 * The one compiler: renders any statement node to SQL text and parameters through a dialect's
 * hooks. Single pass, no regexes, no re-parsing; the visitor is a mapped type over node kinds.
 */
import type {
  AssignmentNode,
  BinaryNode,
  ColumnNode,
  CompoundNode,
  CteNode,
  DeleteNode,
  FromNode,
  FuncNode,
  InsertNode,
  LogicalNode,
  Node,
  NodeKind,
  NodeOf,
  OrderNode,
  RowsNode,
  SelectNode,
  SelectionNode,
  StatementNode,
  TableNode,
  UpdateNode,
  ValueNode,
} from '../ast/nodes.js'
import { statementOf, type Executable } from '../builder/executable.js'
import { getDialect } from '../dialects/index.js'
import type { Dialect, DialectName } from '../dialects/dialect.js'
import { CompileError } from '../errors.js'
import type { ColumnMeta } from '../schema/meta.js'
import { typeMeta } from '../expr/types.js'
import type { CompiledQuery, ResultField, ResultShape } from './compiled.js'
import { isLongLived } from '../builder/clauses.js'
import { isNode } from '../expr/nodes.js'
import { sequentialOrder } from './set-order.js'

interface Ctx {
  readonly d: Dialect
  readonly params: unknown[]
  slots: { index: number; name: string; type?: ColumnMeta }[] | undefined
}

type Renderers = { readonly [K in NodeKind]: (node: NodeOf<K>, ctx: Ctx) => string }

const COMPARISON = new Set(['=', '<>', '<', '<=', '>', '>='])
const DOUBLE = typeMeta('double')

function list(nodes: readonly Node[], ctx: Ctx, sep = ', '): string {
  let out = ''
  for (let i = 0; i < nodes.length; i++) out += (i ? sep : '') + render(nodes[i], ctx)
  return out
}

function bind(ctx: Ctx, value: unknown, type?: ColumnMeta): string {
  ctx.params.push(ctx.d.encode(value, type))
  return ctx.d.placeholder(ctx.params.length)
}

function columnSql(node: ColumnNode, ctx: Ctx): string {
  return ctx.d.quote(node.qualifier) + '.' + ctx.d.quote(node.meta.name)
}

function fromSql(node: FromNode, ctx: Ctx): string {
  if (node.kind === 'table') {
    const name = ctx.d.quote(node.meta.name)
    return node.alias ? name + ' AS ' + ctx.d.quote(node.alias) : name
  }
  if (!node.query) return ctx.d.quote(node.alias)
  return '(' + queryBody(node.query, ctx) + ') AS ' + ctx.d.quote(node.alias)
}

function orderSql(node: OrderNode, ctx: Ctx): string {
  const caps = ctx.d.capabilities
  const wanted = node.nulls ?? (node.direction === 'asc' ? 'last' : 'first')
  const natural = (caps.nullsSortAs === 'smallest') === (node.direction === 'asc') ? 'first' : 'last'
  const expr = render(node.expr, ctx)
  const dir = node.direction === 'asc' ? ' ASC' : ' DESC'
  if (wanted === natural || neverNull(node.expr)) return expr + dir
  if (caps.nullsOrdering) return expr + dir + (wanted === 'first' ? ' NULLS FIRST' : ' NULLS LAST')
  // No NULLS FIRST/LAST: sort on "is null" first (the expression is rendered twice, parameters too).
  return render(node.expr, ctx) + (wanted === 'first' ? ' IS NULL DESC, ' : ' IS NULL ASC, ') + expr + dir
}

/** A NOT NULL column or COUNT: NULL placement cannot matter (outer joins aside, as everywhere). */
function neverNull(node: Node): boolean {
  return (node.kind === 'column' && !node.meta.nullable) || (node.kind === 'func' && node.name === 'count')
}

function orderList(items: readonly OrderNode[], ctx: Ctx): string {
  let out = ''
  for (let i = 0; i < items.length; i++) out += (i ? ', ' : '') + orderSql(items[i], ctx)
  return out
}

function outputName(sel: SelectionNode): string {
  return sel.group === undefined ? sel.alias : sel.group + '.' + sel.alias
}

function selectionSql(sel: SelectionNode, ctx: Ctx): string {
  const expr = render(sel.expr, ctx)
  const name = outputName(sel)
  return sel.expr.kind === 'column' && sel.expr.meta.name === name ? expr : expr + ' AS ' + ctx.d.quote(name)
}

function withSql(ctes: readonly CteNode[], ctx: Ctx): string {
  if (ctes.length === 0) return ''
  let out = ctes.some((c) => c.recursive) ? 'WITH RECURSIVE ' : 'WITH '
  for (let i = 0; i < ctes.length; i++) {
    const cte = ctes[i]
    const outputs = cte.query.kind === 'select' ? cte.query.selection : firstSelect(cte.query).selection
    const cols = cte.recursive ? '(' + outputs.map((o) => ctx.d.quote(outputName(o))).join(', ') + ')' : ''
    out += (i ? ', ' : '') + ctx.d.quote(cte.name) + cols + ' AS (' + queryBody(cte.query, ctx) + ')'
  }
  return out + ' '
}

function firstSelect(node: SelectNode | CompoundNode): SelectNode {
  return node.kind === 'select' ? node : firstSelect(node.left)
}

function limitSql(node: { limit?: Node; offset?: Node }, ctx: Ctx): string {
  if (!node.limit && !node.offset) return ''
  return ctx.d.limitOffset(node.limit && render(node.limit, ctx), node.offset && render(node.offset, ctx))
}

/** Rendered selection lists of long-lived selections (a whole table's columns) per dialect. */
const selectionCache = new WeakMap<readonly SelectionNode[], Map<Dialect, string>>()

function selectionListSql(selection: readonly SelectionNode[], ctx: Ctx): string {
  let perDialect = selectionCache.get(selection)
  const hit = perDialect?.get(ctx.d)
  if (hit !== undefined) return hit
  const bound = ctx.params.length
  let out = ''
  for (let i = 0; i < selection.length; i++) out += (i ? ', ' : '') + selectionSql(selection[i], ctx)
  // Text that bound parameters (a computed field's literals) holds placeholder numbers: never reused.
  if (ctx.params.length === bound && isLongLived(selection)) {
    if (!perDialect) selectionCache.set(selection, (perDialect = new Map()))
    perDialect.set(ctx.d, out)
  }
  return out
}

function selectSql(node: SelectNode, ctx: Ctx): string {
  let out = withSql(node.ctes, ctx) + (node.distinct ? 'SELECT DISTINCT ' : 'SELECT ') + selectionListSql(node.selection, ctx)
  if (node.from) out += ' FROM ' + fromSql(node.from, ctx)
  for (let i = 0; i < node.joins.length; i++) {
    const join = node.joins[i]
    if (join.type === 'full' && !ctx.d.capabilities.fullJoin) {
      throw new CompileError(`${ctx.d.name} has no FULL JOIN (joining ${join.from.kind === 'table' ? join.from.meta.name : join.from.alias}); use a UNION of LEFT and RIGHT joins`)
    }
    out += ' ' + join.type.toUpperCase() + ' JOIN ' + fromSql(join.from, ctx)
    if (join.on) out += ' ON ' + render(join.on, ctx)
  }
  if (node.where) out += ' WHERE ' + render(node.where, ctx)
  if (node.groupBy.length) out += ' GROUP BY ' + list(node.groupBy, ctx)
  if (node.having) out += ' HAVING ' + render(node.having, ctx)
  if (node.orderBy.length) out += ' ORDER BY ' + orderList(node.orderBy, ctx)
  out += limitSql(node, ctx)
  if (node.lock && ctx.d.capabilities.locking) {
    out += node.lock.strength === 'update' ? ' FOR UPDATE' : ' ' + (ctx.d.shareLock ?? 'FOR SHARE')
    if (node.lock.skipLocked) out += ' SKIP LOCKED'
    else if (node.lock.noWait) out += ' NOWAIT'
  }
  return out
}

function setOperand(node: SelectNode | CompoundNode, ctx: Ctx, isRight: boolean): string {
  const body = queryBody(node, ctx)
  if (ctx.d.capabilities.parenthesizedSetOps) return '(' + body + ')'
  const plain = node.kind === 'select' ? !node.orderBy.length && !node.limit && !node.offset && !node.ctes.length : !isRight && !node.orderBy.length && !node.limit && !node.offset
  return plain ? body : 'SELECT * FROM (' + body + ')'
}

function compoundSql(node: CompoundNode, ctx: Ctx): string {
  let out = withSql(node.ctes, ctx) + setOperand(node.left, ctx, false) + ' ' + node.op.toUpperCase() + ' ' + setOperand(node.right, ctx, true)
  if (node.orderBy.length) out += ' ORDER BY ' + orderList(node.orderBy, ctx)
  return out + limitSql(node, ctx)
}

function queryBody(node: SelectNode | CompoundNode, ctx: Ctx): string {
  return node.kind === 'select' ? selectSql(node, ctx) : compoundSql(node, ctx)
}

function returningSql(node: { returning: readonly SelectionNode[] }, ctx: Ctx, what: string): string {
  if (node.returning.length === 0) return ''
  if (!ctx.d.capabilities.returning) throw new CompileError(`${ctx.d.name} cannot return rows from ${what}; select them afterwards`)
  return ' RETURNING ' + selectionListSql(node.returning, ctx)
}

function isDefault(node: Node): boolean {
  return node.kind === 'raw' && node.args.length === 0 && node.parts.length === 1 && node.parts[0] === 'DEFAULT'
}

function valueRowSql(row: readonly unknown[], columns: readonly ColumnNode[], ctx: Ctx): string {
  let out = '('
  for (let i = 0; i < row.length; i++) {
    const cell = row[i]
    if (typeof cell !== 'object' || cell === null || !isNode(cell)) {
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
  for (let i = 0; i < rows.length; i++) out += (i ? ', ' : '') + valueRowSql(rows[i], columns, ctx)
  return out
}

/** The encode function of each column for non-null values (`undefined`: values pass through). */
function encodersOf(columns: readonly ColumnNode[], d: Dialect): (((value: unknown) => unknown) | undefined)[] {
  return columns.map((c) => (d.encoder ? d.encoder(c.meta) : (value: unknown) => d.encode(value, c.meta)))
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

function insertSql(node: InsertNode, ctx: Ctx): string {
  const table = node.table.meta
  let out = withSql(node.ctes, ctx) + 'INSERT INTO ' + ctx.d.quote(table.name)
  if (node.columns.length) {
    out += ' ('
    for (let i = 0; i < node.columns.length; i++) out += (i ? ', ' : '') + ctx.d.quote(node.columns[i].meta.name)
    out += ')'
  }
  if (Array.isArray(node.values)) {
    if (node.columns.length === 0) out += ctx.d.capabilities.defaultInValues && ctx.d.capabilities.upsertStyle === 'on duplicate key' ? ' () VALUES ()' : ' DEFAULT VALUES'
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
    return ' ON DUPLICATE KEY UPDATE ' + setOrder(conflict.set, node.table, ctx).map((a) => assignmentSql(a, ctx)).join(', ')
  }
  let out = ' ON CONFLICT'
  if (conflict.target.length) out += ' (' + conflict.target.map(unqualified).join(', ') + ')'
  else if (conflict.set) throw new CompileError(`an upsert on ${node.table.meta.name} needs a conflict target (the unique columns) on ${ctx.d.name}`)
  if (!conflict.set) return out + ' DO NOTHING'
  out += ' DO UPDATE SET ' + setOrder(conflict.set, node.table, ctx).map((a) => assignmentSql(a, ctx)).join(', ')
  if (conflict.where) out += ' WHERE ' + render(conflict.where, ctx)
  return out
}

function updateSql(node: UpdateNode, ctx: Ctx): string {
  if (node.set.length === 0) throw new CompileError(`update ${node.table.meta.key}: set() names no column`)
  let out = withSql(node.ctes, ctx) + 'UPDATE ' + fromSql(node.table, ctx) + ' SET '
  const set = setOrder(node.set, node.table, ctx)
  for (let i = 0; i < set.length; i++) out += (i ? ', ' : '') + assignmentSql(set[i], ctx)
  if (node.from) out += ' FROM ' + render(node.from, ctx)
  if (node.where) out += ' WHERE ' + render(node.where, ctx)
  return out + returningSql(node, ctx, 'an update')
}

/** Rows given as data in FROM: the dialect's row source, its arrays bound, named `alias (columns)`. */
function rowsSourceSql(node: RowsNode, ctx: Ctx): string {
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
function setOrder(set: readonly AssignmentNode[], table: TableNode, ctx: Ctx): readonly AssignmentNode[] {
  return ctx.d.capabilities.sequentialSet ? sequentialOrder(set, table.alias ?? table.meta.name, ctx.d.name) : set
}

/** `col = value`; `CURRENT_TIMESTAMP` into a timestamp column is written in that column's storage form. */
function assignmentSql(node: AssignmentNode, ctx: Ctx): string {
  const v = node.value
  const column = node.column.meta
  const now = column.type === 'timestamp' && v.kind === 'raw' && v.args.length === 0 && v.parts[0].trim().toUpperCase() === 'CURRENT_TIMESTAMP'
  return ctx.d.quote(column.name) + ' = ' + (now ? ctx.d.ddl.currentTimestamp(column) : render(v, ctx))
}

function deleteSql(node: DeleteNode, ctx: Ctx): string {
  let out = withSql(node.ctes, ctx) + 'DELETE FROM ' + fromSql(node.table, ctx)
  if (node.where) out += ' WHERE ' + render(node.where, ctx)
  return out + returningSql(node, ctx, 'a delete')
}

function funcName(name: string, ctx: Ctx): string {
  return ctx.d.functions?.[name] ?? name
}

const renderers: Renderers = {
  column: (node, ctx) => columnSql(node, ctx),
  value: (node, ctx) => bind(ctx, node.value, node.type),
  param: (node, ctx) => {
    ctx.params.push(undefined)
    ;(ctx.slots ??= []).push({ index: ctx.params.length - 1, name: node.name, type: node.type })
    return ctx.d.placeholder(ctx.params.length)
  },
  raw: (node, ctx) => {
    let out = node.parts[0]
    for (let i = 0; i < node.args.length; i++) out += render(node.args[i], ctx) + node.parts[i + 1]
    return out
  },
  identifier: (node, ctx) => node.names.map((n) => ctx.d.quote(n)).join('.'),
  binary: (node, ctx) => {
    if (node.op === 'is distinct from' || node.op === 'is not distinct from') {
      return ctx.d.distinctFrom(render(node.left, ctx), render(node.right, ctx), node.op === 'is not distinct from')
    }
    if (node.op === '/') {
      const double = ctx.d.castType?.(DOUBLE) ?? ctx.d.columnType(DOUBLE)
      return '(CAST(' + render(node.left, ctx) + ' AS ' + double + ') / NULLIF(' + render(node.right, ctx) + ', 0))'
    }
    const sql = render(node.left, ctx) + ' ' + node.op + ' ' + render(node.right, ctx)
    return COMPARISON.has(node.op) ? sql : '(' + sql + ')'
  },
  logical: (node, ctx) => (node.items.length === 0 ? (node.op === 'and' ? '1 = 1' : '1 = 0') : '(' + list(node.items, ctx, node.op === 'and' ? ' AND ' : ' OR ') + ')'),
  not: (node, ctx) => 'NOT (' + render(node.expr, ctx) + ')',
  isNull: (node, ctx) => render(node.expr, ctx) + (node.negated ? ' IS NOT NULL' : ' IS NULL'),
  like: (node, ctx) => ctx.d.like(render(node.expr, ctx), render(node.pattern, ctx), node.caseInsensitive, node.negated),
  in: (node, ctx) => {
    if (Array.isArray(node.list)) {
      if (node.list.length === 0) return node.negated ? '1 = 1' : '1 = 0'
      return render(node.expr, ctx) + (node.negated ? ' NOT IN (' : ' IN (') + list(node.list as readonly Node[], ctx) + ')'
    }
    return render(node.expr, ctx) + (node.negated ? ' NOT IN (' : ' IN (') + queryBody(node.list as SelectNode | CompoundNode, ctx) + ')'
  },
  between: (node, ctx) => render(node.expr, ctx) + (node.negated ? ' NOT BETWEEN ' : ' BETWEEN ') + render(node.low, ctx) + ' AND ' + render(node.high, ctx),
  func: (node, ctx) => {
    const name = funcName(node.name, ctx)
    if (node.star) return name + '(*)'
    if (node.name === 'now' && node.args.length === 0) return name
    return name + '(' + (node.distinct ? 'DISTINCT ' : '') + list(node.args, ctx) + ')'
  },
  window: (node, ctx) => {
    let spec = ''
    if (node.partitionBy.length) spec += 'PARTITION BY ' + list(node.partitionBy, ctx)
    if (node.orderBy.length) spec += (spec ? ' ' : '') + 'ORDER BY ' + orderList(node.orderBy, ctx)
    return render(node.fn, ctx) + ' OVER (' + spec + ')'
  },
  case: (node, ctx) => {
    let out = 'CASE'
    for (let i = 0; i < node.whens.length; i++) out += ' WHEN ' + render(node.whens[i].when, ctx) + ' THEN ' + render(node.whens[i].then, ctx)
    if (node.else) out += ' ELSE ' + render(node.else, ctx)
    return out + ' END'
  },
  cast: (node, ctx) => 'CAST(' + render(node.expr, ctx) + ' AS ' + (ctx.d.castType?.(node.type) ?? ctx.d.columnType(node.type)) + ')',
  concat: (node, ctx) => ctx.d.concat(node.items.map((item) => render(item, ctx))),
  jsonPath: (node, ctx) => ctx.d.jsonPath(render(node.expr, ctx), node.path, node.asText),
  exists: (node, ctx) => (node.negated ? 'NOT EXISTS (' : 'EXISTS (') + queryBody(node.query, ctx) + ')',
  subquery: (node, ctx) => '(' + queryBody(node.query, ctx) + ')',
  order: (node, ctx) => orderSql(node, ctx),
  table: (node, ctx) => fromSql(node, ctx),
  derived: (node, ctx) => fromSql(node, ctx),
  join: (node, ctx) => node.type.toUpperCase() + ' JOIN ' + fromSql(node.from, ctx) + (node.on ? ' ON ' + render(node.on, ctx) : ''),
  selection: (node, ctx) => selectionSql(node, ctx),
  cte: (node, ctx) => withSql([node], ctx),
  select: (node, ctx) => selectSql(node, ctx),
  compound: (node, ctx) => compoundSql(node, ctx),
  onConflict: () => {
    throw new CompileError('ON CONFLICT renders only inside an insert')
  },
  assignment: (node, ctx) => assignmentSql(node, ctx),
  excluded: (node, ctx) => ctx.d.excluded(ctx.d.quote(node.column.meta.name)),
  insert: (node, ctx) => insertSql(node, ctx),
  update: (node, ctx) => updateSql(node, ctx),
  rows: (node, ctx) => rowsSourceSql(node, ctx),
  delete: (node, ctx) => deleteSql(node, ctx),
}

const fieldsCache = new WeakMap<readonly SelectionNode[], readonly ResultField[]>()

function fieldsOf(selection: readonly SelectionNode[]): readonly ResultField[] {
  const cacheable = isLongLived(selection)
  let fields = cacheable ? fieldsCache.get(selection) : undefined
  if (!fields) {
    fields = selection.map((s) => ({ key: s.alias, group: s.group, type: s.type }))
    if (cacheable) fieldsCache.set(selection, fields)
  }
  return fields
}

function resultShape(node: StatementNode): ResultShape | undefined {
  const selection =
    node.kind === 'select' ? node.selection
    : node.kind === 'compound' ? firstSelect(node).selection
    : node.kind === 'raw' ? undefined
    : node.returning.length ? node.returning
    : undefined
  if (!selection) return undefined
  const first = node.kind === 'compound' ? firstSelect(node) : node.kind === 'select' ? node : undefined
  const nullableGroups = first?.nullableGroups ?? NO_GROUPS
  const single = first?.single
  if (nullableGroups.length === 0 && !single) {
    // A whole table's rows: one shape object per table, so the engine finds its row builder at once.
    let shape = shapeCache.get(selection)
    if (!shape && isLongLived(selection)) shapeCache.set(selection, (shape = Object.freeze({ fields: fieldsOf(selection), nullableGroups, stable: true })))
    if (shape) return shape
  }
  return { fields: fieldsOf(selection), nullableGroups, single }
}

const NO_GROUPS: readonly string[] = Object.freeze([])
const shapeCache = new WeakMap<readonly SelectionNode[], ResultShape>()

function emulation(node: StatementNode, d: Dialect): CompiledQuery['emulateReturning'] {
  if (node.kind === 'insert' && node.returning.length && !d.capabilities.returning) {
    const meta = node.table.meta
    const pk = meta.primaryKey.length === 1 ? meta.columns[meta.primaryKey[0]] : undefined
    if (!pk?.autoIncrement) {
      throw new CompileError(`${d.name} cannot return rows from an insert into ${meta.name}: emulation needs a single auto-increment primary key`)
    }
    if (node.onConflict) throw new CompileError(`${d.name} cannot return rows from an upsert into ${meta.name}`)
    const ctx = context(d)
    const cols = node.returning.map((s) => selectionSql(s, ctx)).join(', ')
    // Expressions in the selection (computed fields) bind their own parameters, ahead of the id range.
    const n = ctx.params.length
    const pkSql = d.quote(meta.name) + '.' + d.quote(pk.name)
    const selectSql = 'SELECT ' + cols + ' FROM ' + d.quote(meta.name) + ' WHERE ' + pkSql + ' >= ' + d.placeholder(n + 1) + ' AND ' + pkSql + ' < ' + d.placeholder(n + 2) + ' ORDER BY ' + pkSql
    return { table: meta.name, primaryKey: pk.name, rowCount: Array.isArray(node.values) ? node.values.length : -1, selectSql, selectParams: ctx.params }
  }
  return undefined
}

function context(d: Dialect): Ctx {
  return { d, params: [], slots: undefined }
}

/**
 * Renders any node. Every kind passes here, so `kind` is read once (each read is a megamorphic
 * load) and the hottest kinds are called directly, where V8 can inline them; the rest go through
 * the table.
 */
function render(node: Node, ctx: Ctx): string {
  const kind = node.kind
  if (kind === 'column') return columnSql(node as ColumnNode, ctx)
  if (kind === 'value') return bind(ctx, (node as ValueNode).value, (node as ValueNode).type)
  if (kind === 'binary') return renderers.binary(node as BinaryNode, ctx)
  if (kind === 'logical') return renderers.logical(node as LogicalNode, ctx)
  if (kind === 'func') return renderers.func(node as FuncNode, ctx)
  return (renderers[kind] as (n: Node, c: Ctx) => string)(node, ctx)
}

/**
 * Compile a statement for a dialect, without a connection. The same statement always gives the
 * same text. (Results are not cached here: short-lived keys in a WeakMap cost more in GC than the
 * compile; `prepare()` and the engine cache what is reused.)
 * @example compile(select(users).where(eq(users.id, 1)), 'postgres') // { sql: 'SELECT … WHERE "users"."id" = $1', params: [1] }
 */
export function compile(query: Executable | StatementNode, dialect: DialectName | Dialect): CompiledQuery {
  const node = statementOf(query)
  const d = typeof dialect === 'string' ? getDialect(dialect) : dialect
  const ctx = context(d)
  const sql = render(node, ctx)
  return {
    sql,
    params: ctx.params,
    result: resultShape(node),
    paramSlots: ctx.slots,
    emulateReturning: node.kind === 'insert' ? emulation(node, d) : undefined,
  }
}
