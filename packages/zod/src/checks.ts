/**
 * CHECK constraints read as validators where their SQL is simple enough to mean the same thing in
 * JavaScript: `column <op> number` (`>=`, `>`, `<=`, `<`, `=`, `<>`), `length(column) <op> number`,
 * `column BETWEEN a AND b` and `column <> ''`, joined by AND. Anything else is listed by
 * `untranslatedChecks` and left to the database (`toFieldErrors` maps its violation to a field).
 */
import type { ColumnMeta, Node, TableMeta } from '@quarry/core'

/** One condition on one column that a validator can test. */
export interface ColumnCheck {
  /** The check constraint's name. */
  readonly constraint: string
  readonly column: string
  readonly test: (value: unknown) => boolean
  readonly message: string
}

type Op = '>=' | '>' | '<=' | '<' | '=' | '<>' | '!='

const COMPARE: Record<Op, (a: number, b: number) => boolean> = {
  '>=': (a, b) => a >= b,
  '>': (a, b) => a > b,
  '<=': (a, b) => a <= b,
  '<': (a, b) => a < b,
  '=': (a, b) => a === b,
  '<>': (a, b) => a !== b,
  '!=': (a, b) => a !== b,
}

/** The SQL text of a check with its arguments written in: identifiers by name, numbers and strings as literals. */
function flatten(node: Node): string | undefined {
  if (node.kind === 'raw') {
    let out = node.parts[0] ?? ''
    for (let i = 0; i < node.args.length; i++) {
      const arg = flatten(node.args[i]!)
      if (arg === undefined) return undefined
      out += arg + (node.parts[i + 1] ?? '')
    }
    return out
  }
  if (node.kind === 'identifier') return node.names[node.names.length - 1]
  if (node.kind === 'column') return node.meta.name
  if (node.kind === 'value' && typeof node.value === 'number') return String(node.value)
  if (node.kind === 'value' && typeof node.value === 'string') return `'${node.value.replace(/'/g, "''")}'`
  return undefined
}

const NAME = `["\`]?([A-Za-z_][A-Za-z0-9_]*)["\`]?`
const NUMBER = `(-?\\d+(?:\\.\\d+)?)`
const COMPARISON = new RegExp(`^${NAME}\\s*(>=|<=|<>|!=|>|<|=)\\s*${NUMBER}$`)
const LENGTH = new RegExp(`^(?:char_length|length)\\s*\\(\\s*${NAME}\\s*\\)\\s*(>=|<=|<>|!=|>|<|=)\\s*${NUMBER}$`, 'i')
const BETWEEN = new RegExp(`^${NAME}\\s+between\\s+${NUMBER}\\s+and\\s+${NUMBER}$`, 'i')
const NOT_EMPTY = new RegExp(`^${NAME}\\s*(?:<>|!=)\\s*''$`)

function numberOf(value: unknown): number {
  return typeof value === 'number' ? value : Number(value)
}

/** The conditions of one check, or `undefined` when any part of it is beyond these forms. */
function conditions(name: string, sqlText: string, table: TableMeta): ColumnCheck[] | undefined {
  const bySqlName = (sqlName: string) => table.columnList.find((column) => column.name === sqlName)
  const out: ColumnCheck[] = []
  // BETWEEN's own AND is taken first so that the conjunction split below does not cut it.
  const parts: string[] = []
  let rest = sqlText.trim().replace(/^\((.*)\)$/s, '$1')
  const between = new RegExp(`${NAME}\\s+between\\s+${NUMBER}\\s+and\\s+${NUMBER}`, 'ig')
  rest = rest.replace(between, (whole) => {
    parts.push(whole)
    return 'TRUE'
  })
  for (const piece of rest.split(/\s+and\s+/i)) if (piece.trim() !== 'TRUE') parts.push(piece.trim().replace(/^\((.*)\)$/s, '$1').trim())
  for (const part of parts) {
    let match: RegExpExecArray | null
    let column: ColumnMeta | undefined
    if ((match = COMPARISON.exec(part)) && (column = bySqlName(match[1]!))) {
      const [op, bound] = [match[2] as Op, Number(match[3])]
      out.push({ constraint: name, column: column.key, test: (v) => COMPARE[op](numberOf(v), bound), message: `must be ${op} ${bound} (check ${name})` })
    } else if ((match = LENGTH.exec(part)) && (column = bySqlName(match[1]!))) {
      const [op, bound] = [match[2] as Op, Number(match[3])]
      out.push({ constraint: name, column: column.key, test: (v) => COMPARE[op]([...String(v)].length, bound), message: `length must be ${op} ${bound} (check ${name})` })
    } else if ((match = BETWEEN.exec(part)) && (column = bySqlName(match[1]!))) {
      const [low, high] = [Number(match[2]), Number(match[3])]
      out.push({ constraint: name, column: column.key, test: (v) => numberOf(v) >= low && numberOf(v) <= high, message: `must be between ${low} and ${high} (check ${name})` })
    } else if ((match = NOT_EMPTY.exec(part)) && (column = bySqlName(match[1]!))) {
      out.push({ constraint: name, column: column.key, test: (v) => v !== '', message: `must not be empty (check ${name})` })
    } else {
      return undefined
    }
  }
  return out
}

/** The CHECK constraints of a table that validators enforce, by column key. */
export function columnChecks(table: TableMeta): ReadonlyMap<string, readonly ColumnCheck[]> {
  const byColumn = new Map<string, ColumnCheck[]>()
  for (const check of table.checks) {
    const sqlText = flatten(check.expr)
    const found = sqlText === undefined ? undefined : conditions(check.name, sqlText, table)
    for (const condition of found ?? []) byColumn.set(condition.column, [...(byColumn.get(condition.column) ?? []), condition])
  }
  return byColumn
}

/**
 * The names of a table's CHECK constraints that no validator enforces (their SQL is beyond the
 * simple forms): the database alone rejects what they forbid.
 * @example untranslatedChecks(users) // ['users_sane_dates_check']
 */
export function untranslatedChecks(table: TableMeta): string[] {
  return table.checks.filter((check) => {
    const sqlText = flatten(check.expr)
    return sqlText === undefined || conditions(check.name, sqlText, table) === undefined
  }).map((check) => check.name)
}
