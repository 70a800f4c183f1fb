/**
 * MySQL's renderings of portable functions: `DIV` truncates toward zero (its `/` does not); dates
 * truncate through DATE_FORMAT and interval arithmetic, and the weekday counts from Sunday = 0.
 */
import type { FuncNode } from '../../ast/nodes.js'
import type { CallRenderer, Dialect } from '../dialect.js'
import { dateCall } from '../shared-dates.js'
import { stringLiteral } from './ddl.js'

/** The start of each unit, from the rendered argument (given as a function: each use binds its parameters). */
const TRUNC: Readonly<Record<string, (x: () => string) => string>> = {
  year: (x) => `DATE_FORMAT(${x()}, '%Y-01-01')`,
  quarter: (x) => `MAKEDATE(YEAR(${x()}), 1) + INTERVAL (QUARTER(${x()}) - 1) QUARTER`,
  month: (x) => `DATE_FORMAT(${x()}, '%Y-%m-01')`,
  week: (x) => `DATE(${x()}) - INTERVAL WEEKDAY(${x()}) DAY`,
  day: (x) => `DATE(${x()})`,
  hour: (x) => `DATE_FORMAT(${x()}, '%Y-%m-%d %H:00:00')`,
  minute: (x) => `DATE_FORMAT(${x()}, '%Y-%m-%d %H:%i:00')`,
}

/** Each field; second and epoch divide exact microseconds by a double, so they round once. */
const EXTRACT: Readonly<Record<string, (x: () => string) => string>> = {
  year: (x) => `YEAR(${x()})`,
  quarter: (x) => `QUARTER(${x()})`,
  month: (x) => `MONTH(${x()})`,
  day: (x) => `DAYOFMONTH(${x()})`,
  hour: (x) => `HOUR(${x()})`,
  minute: (x) => `MINUTE(${x()})`,
  second: (x) => `((SECOND(${x()}) * 1000000 + MICROSECOND(${x()})) / 1e6)`,
  dow: (x) => `(DAYOFWEEK(${x()}) - 1)`,
  epoch: (x) => `(TIMESTAMPDIFF(MICROSECOND, '1970-01-01 00:00:00', ${x()}) / 1e6)`,
}

function dateSql(table: Readonly<Record<string, (x: () => string) => string>>, node: FuncNode, r: CallRenderer): string {
  const { part, arg } = dateCall(node)
  return table[part]!(() => r.node(arg))
}

/** MySQL's own renderings of portable functions. */
export const calls: NonNullable<Dialect['calls']> = {
  int_div: (node, r) => '(' + r.node(node.args[0]) + ' DIV NULLIF(' + r.node(node.args[1]) + ', 0))',
  date_trunc: (node, r) => 'CAST(' + dateSql(TRUNC, node, r) + (dateCall(node).type.type === 'date' ? ' AS DATE)' : ' AS DATETIME(3))'),
  extract: (node, r) => dateSql(EXTRACT, node, r),
  // DATE_ADD keeps a date a date, and lands an overflowing month on its last day, as PostgreSQL does.
  date_add: (node, r) => 'DATE_ADD(' + r.node(node.args[1]!) + ', INTERVAL ' + r.node(node.args[2]!) + ' ' + dateCall(node).part.toUpperCase() + ')',
  // The separator is a constant (MySQL takes no parameter there); the driver raises group_concat_max_len, so nothing is cut.
  // No FILTER: a filtered-out row gives NULL, which GROUP_CONCAT skips.
  string_agg: (node, r) => {
    const value = node.filter === undefined ? r.node(node.args[0]) : 'CASE WHEN ' + r.node(node.filter) + ' THEN ' + r.node(node.args[0]) + ' END'
    return 'GROUP_CONCAT(' + (node.distinct ? 'DISTINCT ' : '') + value + (node.orderBy?.length ? ' ORDER BY ' + r.orders(node.orderBy) : '') + ' SEPARATOR ' + separator(node, r) + ')'
  },
}

/** GROUP_CONCAT's separator: a literal is written as one (SEPARATOR takes no expression, so not `textLiteral`'s CONVERT). */
function separator(node: FuncNode, r: CallRenderer): string {
  const arg = node.args[1]!
  return arg.kind === 'literal' && typeof arg.value === 'string' ? stringLiteral(arg.value) : r.node(arg)
}
