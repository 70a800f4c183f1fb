/**
 * The one compiler: renders any statement node to SQL text and parameters through a dialect's
 * hooks. Single pass, no regexes, no re-parsing; the visitor is a mapped type over node kinds.
 */
import { BRAND, withNode } from '../ast/brand.js'
import type {
  BinaryNode,
  ColumnNode,
  CompoundNode,
  CteNode,
  FromNode,
  FuncNode,
  LogicalNode,
  Node,
  NodeKind,
  NodeOf,
  OrderNode,
  SelectNode,
  SelectionNode,
  StatementNode,
  ValueNode,
} from '../ast/nodes.js'
import { statementOf, type Executable } from '../builder/executable.js'
import { describeValue } from '../expr/nodes.js'
import { getDialect } from '../dialects/index.js'
import type { Dialect, DialectName } from '../dialects/dialect.js'
import { CompileError } from '../errors.js'
import type { ColumnMeta } from '../schema/meta.js'
import { decodeTypeOf, typeMeta } from '../expr/types.js'
import type { CompiledQuery } from './compiled.js'
import { isLongLived } from '../builder/clauses.js'
import { deleteSql, insertSql, rowsSourceSql, updateSql, assignmentSql } from './mutations.js'
import { emulation, withoutReturning } from './emulate-returning.js'
import { firstSelect, resultShape } from './result-shape.js'
import { isJsonValue, jsonOperand } from './json.js'
import { isNumeric, keySql, numericBinary, numericCast, numericFunc } from './numeric.js'
import { isText, textOperands } from './text.js'
import { callSql, frameSql, literalSql } from './calls.js'

/** The state of one compile: the dialect, the parameters bound so far, the named placeholders. */
export interface Ctx {
  readonly d: Dialect
  readonly params: unknown[]
  slots: { index: number; name: string; type?: ColumnMeta; count?: 'limit' | 'offset' }[] | undefined
  /**
   * Expressions a SELECT uses again in GROUP BY or ORDER BY, with their text once rendered: where
   * placeholders are numbered, the second use repeats it (`$1`, not `$4`), so the database sees
   * the same expression (PostgreSQL refuses `CASE WHEN price < $4 …` as not grouped by `… < $1 …`).
   */
  shared?: Map<Node, string | undefined>
}

type Renderers = { readonly [K in NodeKind]: (node: NodeOf<K>, ctx: Ctx) => string }

const COMPARISON = new Set(['=', '<>', '<', '<=', '>', '>='])
const DOUBLE = typeMeta('double')
const TEXT_TYPES: ReadonlySet<string> = new Set(['text', 'varchar', 'char'])

function list(nodes: readonly Node[], ctx: Ctx, sep = ', '): string {
  let out = ''
  for (let i = 0; i < nodes.length; i++) out += (i ? sep : '') + render(nodes[i], ctx)
  return out
}

/**
 * From this many values on, an IN list is one array parameter where the dialect binds arrays: a
 * list of any length then has one text (one prepared statement) and stays under the parameter limit.
 */
const ARRAY_IN_MIN = 100

/** `expr = ANY($n::type[])` for a long list of plain values, where the dialect can; `undefined` otherwise. */
function arrayIn(expr: string, items: readonly Node[], negated: boolean, ctx: Ctx): string | undefined {
  const hook = ctx.d.inArray
  if (hook === undefined || items.length < ARRAY_IN_MIN) return undefined
  const type = (items[0] as ValueNode).type
  for (let i = 0; i < items.length; i++) {
    const item = items[i] as ValueNode
    if (item.kind !== 'value' || item.type !== type) return undefined
  }
  const sql = hook(expr, ctx.d.placeholder(ctx.params.length + 1), type, negated)
  if (sql === undefined) return undefined
  ctx.params.push(items.map((item) => {
    const value = (item as ValueNode).value
    return value === null || value === undefined ? null : ctx.d.encode(value, type)
  }))
  return sql
}

/** A value node in an expression: bound, and typed where the dialect would guess another type. */
function valueSql(node: ValueNode, ctx: Ctx): string {
  const placeholder = bind(ctx, node.value, node.type)
  const type = node.type
  if (type === undefined || ctx.d.typedParam === undefined || node.value === null || node.value === undefined) return placeholder
  return ctx.d.typedParam(placeholder, type, node.value) ?? placeholder
}

/** Binds a value (encoded for the column type it meets) and returns its placeholder. */
export function bind(ctx: Ctx, value: unknown, type?: ColumnMeta): string {
  ctx.params.push(ctx.d.encode(value, type))
  return ctx.d.placeholder(ctx.params.length)
}

function columnSql(node: ColumnNode, ctx: Ctx): string {
  return ctx.d.quote(node.qualifier) + '.' + ctx.d.quote(node.meta.name)
}

/** A FROM item: a table (with its alias), a CTE reference or a subquery. */
export function fromSql(node: FromNode, ctx: Ctx): string {
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
  const numeric = ctx.d.numeric !== undefined && isNumeric(node.expr) ? ctx.d.numeric : undefined
  const expr = numeric ? keySql(node.expr, ctx, numeric) : jsonOperand(node.expr, node.expr, ctx)
  const dir = node.direction === 'asc' ? ' ASC' : ' DESC'
  if (wanted === natural || neverNull(node.expr)) return expr + dir
  if (caps.nullsOrdering) return expr + dir + (wanted === 'first' ? ' NULLS FIRST' : ' NULLS LAST')
  // No NULLS FIRST/LAST: sort on "is null" first (the expression is rendered twice, parameters too).
  return (numeric ? keySql(node.expr, ctx, numeric) : jsonOperand(node.expr, node.expr, ctx)) + (wanted === 'first' ? ' IS NULL DESC, ' : ' IS NULL ASC, ') + expr + dir
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

/** One selected output: `expr AS "name"` (the name left out where the column has it already). */
export function selectionSql(sel: SelectionNode, ctx: Ctx): string {
  const expr = render(sel.expr, ctx)
  const name = outputName(sel)
  return sel.expr.kind === 'column' && sel.expr.meta.name === name ? expr : expr + ' AS ' + ctx.d.quote(name)
}

/** The WITH clause of `ctes` (empty without any), trailing space included. */
export function withSql(ctes: readonly CteNode[], ctx: Ctx): string {
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

function limitSql(node: { limit?: Node; offset?: Node }, ctx: Ctx): string {
  if (!node.limit && !node.offset) return ''
  return ctx.d.limitOffset(node.limit && render(node.limit, ctx), node.offset && render(node.offset, ctx))
}

/** Rendered selection lists of long-lived selections (a whole table's columns) per dialect. */
const selectionCache = new WeakMap<readonly SelectionNode[], Map<Dialect, string>>()

export function selectionListSql(selection: readonly SelectionNode[], ctx: Ctx): string {
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

/** A LIKE pattern whose backslashes match themselves under an ESCAPE of backslash: a bound text doubled, an expression through REPLACE. */
function literalBackslashes(pattern: Node, ctx: Ctx): string {
  if (pattern.kind === 'value') {
    const value = (pattern as ValueNode).value
    return typeof value === 'string' && value.includes('\\') ? valueSql({ ...(pattern as ValueNode), value: value.replaceAll('\\', '\\\\') }, ctx) : render(pattern, ctx)
  }
  const slash = ctx.d.ddl.stringLiteral('\\')
  return 'REPLACE(' + render(pattern, ctx) + ', ' + slash + ', ' + ctx.d.ddl.stringLiteral('\\\\') + ')'
}

/** Marks the selected expressions that GROUP BY or ORDER BY use again, where placeholders are numbered. */
function shareRepeated(node: SelectNode, ctx: Ctx): void {
  if (!node.groupBy.length && !node.orderBy.length) return
  for (const selection of node.selection) {
    const expr = selection.expr
    // Columns (most selections) and values render the same wherever they are: nothing to share.
    if (expr.kind === 'column' || expr.kind === 'value') continue
    if (!node.groupBy.includes(expr) && !node.orderBy.some((order) => order.expr === expr)) continue
    if (ctx.d.placeholder(1) === ctx.d.placeholder(2)) return
    ctx.shared ??= new Map()
    if (!ctx.shared.has(expr)) ctx.shared.set(expr, undefined)
  }
}

function selectSql(node: SelectNode, ctx: Ctx): string {
  shareRepeated(node, ctx)
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

function compoundSql(compound: CompoundNode, ctx: Ctx): string {
  const node = hoistCtes(compound)
  let out = withSql(node.ctes, ctx) + setOperand(node.left, ctx, false) + ' ' + node.op.toUpperCase() + ' ' + setOperand(node.right, ctx, true)
  if (node.orderBy.length) out += ' ORDER BY ' + orderList(node.orderBy, ctx)
  return out + limitSql(node, ctx)
}

const NO_CTES: readonly CteNode[] = Object.freeze([])

/**
 * The compound with every CTE its operands read moved up into its own WITH: a WITH inside a set
 * operand is refused by MariaDB (and wrapped in a subquery on SQLite); one WITH at the top means
 * the same everywhere. Two different CTEs of one name are a `CompileError`.
 */
function hoistCtes(node: CompoundNode): CompoundNode {
  if (!hasOperandCtes(node.left) && !hasOperandCtes(node.right)) return node
  const ctes: CteNode[] = [...node.ctes]
  const add = (more: readonly CteNode[]) => {
    for (const cte of more) {
      const same = ctes.find((c) => c.name === cte.name)
      if (!same) ctes.push(cte)
      else if (same !== cte && (same.query !== cte.query || same.recursive !== cte.recursive)) {
        throw new CompileError(`two different CTEs are named ${cte.name} in one set operation; rename one`)
      }
    }
  }
  const strip = (operand: SelectNode | CompoundNode): SelectNode | CompoundNode => {
    add(operand.ctes)
    if (operand.kind === 'select') return operand.ctes.length ? withNode(operand, { ctes: NO_CTES }) : operand
    return withNode(operand, { ctes: NO_CTES, left: strip(operand.left), right: strip(operand.right) })
  }
  const left = strip(node.left)
  const right = strip(node.right)
  return withNode(node, { ctes: Object.freeze(ctes), left, right })
}

function hasOperandCtes(node: SelectNode | CompoundNode): boolean {
  return node.ctes.length > 0 || (node.kind === 'compound' && (hasOperandCtes(node.left) || hasOperandCtes(node.right)))
}

/** A SELECT or a compound query, without parentheses. */
export function queryBody(node: SelectNode | CompoundNode, ctx: Ctx): string {
  return node.kind === 'select' ? selectSql(node, ctx) : compoundSql(node, ctx)
}

const renderers: Renderers = {
  column: (node, ctx) => columnSql(node, ctx),
  value: (node, ctx) => valueSql(node, ctx),
  param: (node, ctx) => {
    ctx.params.push(undefined)
    ;(ctx.slots ??= []).push({ index: ctx.params.length - 1, name: node.name, type: node.type, count: node.count })
    const placeholder = ctx.d.placeholder(ctx.params.length)
    return (node.type && ctx.d.typedParam?.(placeholder, node.type, undefined)) ?? placeholder
  },
  raw: (node, ctx) => {
    let out = node.parts[0]
    for (let i = 0; i < node.args.length; i++) out += render(node.args[i], ctx) + node.parts[i + 1]
    return out
  },
  identifier: (node, ctx) => node.names.map((n) => ctx.d.quote(n)).join('.'),
  binary: (node, ctx) => {
    if (ctx.d.numeric !== undefined && (isNumeric(node.left) || isNumeric(node.right))) return numericBinary(node, ctx, ctx.d.numeric)
    if ((node.op === 'is distinct from' || node.op === 'is not distinct from') && ctx.d.textOperand && (isText(node.left) || isText(node.right))) {
      const [left, right] = textOperands(node.left, node.right, ctx, ctx.d.textOperand)
      return ctx.d.distinctFrom(left, right, node.op === 'is not distinct from')
    }
    if (node.op === 'is distinct from' || node.op === 'is not distinct from') {
      return ctx.d.distinctFrom(jsonOperand(node.left, node.right, ctx), jsonOperand(node.right, node.left, ctx), node.op === 'is not distinct from')
    }
    if (node.op === '/') {
      const double = ctx.d.castType?.(DOUBLE) ?? ctx.d.columnType(DOUBLE)
      return '(CAST(' + render(node.left, ctx) + ' AS ' + double + ') / NULLIF(' + render(node.right, ctx) + ', 0))'
    }
    if (COMPARISON.has(node.op) && (isJsonValue(node.left) || isJsonValue(node.right))) {
      return jsonOperand(node.left, node.right, ctx) + ' ' + node.op + ' ' + jsonOperand(node.right, node.left, ctx)
    }
    if (COMPARISON.has(node.op) && ctx.d.textOperand && (isText(node.left) || isText(node.right))) {
      const [left, right] = textOperands(node.left, node.right, ctx, ctx.d.textOperand)
      return left + ' ' + node.op + ' ' + right
    }
    const sql = render(node.left, ctx) + ' ' + node.op + ' ' + render(node.right, ctx)
    return COMPARISON.has(node.op) ? sql : '(' + sql + ')'
  },
  logical: (node, ctx) => (node.items.length === 0 ? (node.op === 'and' ? '1 = 1' : '1 = 0') : '(' + list(node.items, ctx, node.op === 'and' ? ' AND ' : ' OR ') + ')'),
  not: (node, ctx) => 'NOT (' + render(node.expr, ctx) + ')',
  isNull: (node, ctx) => render(node.expr, ctx) + (node.negated ? ' IS NOT NULL' : ' IS NULL'),
  like: (node, ctx) => {
    // No escape character unless one is given: a backslash escapes by default on PostgreSQL and MySQL
    // but not on SQLite, so it is doubled under an explicit ESCAPE backslash everywhere.
    const expr = render(node.expr, ctx)
    const pattern = node.escape !== undefined ? render(node.pattern, ctx) : literalBackslashes(node.pattern, ctx)
    return ctx.d.like(expr, pattern, node.caseInsensitive, node.negated) + ' ESCAPE ' + ctx.d.ddl.stringLiteral(node.escape ?? '\\')
  },
  in: (node, ctx) => {
    if (Array.isArray(node.list)) {
      if (node.list.length === 0) return node.negated ? '1 = 1' : '1 = 0'
      const numeric = ctx.d.numeric
      if (numeric !== undefined && isNumeric(node.expr)) {
        const items = (node.list as readonly Node[]).map((item) => keySql(item, ctx, numeric))
        return keySql(node.expr, ctx, numeric) + (node.negated ? ' NOT IN (' : ' IN (') + items.join(', ') + ')'
      }
      if (isJsonValue(node.expr)) {
        const json = node.expr
        const items = (node.list as readonly Node[]).map((item) => jsonOperand(item, json, ctx))
        return jsonOperand(json, json, ctx) + (node.negated ? ' NOT IN (' : ' IN (') + items.join(', ') + ')'
      }
      const expr = render(node.expr, ctx)
      const text = ctx.d.textOperand
      if (text && isText(node.expr)) {
        const items = (node.list as readonly Node[]).map((item) => text(render(item, ctx)))
        return expr + (node.negated ? ' NOT IN (' : ' IN (') + items.join(', ') + ')'
      }
      return arrayIn(expr, node.list as readonly Node[], node.negated, ctx) ?? expr + (node.negated ? ' NOT IN (' : ' IN (') + list(node.list as readonly Node[], ctx) + ')'
    }
    return render(node.expr, ctx) + (node.negated ? ' NOT IN (' : ' IN (') + queryBody(node.list as SelectNode | CompoundNode, ctx) + ')'
  },
  between: (node, ctx) => {
    const numeric = ctx.d.numeric !== undefined && isNumeric(node.expr) ? ctx.d.numeric : undefined
    const side = (n: Node) => (numeric ? keySql(n, ctx, numeric) : jsonOperand(n, node.expr, ctx))
    return (numeric ? keySql(node.expr, ctx, numeric) : jsonOperand(node.expr, node.low, ctx)) + (node.negated ? ' NOT BETWEEN ' : ' BETWEEN ') + side(node.low) + ' AND ' + side(node.high)
  },
  func: (node, ctx) => {
    const numeric = ctx.d.numeric && numericFunc(node, ctx, ctx.d.numeric)
    if (numeric) return numeric
    return callSql(node, ctx.d, (n) => render(n, ctx), (items) => orderList(items, ctx))
  },
  literal: (node, ctx) => literalSql(node, ctx.d),
  tuple: (node, ctx) => '(' + list(node.items, ctx) + ')',
  window: (node, ctx) => {
    let spec = ''
    if (node.partitionBy.length) spec += 'PARTITION BY ' + list(node.partitionBy, ctx)
    if (node.orderBy.length) spec += (spec ? ' ' : '') + 'ORDER BY ' + orderList(node.orderBy, ctx)
    if (node.frame) spec += (spec ? ' ' : '') + frameSql(node.frame)
    return render(node.fn, ctx) + ' OVER (' + spec + ')'
  },
  case: (node, ctx) => {
    // Where parameters are typed by their context, a CASE of values only has none: cast them.
    const cast = ctx.d.capabilities.untypedParams && node.whens.every((w) => w.then.kind === 'value') && (node.else === undefined || node.else.kind === 'value')
    const result = (n: Node) => (cast && n.kind === 'value' && n.type !== undefined ? 'CAST(' + render(n, ctx) + ' AS ' + ctx.d.columnType(n.type) + ')' : render(n, ctx))
    let out = 'CASE'
    for (let i = 0; i < node.whens.length; i++) out += ' WHEN ' + render(node.whens[i].when, ctx) + ' THEN ' + result(node.whens[i].then)
    if (node.else) out += ' ELSE ' + result(node.else)
    return out + ' END'
  },
  cast: (node, ctx) => {
    const type = ctx.d.castType?.(node.type) ?? ctx.d.columnType(node.type)
    const numeric = ctx.d.numeric && numericCast(node.expr, node.type, ctx, ctx.d.numeric, type)
    if (numeric) return numeric
    let expr = render(node.expr, ctx)
    if (ctx.d.booleanText && TEXT_TYPES.has(node.type.type) && decodeTypeOf(node.expr)?.type === 'boolean') expr = ctx.d.booleanText(expr)
    return ctx.d.cast ? ctx.d.cast(expr, node.type, type) : 'CAST(' + expr + ' AS ' + type + ')'
  },
  concat: (node, ctx) => {
    const numeric = ctx.d.numeric
    return ctx.d.concat(node.items.map((item) => (numeric && isNumeric(item) ? numeric.text(render(item, ctx)) : render(item, ctx))))
  },
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

/** A fresh compile state for a dialect. */
export function context(d: Dialect): Ctx {
  return { d, params: [], slots: undefined }
}

/**
 * Renders any node. Every kind passes here, so `kind` is read once (each read is a megamorphic
 * load) and the hottest kinds are called directly, where V8 can inline them; the rest go through
 * the table.
 */
export function render(node: Node, ctx: Ctx): string {
  const kind = node.kind
  // Columns (quoted names) and values (bound) cannot carry SQL text whoever made them; every other
  // kind renders only when Quarry made it: an object that merely has its shape never does.
  if (kind === 'column') return columnSql(node as ColumnNode, ctx)
  if (kind === 'value') return valueSql(node as ValueNode, ctx)
  if ((node as { [BRAND]?: unknown })[BRAND] !== 'node') throw new CompileError(`expected a query node, got ${describeValue(node)} (only values built by Quarry render as SQL; data is bound)`)
  const shared = ctx.shared
  if (shared !== undefined && shared.has(node)) {
    const text = shared.get(node) ?? renderKind(node, ctx)
    shared.set(node, text)
    return text
  }
  return renderKind(node, ctx)
}

function renderKind(node: Node, ctx: Ctx): string {
  const kind = node.kind
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
  // An update whose RETURNING the engine emulates renders without it (the text compile shows).
  const sql = render(node.kind === 'update' ? withoutReturning(node, d) : node, ctx)
  return {
    sql,
    params: ctx.params,
    result: resultShape(node),
    paramSlots: ctx.slots,
    emulateReturning: node.kind === 'insert' || node.kind === 'update' ? emulation(node, d) : undefined,
  }
}
