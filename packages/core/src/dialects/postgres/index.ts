/**
 * PostgreSQL: `$n` placeholders, RETURNING, ON CONFLICT, native ILIKE and NULLS FIRST/LAST (NULL
 * sorts largest), JSON paths with `#>` / `#>>`.
 */
import type { Dialect } from '../dialect'
import { standard } from '../standard'
import { columnType } from './column-types'
import { decode, decoder, encode, encoder } from './values'

/** A text-array literal `'{"a","0"}'`: `"` and `\` escaped in each element, `'` doubled (no regex). */
function pathArray(path: readonly (string | number)[]): string {
  let out = "'{"
  for (let i = 0; i < path.length; i++) {
    out += (i ? ',"' : '"')
    for (const ch of String(path[i])) out += ch === '"' || ch === '\\' ? '\\' + ch : ch === "'" ? "''" : ch
    out += '"'
  }
  return out + "}'"
}

/** The PostgreSQL dialect. */
export const postgresDialect: Dialect = Object.freeze({
  ...standard,
  name: 'postgres',
  capabilities: {
    returning: true,
    upsertStyle: 'on conflict',
    transactionalDdl: true,
    maxParams: 65535,
    fullJoin: true,
    nullsOrdering: true,
    nullsSortAs: 'largest',
    locking: true,
    defaultInValues: true,
    parenthesizedSetOps: true,
  },
  placeholder: (index) => '$' + index,
  encode,
  decode,
  decoder,
  encoder,
  columnType,
  functions: { now: 'CURRENT_TIMESTAMP' },
  like: (expr, pattern, caseInsensitive, negated) => `${expr}${negated ? ' NOT' : ''} ${caseInsensitive ? 'ILIKE' : 'LIKE'} ${pattern}`,
  jsonPath: (expr, path, asText) => `(${expr} ${asText ? '#>>' : '#>'} ${pathArray(path)})`,
} satisfies Dialect)
