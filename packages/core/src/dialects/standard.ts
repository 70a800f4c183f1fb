/**
 * Standard SQL renderings that dialects start from and override where they differ.
 */
import type { Dialect } from './dialect.js'

/** Quoted identifiers: a schema has few names and each is quoted on every compile. Bounded. */
const doubleQuoted = new Map<string, string>()

/** Double-quote an identifier, doubling embedded quotes. */
export function doubleQuote(name: string): string {
  let quoted = doubleQuoted.get(name)
  if (quoted === undefined) {
    quoted = '"' + (name.includes('"') ? name.split('"').join('""') : name) + '"'
    if (doubleQuoted.size < 4096) doubleQuoted.set(name, quoted)
  }
  return quoted
}

/** JSON's short escapes, which MariaDB's path parser reads (it does not read `\u0009`). */
const JSON_ESCAPES: Readonly<Record<string, string>> = { '\n': 'n', '\r': 'r', '\t': 't', '\b': 'b', '\f': 'f' }

/**
 * A JSON path literal `'$.a[0]'` for SQLite and MySQL. Keys are quoted in the path (`"` and `\`
 * escaped there); in the SQL string `'` is doubled, and so is every `\` where backslash is a
 * string escape (MySQL). One pass over the characters, no regex.
 */
export function jsonPathLiteral(path: readonly (string | number)[], backslashEscapes = false): string {
  const slash = backslashEscapes ? '\\\\' : '\\'
  let out = "'$"
  for (const p of path) {
    if (typeof p === 'number') {
      out += '[' + p + ']'
      continue
    }
    out += '."'
    // MySQL reads a quoted key as a JSON string: a raw control character ends the path (found by the hostile-names suite).
    for (const ch of p) out += ch === '"' ? slash + '"' : ch === '\\' ? slash + slash : ch === "'" ? "''" : backslashEscapes && ch < ' ' ? slash + (JSON_ESCAPES[ch] ?? 'u' + ch.charCodeAt(0).toString(16).padStart(4, '0')) : ch
    out += '"'
  }
  return out + "'"
}

/**
 * A boolean as the text PostgreSQL's cast gives, 'true'/'false' (NULL stays NULL), where the database
 * stores booleans as integers and a text cast would give '1'/'0'. `NOT` maps any truthy value to 0.
 */
export function caseBooleanText(expr: string): string {
  return `CASE NOT (${expr}) WHEN 0 THEN 'true' WHEN 1 THEN 'false' END`
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
