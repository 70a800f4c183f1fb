/**
 * PostgreSQL's renderings of portable functions: GREATEST/LEAST skip NULLs there, so a NULL
 * operand is checked first; integer division goes through `div` on numerics (truncating toward zero).
 */
import { node as branded } from '../../ast/brand.js'
import type { FuncNode, Node } from '../../ast/nodes.js'
import type { CallRenderer, Dialect } from '../dialect.js'
import { dateCall } from '../shared-dates.js'

/** The date argument as a timestamp at UTC: a date at midnight, a timestamptz at UTC whatever the session's zone. */
function atUtc(node: FuncNode, r: CallRenderer): { sql: string; type: 'date' | 'timestamp' | 'timestamptz' } {
  const { arg, type } = dateCall(node)
  const x = r.node(arg)
  if (type.type === 'date') return { sql: 'CAST(' + x + ' AS timestamp)', type: 'date' }
  return type.withTimezone ? { sql: '(' + x + " AT TIME ZONE 'UTC')", type: 'timestamptz' } : { sql: x, type: 'timestamp' }
}

function nullIfAnyNull(node: FuncNode, r: CallRenderer): string {
  let anyNull = ''
  for (const arg of node.args) {
    // A bound value is known now: NULL makes the result NULL, anything else cannot be NULL.
    if (arg.kind === 'value' || arg.kind === 'literal') {
      if (arg.value === null || arg.value === undefined) return 'NULL'
      continue
    }
    anyNull += (anyNull ? ' OR ' : '') + r.node(arg) + ' IS NULL'
  }
  return anyNull ? '(CASE WHEN ' + anyNull + ' THEN NULL ELSE ' + r.standard(node) + ' END)' : r.standard(node)
}

/** make_interval's argument for each dateAdd unit, and how many of it one unit is. */
const INTERVAL: Readonly<Record<string, readonly [string, number]>> = {
  year: ['years', 1], quarter: ['months', 3], month: ['months', 1], week: ['weeks', 1], day: ['days', 1], hour: ['hours', 1], minute: ['mins', 1], second: ['secs', 1],
}

/** PostgreSQL's own renderings of portable functions. */
export const calls: NonNullable<Dialect['calls']> = {
  greatest: nullIfAnyNull,
  least: nullIfAnyNull,
  int_div: (node, r) => 'div(CAST(' + r.node(node.args[0]) + ' AS numeric), CAST(NULLIF(' + r.node(node.args[1]) + ', 0) AS numeric))',
  date_trunc: (node, r) => {
    const { sql, type } = atUtc(node, r)
    const t = "date_trunc('" + dateCall(node).part + "', " + sql + ')'
    return type === 'date' ? 'CAST(' + t + ' AS date)' : type === 'timestamptz' ? '(' + t + " AT TIME ZONE 'UTC')" : t
  },
  // At UTC, so a day is 24 hours whatever the session's zone; a date comes back as a date.
  date_add: (node, r) => {
    const [field, per] = INTERVAL[dateCall(node).part]!
    const { sql, type } = atUtc(node, r)
    const n = r.node(node.args[2]!)
    const sum = '(' + sql + ' + make_interval(' + field + ' => ' + (per === 1 ? n : per + ' * ' + n) + '))'
    return type === 'date' ? 'CAST(' + sum + ' AS date)' : type === 'timestamptz' ? '(' + sum + " AT TIME ZONE 'UTC')" : sum
  },
  // json_object_agg fails on a NULL key; SQLite and MariaDB skip the row, so it is filtered out here.
  json_object_agg: (node, r) => {
    const keyed: Node = branded({ kind: 'isNull', expr: node.args[0]!, negated: true })
    const filter = node.filter === undefined ? keyed : branded({ kind: 'logical', op: 'and', items: Object.freeze([node.filter, keyed]) })
    return r.standard(branded<FuncNode>({ ...node, filter }))
  },
  extract: (node, r) => {
    const part = dateCall(node).part
    return 'CAST(EXTRACT(' + part + ' FROM ' + atUtc(node, r).sql + ') AS ' + (part === 'second' || part === 'epoch' ? 'double precision' : 'integer') + ')'
  },
}
