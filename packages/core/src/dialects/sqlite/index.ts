/**
 * SQLite: `?` placeholders, RETURNING, ON CONFLICT, native NULLS FIRST/LAST (NULL sorts smallest).
 * LIKE is made case-sensitive by the connection (`PRAGMA case_sensitive_like = ON`, set by the
 * engine), so `ilike` compares lower-cased operands.
 */
import type { Dialect } from '../dialect'
import { jsonPathLiteral, standard } from '../standard'
import { columnType } from './column-types'
import { decode, decoder, encode, encoder } from './values'

/** The SQLite dialect. */
export const sqliteDialect: Dialect = Object.freeze({
  ...standard,
  name: 'sqlite',
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
    parenthesizedSetOps: false,
    defaultIsolation: 'serializable',
  },
  placeholder: () => '?',
  encode,
  decode,
  decoder,
  encoder,
  columnType,
  functions: { now: "strftime('%Y-%m-%d %H:%M:%f', 'now')" },
  distinctFrom: (left, right, negated) => `${left} IS ${negated ? '' : 'NOT '}${right}`,
  jsonPath: (expr, path, asText) => `${expr} ${asText ? '->>' : '->'} ${jsonPathLiteral(path)}`,
  limitOffset: (limit, offset) => (limit ? ' LIMIT ' + limit : offset ? ' LIMIT -1' : '') + (offset ? ' OFFSET ' + offset : ''),
} satisfies Dialect)
