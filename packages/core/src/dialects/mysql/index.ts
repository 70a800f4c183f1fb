/**
 * MySQL / MariaDB: backtick quoting, `?` placeholders, no RETURNING (inserts emulated by the engine),
 * ON DUPLICATE KEY UPDATE, no FULL JOIN, no NULLS FIRST/LAST (emulated; NULL sorts smallest).
 * LIKE compares under a binary collation so it is case-sensitive, as everywhere; ILIKE compares
 * lower-cased operands under it too, so it folds case but never accents.
 */
import type { Dialect } from '../dialect.js'
import type { ColumnMeta } from '../../schema/meta.js'
import { CompileError } from '../../errors.js'
import { decimalText } from '../shared-values.js'
import { caseBooleanText, jsonPathLiteral, standard } from '../standard.js'
import { castType, columnType } from './column-types.js'
import { calls } from './calls.js'
import { ddl } from './ddl.js'
import { introspect, parseType } from './introspect.js'
import { decode, decoder, encode, encoder } from './values.js'

const TEXT_CASTS: ReadonlySet<string> = new Set(['text', 'varchar', 'char'])
/** The longest text a cast keeps (in characters of up to 4 bytes: under the 16 MB of MEDIUMTEXT and of the default max_allowed_packet). */
const UNBOUNDED_CHARS = 4194303

/** The MySQL / MariaDB dialect. */
export const mysqlDialect: Dialect = Object.freeze({
  ...standard,
  name: 'mysql',
  ddl,
  capabilities: {
    returning: false,
    upsertStyle: 'on duplicate key',
    transactionalDdl: false,
    maxParams: 65535,
    fullJoin: false,
    nullsOrdering: false,
    nullsSortAs: 'smallest',
    locking: true,
    defaultInValues: true,
    zeroIsNextId: true,
    emptyInsert: 'empty values',
    parenthesizedSetOps: true,
    sequentialSet: true,
    defaultIsolation: 'repeatable read',
    aggregateFilter: false,
    untypedParams: false,
  },
  quote: (name) => '`' + (name.includes('`') ? name.split('`').join('``') : name) + '`',
  placeholder: () => '?',
  encode,
  decode,
  decoder,
  encoder,
  columnType,
  parseType,
  introspect,
  castType,
  // CAST(… AS CHAR) keeps the source's length (a recursive CTE's column then overflows) and takes
  // the connection's case-insensitive collation: text casts get a length and the NO PAD binary collation.
  cast: (expr, column, type) =>
    TEXT_CASTS.has(column.type) ? `CAST(${expr} AS CHAR(${column.length ?? UNBOUNDED_CHARS}) CHARACTER SET utf8mb4) COLLATE utf8mb4_nopad_bin` : `CAST(${expr} AS ${type})`,
  booleanText: caseBooleanText,
  shareLock: 'LOCK IN SHARE MODE',
  calls,
  functions: { length: 'char_length', now: 'CURRENT_TIMESTAMP(3)', bool_and: 'MIN', bool_or: 'MAX', json_agg: 'JSON_ARRAYAGG', json_object_agg: 'JSON_OBJECTAGG' },
  // A column's own collation may fold accents (utf8mb4_general_ci: 'café' LIKE 'cafe'), so ilike
  // pins the binary one too, after converting (COLLATE alone refuses utf8mb3 and latin1 columns).
  like: (expr, pattern, caseInsensitive, negated) =>
    caseInsensitive
      ? `CONVERT(lower(${expr}) USING utf8mb4) COLLATE utf8mb4_bin${negated ? ' NOT' : ''} LIKE lower(${pattern})`
      : `${expr} COLLATE utf8mb4_bin${negated ? ' NOT' : ''} LIKE ${pattern}`,
  // PAD SPACE collations (utf8mb4_bin, *_general_ci) make 'a' = 'a ': the other side of a text
  // comparison pins the NO PAD binary one, which then decides it. On that side an index on the
  // column is still used (ref/range in EXPLAIN on MariaDB 10.11); a COLLATE on the column's side is not.
  textOperand: (sql) => `CONVERT(${sql} USING utf8mb4) COLLATE utf8mb4_nopad_bin`,
  concat: (items) => 'CONCAT(' + items.join(', ') + ')',
  distinctFrom: (left, right, negated) => (negated ? `${left} <=> ${right}` : `NOT (${left} <=> ${right})`),
  // A JSON null extracts as the text 'null' (a JSON string "null" as '"null"'): NULL, as on PostgreSQL.
  jsonPath: (expr, path, asText) => {
    const literal = jsonPathLiteral(readablePath(path), true)
    return asText ? `JSON_UNQUOTE(NULLIF(JSON_EXTRACT(${expr}, ${literal}), 'null'))` : `JSON_EXTRACT(${expr}, ${literal})`
  },
  limitOffset: (limit, offset) => (limit ? ' LIMIT ' + limit : offset ? ' LIMIT 18446744073709551615' : '') + (offset ? ' OFFSET ' + offset : ''),
  excluded: (column) => `VALUES(${column})`,
  typedParam,
} satisfies Dialect)

/**
 * A decimal parameter as a DECIMAL with the digits it has (at most 30, MySQL's limit), so that
 * arithmetic, COALESCE and comparisons with DECIMAL values stay exact instead of turning double.
 */
function typedParam(placeholder: string, type: ColumnMeta, value: unknown): string | undefined {
  if (type.type !== 'numeric') return undefined
  let scale = 30
  if (value !== undefined) {
    const frac = /\.(\d*)$/.exec(decimalText(value))
    scale = Math.min(30, frac ? frac[1].length : 0)
  }
  return `CAST(${placeholder} AS DECIMAL(65, ${scale}))`
}

/**
 * `path`, or a CompileError where MariaDB cannot read it: it finds nothing under a quoted key that
 * starts with '-' (`'$."-a"'` is NULL, escaped or not), which would read as NULL in silence.
 */
function readablePath(path: readonly (string | number)[]): readonly (string | number)[] {
  for (const key of path) {
    if (typeof key === 'string' && key.startsWith('-')) {
      throw new CompileError(`MySQL/MariaDB cannot read the JSON key ${JSON.stringify(key)}: a path key starting with '-' reads as NULL there; rename the key or read the whole document`)
    }
  }
  return path
}
