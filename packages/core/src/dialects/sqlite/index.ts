/**
 * SQLite: `?` placeholders, RETURNING, ON CONFLICT, native NULLS FIRST/LAST (NULL sorts smallest).
 * LIKE is made case-sensitive by the connection (`PRAGMA case_sensitive_like = ON`, set by the
 * engine), so `ilike` compares operands lower-cased beyond ASCII (`quarry_lower`, registered by the engine). Rows given as data (`UPDATE … FROM`) are a
 * VALUES list.
 */
import type { ColumnNode } from '../../ast/nodes.js'
import type { Dialect } from '../dialect.js'
import { caseBooleanText, jsonPathLiteral, standard } from '../standard.js'
import { columnType } from './column-types.js'
import { calls } from './calls.js'
import { NOW, ddl } from './ddl.js'
import { introspect, parseType } from './introspect.js'
import { storedForm } from './stored-form.js'
import { decode, decoder, encode, encoder } from './values.js'
import { connectionFunctions } from './functions.js'

const ARITHMETIC = { '+': 'add', '-': 'sub', '*': 'mul', '%': 'mod' } as const

/**
 * Rows given as data: `(SELECT column1 AS "id", column2 AS "title" FROM (VALUES (?, ?), …)) AS "v"`
 * (VALUES names its columns column1, column2, …; a derived table cannot rename them in its alias).
 */
function valuesSource(columns: readonly ColumnNode[], names: readonly string[], rows: number, _first: number, alias: string): string {
  let out = '(SELECT '
  for (let i = 0; i < names.length; i++) out += (i ? ', column' : 'column') + (i + 1) + ' AS ' + standard.quote(names[i])
  const row = '(?' + ', ?'.repeat(columns.length - 1) + ')'
  return out + ' FROM (VALUES ' + row + (', ' + row).repeat(rows - 1) + ')) AS ' + standard.quote(alias)
}

/** The SQLite dialect. */
export const sqliteDialect: Dialect = Object.freeze({
  ...standard,
  name: 'sqlite',
  ddl,
  capabilities: {
    returning: true,
    upsertStyle: 'on conflict',
    transactionalDdl: true,
    maxParams: 32766,
    fullJoin: true,
    nullsOrdering: true,
    nullsSortAs: 'smallest',
    locking: false,
    defaultInValues: false,
    emptyInsert: 'default values',
    parenthesizedSetOps: false,
    sequentialSet: false,
    defaultIsolation: 'serializable',
    aggregateFilter: true,
    untypedParams: false,
  },
  placeholder: () => '?',
  encode,
  decode,
  decoder,
  encoder,
  columnType,
  parseType,
  introspect,
  storedForm,
  calls,
  functions: { now: '(' + NOW + ')', greatest: 'max', least: 'min', bool_and: 'min', bool_or: 'max', json_agg: 'json_group_array', json_object_agg: 'json_group_object' },
  distinctFrom: (left, right, negated) => `${left} IS ${negated ? '' : 'NOT '}${right}`,
  // `->>` gives numbers as numbers: jsonText reads the JSON text and unquotes strings, as PostgreSQL's `#>>`.
  jsonPath: (expr, path, asText) => (asText ? `quarry_json_text(${expr} -> ${jsonPathLiteral(path)})` : `${expr} -> ${jsonPathLiteral(path)}`),
  jsonScalar: (expr, path) => `${expr} ->> ${jsonPathLiteral(path)}`,
  rowsSource: { arrays: false, sql: valuesSource },
  // Numerics are sortable text keys compared natively; arithmetic and SUM/AVG are exact in JS functions.
  numeric: {
    key: (sql) => `quarry_numeric_key(${sql})`,
    arithmetic: (op, left, right) => `quarry_numeric_${ARITHMETIC[op]}(${left}, ${right})`,
    aggregate: (name, arg) => `quarry_numeric_${name}(${arg})`,
    real: (sql) => `quarry_numeric_real(${sql})`,
    text: (sql) => `quarry_numeric_text(${sql})`,
  },
  connectionFunctions,
  booleanText: caseBooleanText,
  // SQLite's lower() folds ASCII only: 'É' stayed 'É', so ilike('%é%') missed it.
  like: (expr, pattern, caseInsensitive, negated) =>
    caseInsensitive ? `quarry_lower(${expr})${negated ? ' NOT' : ''} LIKE quarry_lower(${pattern})` : standard.like(expr, pattern, false, negated),
  // SQLite ignores a declared length: a bounded text cast truncates as on the other dialects.
  cast: (expr, column, type) => (column.length !== undefined && (column.type === 'varchar' || column.type === 'char') ? `substr(CAST(${expr} AS TEXT), 1, ${column.length})` : `CAST(${expr} AS ${type})`),
  limitOffset: (limit, offset) => (limit ? ' LIMIT ' + limit : offset ? ' LIMIT -1' : '') + (offset ? ' OFFSET ' + offset : ''),
} satisfies Dialect)
