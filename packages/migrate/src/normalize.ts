/**
 * When two spellings of a default, a check or a foreign-key action mean the same thing. The
 * database reports what it was given in its own words (`'a'::character varying`, `(0)::numeric`,
 * `1` for TRUE on MySQL), so the diff compares meanings, never raw text.
 */
import type { FkAction, ModelColumn, ModelType } from '@quarry/core'

/** `(x)` → `x` while the outer parentheses enclose the whole text. */
export function stripParens(text: string): string {
  let s = text.trim()
  while (s.startsWith('(') && s.endsWith(')') && enclosesAll(s)) s = s.slice(1, -1).trim()
  return s
}

function enclosesAll(s: string): boolean {
  let depth = 0
  let quote = false
  for (let i = 0; i < s.length; i++) {
    const ch = s[i]
    if (ch === "'") quote = !quote
    if (quote) continue
    if (ch === '(') depth++
    else if (ch === ')' && --depth === 0 && i < s.length - 1) return false
  }
  return true
}

/** Types whose hex literal default stands for text. */
const HEX_TEXT_TYPES: ReadonlySet<ModelType['type']> = new Set(['text', 'varchar', 'char', 'uuid', 'enum', 'json', 'date', 'time', 'timestamp'])

const CAST = /::\s*"?[a-z_][a-z0-9_ ]*"?(\(\d+(?:\s*,\s*\d+)?\))?(\[\])?\s*$/i
const NUMBER = /^[+-]?(\d+(\.\d*)?|\.\d+)(e[+-]?\d+)?$/i

/** A canonical key for a default value, by meaning: `lit:<value>` for literals, `expr:<text>` for expressions. */
export function defaultKey(text: string | undefined, column: ModelType): string | undefined {
  if (text === undefined) return undefined
  let s = stripParens(text)
  for (let m = CAST.exec(s); m && !inQuotes(s, m.index); m = CAST.exec(s)) s = stripParens(s.slice(0, m.index))
  if (/^null$/i.test(s)) return undefined
  let value: string | undefined
  const str = /^[eE]?'((?:[^'\\]|''|\\.)*)'$/s.exec(s)
  // Both sides of a comparison come from one dialect, so reading `\x` as an escape everywhere is safe.
  if (str) value = str[1].replace(/''|\\(.)/gs, (all, ch: string | undefined) => ch ?? "'")
  // MySQL writes text holding a backslash in hex (the same under every sql_mode): text again, except for bytes.
  else if (/^x'[0-9a-f]*'$/i.test(s)) value = HEX_TEXT_TYPES.has(column.type) ? Buffer.from(s.slice(2, -1), 'hex').toString('utf8') : '\\x' + s.slice(2, -1).toLowerCase()
  else if (NUMBER.test(s) || /^(true|false)$/i.test(s)) value = s.toLowerCase()
  if (value === undefined) return 'expr:' + expressionKey(s)
  return 'lit:' + literalKey(value, column)
}

function inQuotes(s: string, at: number): boolean {
  let quote = false
  for (let i = 0; i < at; i++) if (s[i] === "'") quote = !quote
  return quote
}

function literalKey(value: string, column: ModelType): string {
  switch (column.type) {
    case 'integer':
    case 'smallint':
    case 'bigint':
    case 'real':
    case 'double':
    case 'numeric':
      return NUMBER.test(value.trim()) ? String(Number(value)) : value
    case 'boolean':
      return /^(1|t|true|y|yes|on)$/i.test(value.trim()) ? 'true' : /^(0|f|false|n|no|off)$/i.test(value.trim()) ? 'false' : value
    case 'timestamp':
    case 'date': {
      const ms = Date.parse(/[zZ]|[+-]\d\d:?\d\d$/.test(value) || column.type === 'date' ? value : value.replace(' ', 'T') + 'Z')
      return Number.isNaN(ms) ? value : new Date(ms).toISOString()
    }
    case 'json':
      try {
        return JSON.stringify(JSON.parse(value))
      } catch {
        return value
      }
    default:
      return value
  }
}

/** An expression with quoting, casts, parentheses, case and spacing taken out; `IN (…)` and `= ANY (ARRAY[…])` alike. */
export function expressionKey(text: string): string {
  return text
    .toLowerCase()
    .replace(/'([+-]?\d+(?:\.\d+)?)'(?=::)/g, '$1')
    .replace(/::\s*"?[a-z_][a-z0-9_ ]*?"?(\(\d+(?:\s*,\s*\d+)?\))?(\[\])?(?=[\s),\]]|$)/g, '')
    .replace(/=\s*any\s*\(\s*\(?\s*array\s*\[([^\]]*)\]\s*\)?\s*\)/g, ' in ($1)')
    .replace(/["`]/g, '')
    .replace(/[()\s]/g, '')
}

/** Do two column types mean the same storage? */
export function sameType(a: ModelType, b: ModelType): boolean {
  return (
    a.type === b.type &&
    (a.sqlType ?? '').toLowerCase().replace(/\s+/g, '') === (b.sqlType ?? '').toLowerCase().replace(/\s+/g, '') &&
    a.length === b.length &&
    a.precision === b.precision &&
    a.scale === b.scale &&
    !!a.withTimezone === !!b.withTimezone &&
    (a.values ?? []).join('\u0000') === (b.values ?? []).join('\u0000')
  )
}

/** Do two columns differ in what `alterColumn` changes (type, nullability, default, numbering)? */
export function sameColumn(a: ModelColumn, b: ModelColumn): boolean {
  return sameType(a, b) && a.nullable === b.nullable && a.autoIncrement === b.autoIncrement && defaultKey(a.default, a) === defaultKey(b.default, b)
}

/** RESTRICT and NO ACTION (the default) act alike except for deferred checks: one meaning here. */
export function sameAction(a: FkAction | undefined, b: FkAction | undefined): boolean {
  const norm = (x: FkAction | undefined) => (x === undefined || x === 'restrict' ? 'no action' : x)
  return norm(a) === norm(b)
}
