/**
 * SQLite's renderings of portable functions: integer division casts the quotient (SQLite's `/`
 * truncates integers already, but divides reals); round, abs, ceil and floor of a numeric are
 * exact through the connection's decimal functions (`functions.ts`), giving sortable keys.
 */
import type { FuncNode } from '../../ast/nodes.js'
import type { CallRenderer, Dialect } from '../dialect.js'
import { dateCall } from '../shared-dates.js'

/**
 * `strftime` formats giving the start of each unit in the argument's stored text form (a date
 * `'YYYY-MM-DD'`; a timestamp `'YYYY-MM-DD HH:MM:SS'`, with `.000` where the column is stored in
 * milliseconds), and the modifiers that step back to it (the quarter's first month, Monday).
 */
function truncSql(node: FuncNode, r: CallRenderer): string {
  const { part, arg, type } = dateCall(node)
  const x = () => r.node(arg)
  const time = type.type === 'date' ? '' : type.stored === 'milliseconds' ? ' %H:%M:%S.000' : ' %H:%M:%S'
  const zero = (from: string) => time.replace(from, from.replace(/%\w/g, '00'))
  const day = '%Y-%m-%d' + zero('%H:%M:%S')
  const format = (f: string, ...modifiers: string[]) => `strftime('${f}', ${x()}${modifiers.map((m) => ', ' + m).join('')})`
  switch (part) {
    case 'year': return format('%Y-01-01' + zero('%H:%M:%S'))
    case 'quarter': return format('%Y-%m-01' + zero('%H:%M:%S'), "'start of month'", `'-' || ((CAST(strftime('%m', ${x()}) AS INTEGER) - 1) % 3) || ' months'`)
    case 'month': return format('%Y-%m-01' + zero('%H:%M:%S'))
    case 'week': return format(day, `'-' || ((CAST(strftime('%w', ${x()}) AS INTEGER) + 6) % 7) || ' days'`)
    case 'day': return format(day)
    case 'hour': return format('%Y-%m-%d' + zero('%M:%S'))
    default: return format('%Y-%m-%d' + zero('%S'))
  }
}

/** The modifier unit of each dateAdd unit, and how many of it one unit is. */
const STEP: Readonly<Record<string, readonly [string, number]>> = {
  year: ['years', 1], quarter: ['months', 3], month: ['months', 1], week: ['days', 7], day: ['days', 1], hour: ['hours', 1], minute: ['minutes', 1], second: ['seconds', 1],
}

/**
 * `strftime` with an `'n units'` modifier, in the stored form: `'floor'` lands an overflowing month
 * on its last day (as PostgreSQL and MySQL do); whole seconds drop `.000` unless the column keeps it.
 */
function addSql(node: FuncNode, r: CallRenderer): string {
  const { part, arg, type } = dateCall(node)
  const [unit, per] = STEP[part]!
  const x = r.node(arg)
  const n = r.node(node.args[2]!)
  const modifier = '(' + (per === 1 ? n : per + ' * ' + n) + ") || ' " + unit + "'" + (unit === 'months' || unit === 'years' ? ", 'floor'" : '')
  if (type.type === 'date') return `strftime('%Y-%m-%d', ${x}, ${modifier})`
  const full = `strftime('%Y-%m-%d %H:%M:%f', ${x}, ${modifier})`
  return type.stored === 'milliseconds' ? full : `replace(${full}, '.000', '')`
}

/** Each field from `strftime` (`%w`: Sunday = 0; `%f`: seconds with milliseconds); the epoch from `unixepoch(…, 'subsec')`. */
function extractSql(node: FuncNode, r: CallRenderer): string {
  const { part, arg } = dateCall(node)
  const x = r.node(arg)
  const field = (f: string) => `CAST(strftime('${f}', ${x}) AS INTEGER)`
  switch (part) {
    case 'year': return field('%Y')
    case 'quarter': return `((${field('%m')} + 2) / 3)`
    case 'month': return field('%m')
    case 'day': return field('%d')
    case 'hour': return field('%H')
    case 'minute': return field('%M')
    case 'second': return `CAST(strftime('%f', ${x}) AS REAL)`
    case 'dow': return field('%w')
    default: return `unixepoch(${x}, 'subsec')`
  }
}

/** `quarry_numeric_<name>(args)` over a numeric argument, the standard call otherwise. */
function exact(name: string) {
  return (node: FuncNode, r: CallRenderer) =>
    node.type?.type === 'numeric' ? 'quarry_numeric_' + name + '(' + node.args.map((a) => r.node(a)).join(', ') + ')' : r.standard(node)
}

/** An aggregate's FILTER clause, which SQLite has. */
function filterOf(node: FuncNode, r: CallRenderer): string {
  return node.filter === undefined ? '' : ' FILTER (WHERE ' + r.node(node.filter) + ')'
}

/**
 * json_group_array/json_group_object give '[]'/'{}' over no rows (counted under the same filter;
 * json_group_object skips NULL keys, so it counts keys); PostgreSQL gives NULL.
 */
function nullOverNoRows(node: FuncNode, r: CallRenderer): string {
  const counted = node.name === 'json_object_agg' ? 'count(' + r.node(node.args[0]!) + ')' : 'count(*)'
  return 'CASE WHEN ' + counted + filterOf(node, r) + ' = 0 THEN NULL ELSE ' + r.standard(node) + ' END'
}

/** SQLite's own renderings of portable functions. */
export const calls: NonNullable<Dialect['calls']> = {
  round: exact('round'),
  abs: exact('abs'),
  ceil: exact('ceil'),
  floor: exact('floor'),
  int_div: (node, r) => 'CAST(' + r.node(node.args[0]) + ' / NULLIF(' + r.node(node.args[1]) + ', 0) AS INTEGER)',
  date_trunc: truncSql,
  date_add: addSql,
  extract: extractSql,
  // string_agg takes no DISTINCT with a separator here: the separator rides on each value, after a NUL.
  string_agg: (node, r) => {
    if (!node.distinct) return r.standard(node)
    const order = node.orderBy?.length ? ' ORDER BY ' + r.orders(node.orderBy) : ''
    return 'quarry_string_agg(DISTINCT ' + r.node(node.args[0]) + ' || char(0) || ' + r.node(node.args[1]) + order + ')' + filterOf(node, r)
  },
  json_agg: nullOverNoRows,
  json_object_agg: nullOverNoRows,
}
