/**
 * Helpers that every dialect's introspection shares: reading enums back from their CHECK, splitting
 * SQL at top-level commas, and reading SQL string literals.
 */
import { checkName } from '../schema/names.js'
import type { ModelCheck, ModelColumn } from './model.js'

/** The strings of SQL literals in a text, in order (`'a''b'` → `a'b`). */
export function stringLiterals(text: string): string[] {
  const out: string[] = []
  const re = /'((?:[^'\\]|''|\\.)*)'/g
  for (let m = re.exec(text); m; m = re.exec(text)) out.push(m[1].replace(/''/g, "'"))
  return out
}

/**
 * The values of an enum's CHECK on `column`: `"status" IN ('a', 'b')` as written, or PostgreSQL's
 * `(status = ANY (ARRAY['a'::text, 'b'::text]))`; `undefined` when the check is something else.
 */
export function enumCheckValues(expr: string, column: string): string[] | undefined {
  const id = `(?:"${column.replace(/"/g, '""')}"|${column.replace(/[^\w]/g, '\\$&')})`
  const list = new RegExp(`^\\(*${id}\\s+IN\\s*\\(((?:\\s*'(?:[^']|'')*'\\s*,?)*)\\)\\)*$`, 'i').exec(expr.trim())
  if (list) return stringLiterals(list[1])
  const any = new RegExp(`^\\(*${id}\\s*=\\s*ANY\\s*\\(\\s*\\(?ARRAY\\[(.*)\\](?:::\\w+(?:\\s\\w+)*\\[\\])?\\)*\\s*$`, 'i').exec(expr.trim())
  if (any) return stringLiterals(any[1].replace(/::[\w ]+/g, ''))
  return undefined
}

/**
 * Turns text columns carrying their enum CHECK (`<table>_<column>_check` listing values) into enum
 * columns, and removes those checks: how an enum looks where its SQL type does not restrict values.
 */
export function enumsFromChecks(table: string, columns: readonly ModelColumn[], checks: readonly ModelCheck[]): { columns: ModelColumn[]; checks: ModelCheck[] } {
  const left = [...checks]
  const out = columns.map((column) => {
    if (column.type !== 'text') return column
    const at = left.findIndex((c) => c.name === checkName(table, column.name))
    const values = at < 0 ? undefined : enumCheckValues(left[at].expr, column.name)
    if (!values) return column
    left.splice(at, 1)
    return { ...column, type: 'enum' as const, values }
  })
  return { columns: out, checks: left }
}

/** Splits SQL at commas outside parentheses and quotes (`a, f(b, c), 'x,y'` → three parts). */
export function splitTopLevel(text: string): string[] {
  const parts: string[] = []
  let depth = 0
  let quote: string | undefined
  let start = 0
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]
    if (quote) {
      if (ch === quote) quote = undefined
    } else if (ch === "'" || ch === '"' || ch === '`' || ch === '[') quote = ch === '[' ? ']' : ch
    else if (ch === '(') depth++
    else if (ch === ')') depth--
    else if (ch === ',' && depth === 0) {
      parts.push(text.slice(start, i).trim())
      start = i + 1
    }
  }
  parts.push(text.slice(start).trim())
  return parts.filter((p) => p !== '')
}

/** The parenthesised text starting at `open` (the index of `(`), without the outer parentheses. */
export function balanced(text: string, open: number): string {
  let depth = 0
  let quote: string | undefined
  for (let i = open; i < text.length; i++) {
    const ch = text[i]
    if (quote) {
      if (ch === quote) quote = undefined
    } else if (ch === "'" || ch === '"' || ch === '`') quote = ch
    else if (ch === '(') depth++
    else if (ch === ')' && --depth === 0) return text.slice(open + 1, i)
  }
  return text.slice(open + 1)
}

/** `(n)` / `(p, s)` arguments of a type name (`varchar(50)` → [50]). */
export function typeArgs(text: string): number[] {
  const m = /\(([^)]*)\)/.exec(text)
  return m ? m[1].split(',').map((a) => Number(a.trim())).filter((n) => Number.isFinite(n)) : []
}
