/**
 * Standard SQL renderings that dialects start from and override where they differ.
 */
import type { Dialect } from './dialect'

/** Double-quote an identifier, doubling embedded quotes. */
export function doubleQuote(name: string): string {
  return '"' + (name.includes('"') ? name.replace(/"/g, '""') : name) + '"'
}

/** A JSON path literal `'$.a[0]'` for SQLite and MySQL; `'` is doubled and keys are quoted. */
export function jsonPathLiteral(path: readonly (string | number)[]): string {
  let out = '$'
  for (const p of path) out += typeof p === 'number' ? `[${p}]` : '."' + p.replace(/["\\]/g, '\\$&') + '"'
  return "'" + out.replace(/'/g, "''") + "'"
}

/** The hooks most dialects share; each dialect spreads this and overrides its differences. */
export const standard: Pick<Dialect, 'quote' | 'like' | 'concat' | 'distinctFrom' | 'limitOffset' | 'excluded'> = {
  quote: doubleQuote,
  like: (expr, pattern, caseInsensitive, negated) =>
    caseInsensitive ? `lower(${expr})${negated ? ' NOT' : ''} LIKE lower(${pattern})` : `${expr}${negated ? ' NOT' : ''} LIKE ${pattern}`,
  concat: (items) => '(' + items.join(' || ') + ')',
  distinctFrom: (left, right, negated) => `${left} IS ${negated ? 'NOT ' : ''}DISTINCT FROM ${right}`,
  limitOffset: (limit, offset) => (limit ? ' LIMIT ' + limit : '') + (offset ? ' OFFSET ' + offset : ''),
  excluded: (column) => 'excluded.' + column,
}
