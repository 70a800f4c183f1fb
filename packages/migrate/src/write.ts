/**
 * Migration files as text: ops written as `op.*` calls (upgrade) and their reverses (downgrade),
 * lint findings as comments, a lossy downgrade said in a comment and with `op.warn` at run time.
 */
import type { ModelColumn } from '@quarry/core'
import type { Finding } from './lint.js'
import { reverse, type Op } from './ops.js'

/**
 * A value as a formatted TypeScript literal: bare keys, on one line when it fits in 100 columns.
 * `code` may give the source of a value itself (an expression rather than data).
 */
export function literal(value: unknown, indent = '  ', code: (value: unknown) => string | undefined = () => undefined): string {
  const key = (k: string) => (/^[A-Za-z_$][\w$]*$/.test(k) ? k : JSON.stringify(k))
  const inline = (v: unknown): string =>
    code(v) ??
    (Array.isArray(v) ? `[${v.map(inline).join(', ')}]` : v !== null && typeof v === 'object' ? `{ ${Object.entries(v).map(([k, x]) => `${key(k)}: ${inline(x)}`).join(', ')} }`.replace('{  }', '{}') : JSON.stringify(v))
  const one = inline(value)
  if (one.length + indent.length <= 100 || value === null || typeof value !== 'object' || code(value) !== undefined) return one
  const inner = indent + '  '
  if (Array.isArray(value)) return `[\n${value.map((v) => inner + literal(v, inner, code)).join(',\n')},\n${indent}]`
  return `{\n${Object.entries(value).map(([k, v]) => `${inner}${key(k)}: ${literal(v, inner, code)}`).join(',\n')},\n${indent}}`
}

const str = (s: string) => JSON.stringify(s)

function columnSpec(column: ModelColumn): Record<string, unknown> {
  const out: Record<string, unknown> = {}
  for (const [k, v] of Object.entries(column)) {
    if (v === undefined || k === 'renamedFrom') continue
    if ((k === 'nullable' || k === 'autoIncrement') && v === false) continue
    out[k] = v
  }
  return out
}

/** The changes from one column state to another, as `alterColumn` takes them. */
function changes(from: ModelColumn, to: ModelColumn): Record<string, unknown> {
  const out: Record<string, unknown> = {}
  for (const key of ['type', 'sqlType', 'length', 'precision', 'scale', 'withTimezone', 'values', 'nullable'] as const) {
    if (JSON.stringify(from[key]) !== JSON.stringify(to[key])) out[key] = to[key]
  }
  if (from.default !== to.default) out.default = to.default ?? null
  return out
}

/** One op as an `op.*` call. */
export function opCall(op: Op): string {
  switch (op.kind) {
    case 'createTable': {
      const { renamedFrom: _, ...t } = op.table
      const spec = Object.fromEntries(Object.entries({ ...t, columns: t.columns.map(columnSpec) }).filter(([, v]) => !Array.isArray(v) || v.length > 0))
      return `op.createTable(${literal(spec)})`
    }
    case 'dropTable':
      return `op.dropTable(${str(op.table.name)})`
    case 'renameTable':
      return `op.renameTable(${str(op.from)}, ${str(op.to)})`
    case 'addColumn':
      return `op.addColumn(${str(op.table)}, ${literal(columnSpec(op.column))})`
    case 'dropColumn':
      return `op.dropColumn(${str(op.table)}, ${str(op.column.name)})`
    case 'alterColumn':
      return `op.alterColumn(${str(op.table)}, ${str(op.from.name)}, ${literal(changes(op.from, op.to))})`
    case 'renameColumn':
      return `op.renameColumn(${str(op.table)}, ${str(op.from)}, ${str(op.to)})`
    case 'createIndex':
      return `op.createIndex(${str(op.table)}, ${str(op.index.name)}, ${literal(op.index.columns)}${op.index.unique || op.concurrently ? `, ${literal({ ...(op.index.unique ? { unique: true } : {}), ...(op.concurrently ? { concurrently: true } : {}) })}` : ''})`
    case 'dropIndex':
      return `op.dropIndex(${str(op.table)}, ${str(op.index.name)})`
    case 'addUnique':
      return `op.addUnique(${str(op.table)}, ${str(op.unique.name)}, ${literal(op.unique.columns)})`
    case 'dropUnique':
      return `op.dropUnique(${str(op.table)}, ${str(op.unique.name)})`
    case 'addCheck':
      return `op.addCheck(${str(op.table)}, ${str(op.check.name)}, ${str(op.check.expr)})`
    case 'dropCheck':
      return `op.dropCheck(${str(op.table)}, ${str(op.check.name)})`
    case 'addForeignKey':
      return `op.addForeignKey(${str(op.table)}, ${literal(op.foreignKey)})`
    case 'dropForeignKey':
      return `op.dropForeignKey(${str(op.table)}, ${str(op.foreignKey.name)})`
    case 'validateConstraint':
      return `op.validateConstraint(${str(op.table)}, ${str(op.name)})`
    case 'setPrimaryKey':
      return `op.execute(${str(`-- change the primary key of ${op.table} to (${op.to.join(', ')}): write it by hand`)})`
    case 'execute':
      return `op.execute(${str(op.sql)})`
  }
}

/** What a downgrade cannot give back when it reverses `op`. */
function lossOf(op: Op): string | undefined {
  if (op.kind === 'addColumn') return `the values of ${op.table}.${op.column.name} are lost`
  if (op.kind === 'createTable') return `the rows of ${op.table.name} are lost`
  if (op.kind === 'dropColumn') return `${op.table}.${op.column.name} comes back empty (its old values are not restored)`
  if (op.kind === 'dropTable') return `${op.table.name} comes back empty (its old rows are not restored)`
  return undefined
}

/** The text of a migration file. */
export function migrationFile(input: { revision: string; down: string | readonly string[] | null; message: string; ops: readonly Op[]; findings?: readonly Finding[] }): string {
  const lines: string[] = []
  lines.push(`/**`, ` * ${input.message.replace(/\*\//g, '* /')}`, ` * Generated by quarry revision; review before running.`, ` */`)
  lines.push(`import type { Operations } from '@quarry/migrate'`, '')
  lines.push(`export const revision = ${str(input.revision)}`)
  lines.push(`export const down = ${input.down === null ? 'null' : typeof input.down === 'string' ? str(input.down) : literal(input.down, '')}`)
  lines.push(`export const message = ${str(input.message)}`, '')
  for (const f of input.findings ?? []) lines.push(`// lint ${f.severity} [${f.rule}]: ${f.message}`)
  if ((input.findings ?? []).length) lines.push('')
  lines.push('export function upgrade(op: Operations): void {')
  for (const op of input.ops) lines.push('  ' + opCall(op))
  lines.push('}', '', 'export function downgrade(op: Operations): void {')
  for (const op of [...input.ops].reverse()) {
    const back = reverse(op)
    const loss = lossOf(op)
    if (loss) lines.push(`  // lossy: ${loss}`, `  op.warn(${str(loss)})`)
    lines.push('  ' + (back ? opCall(back) : `op.execute(${str('-- no reverse for ' + op.kind)})`))
  }
  lines.push('}', '')
  return lines.join('\n')
}
