/**
 * Function calls, literals, row values and window frames: the standard rendering, with a dialect's
 * own rendering of a portable function (`Dialect.calls`) where it differs, and FILTER emulated
 * with CASE where the dialect lacks it.
 */
import type { FrameBound, FrameSpec, FuncNode, LiteralNode, Node, OrderNode } from '../ast/nodes.js'
import type { CallRenderer, Dialect } from '../dialects/dialect.js'
import { node } from '../ast/brand.js'
import { CompileError } from '../errors.js'
import { typeMeta } from '../expr/types.js'

/** Aggregates that keep NULL inputs (a CASE without ELSE would add NULLs instead of skipping rows). */
const KEEPS_NULLS: ReadonlySet<string> = new Set(['json_agg', 'json_object_agg'])

/** The standard `name(DISTINCT args ORDER BY …) FILTER (WHERE …)`, with the dialect's name for the function. */
export function standardCall(node: FuncNode, d: Dialect, r: Omit<CallRenderer, 'standard'>): string {
  const name = d.functions?.[node.name] ?? node.name
  const native = node.filter !== undefined && d.capabilities.aggregateFilter
  // The FILTER is rendered last: positional placeholders take their values in text order.
  const filter = () => (native ? ' FILTER (WHERE ' + r.node(node.filter!) + ')' : '')
  if (node.star && (!node.filter || native)) return name + '(*)' + filter()
  if (node.name === 'now' && node.args.length === 0) return name
  let args = node.args
  if (node.filter && !native) {
    if (KEEPS_NULLS.has(node.name)) throw new CompileError(`${d.name} has no aggregate FILTER and ${node.name} keeps NULLs, so it cannot be emulated; filter the rows in WHERE or a subquery`)
    const cond = node.filter
    const first = node.star ? ONE : args[0]
    args = [caseWhen(cond, first), ...args.slice(1)]
  }
  let out = name + '(' + (node.distinct ? 'DISTINCT ' : '')
  for (let i = 0; i < args.length; i++) out += (i ? ', ' : '') + r.node(args[i])
  if (node.orderBy?.length) out += ' ORDER BY ' + r.orders(node.orderBy)
  return out + ')' + filter()
}

const ONE: LiteralNode = node({ kind: 'literal', value: 1 })

function caseWhen(when: Node, then: Node): Node {
  return node({ kind: 'case', whens: Object.freeze([Object.freeze({ when, then })]) })
}

/**
 * Portable functions written the same way on every dialect as more than one call. `round_half_away`
 * rounds a double half away from zero in double arithmetic: y = |x| scaled so the rounding digit
 * is the units digit; `y - floor(y)` is exact, so a tie is seen exactly.
 */
const COMPOSED: Readonly<Record<string, (node: FuncNode, r: CallRenderer, d: Dialect) => string>> = {
  round_half_away: (node, r, d) => {
    const digits = (node.args[1] as LiteralNode).value as number
    const scale = 10 ** Math.abs(digits)
    const x = () => 'CAST(' + r.node(node.args[0]) + ' AS ' + (d.castType?.(DOUBLE) ?? d.columnType(DOUBLE)) + ')'
    const y = () => (digits >= 0 ? '(abs(' + x() + ') * ' + scale + ')' : '(abs(' + x() + ') / ' + scale + ')')
    const rounded = '(CASE WHEN ' + y() + ' - floor(' + y() + ') >= 0.5 THEN floor(' + y() + ') + 1 ELSE floor(' + y() + ') END)'
    return digits >= 0 ? '(sign(' + x() + ') * ' + rounded + ' / ' + scale + '.0)' : '(sign(' + x() + ') * ' + rounded + ' * ' + scale + ')'
  },
}

const DOUBLE = typeMeta('double')

/** A function call through the dialect's renderer when it has one, else the standard form. */
export function callSql(node: FuncNode, d: Dialect, render: (n: Node) => string, orders: (items: readonly OrderNode[]) => string): string {
  const own = d.calls?.[node.name]
  const base = { node: render, orders }
  const composed = COMPOSED[node.name]
  if (own === undefined && composed === undefined) return standardCall(node, d, base)
  const r = { ...base, standard: (n: FuncNode) => standardCall(n, d, base) }
  return own ? own(node, r) : composed(node, r, d)
}

/** A constant in the SQL text: strings through the dialect's literal, `NULL` cast to its type when it has one. */
export function literalSql(node: LiteralNode, d: Dialect): string {
  const v = node.value
  if (v === null) return node.type ? 'CAST(NULL AS ' + (d.castType?.(node.type) ?? d.columnType(node.type)) + ')' : 'NULL'
  if (typeof v === 'string') return (d.ddl.textLiteral ?? d.ddl.stringLiteral)(v)
  if (typeof v === 'boolean') return v ? 'TRUE' : 'FALSE'
  return String(v)
}

function boundSql(bound: FrameBound): string {
  switch (bound.kind) {
    case 'unboundedPreceding':
      return 'UNBOUNDED PRECEDING'
    case 'preceding':
      return bound.offset + ' PRECEDING'
    case 'currentRow':
      return 'CURRENT ROW'
    case 'following':
      return bound.offset + ' FOLLOWING'
    case 'unboundedFollowing':
      return 'UNBOUNDED FOLLOWING'
  }
}

/** `ROWS BETWEEN 2 PRECEDING AND CURRENT ROW`. */
export function frameSql(frame: FrameSpec): string {
  return frame.unit.toUpperCase() + ' BETWEEN ' + boundSql(frame.start) + ' AND ' + boundSql(frame.end)
}
