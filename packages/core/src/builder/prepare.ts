/**
 * Prepared statements: compiled once per dialect, executed many times with named `param()` values.
 */
import type { StatementNode } from '../ast/nodes.js'
import { compile } from '../compile/compile.js'
import type { CompiledQuery } from '../compile/compiled.js'
import { getDialect } from '../dialects/index.js'
import type { Dialect, DialectName } from '../dialects/dialect.js'
import { CompileError } from '../errors.js'
import { statementOf, type Executable, type Typed } from './executable.js'
import { brand } from '../ast/brand.js'
import { checkCount } from './clauses.js'

/** A statement with named placeholders, ready to run with `engine.all(prepared, { id: 1 })`. */
export interface Prepared<TRow> extends Typed<TRow> {
  readonly kind: 'prepared'
  readonly ast: StatementNode
  /** The compiled form for a dialect (cached). */
  compiled(dialect: DialectName | Dialect): CompiledQuery
  /** The parameters in placeholder order, with the named values filled in and encoded. */
  bind(dialect: DialectName | Dialect, values: Readonly<Record<string, unknown>>): readonly unknown[]
}

/**
 * Prepare a statement: compile once, run many times.
 * @example const byId = prepare(select(users).where(eq(users.id, param('id')))); await engine.first(byId, { id: 1 })
 */
export function prepare<TRow>(query: Executable<TRow>): Prepared<TRow> {
  const ast = statementOf(query)
  const cache = new Map<DialectName | Dialect, CompiledQuery>()
  // An engine asks with the same dialect every time: answer that without the map.
  let lastDialect: DialectName | Dialect | undefined
  let lastCompiled: CompiledQuery | undefined
  const compiled = (dialect: DialectName | Dialect): CompiledQuery => {
    if (dialect === lastDialect) return lastCompiled!
    let hit = cache.get(dialect)
    if (!hit) cache.set(dialect, (hit = compile(ast, dialect)))
    lastDialect = dialect
    lastCompiled = hit
    return hit
  }
  const prepared: Prepared<TRow> = {
    kind: 'prepared' as const,
    ast,
    compiled,
    bind(dialect: DialectName | Dialect, values: Readonly<Record<string, unknown>>) {
      return bindValues(compiled(dialect), typeof dialect === 'string' ? getDialect(dialect) : dialect, values)
    },
  }
  return Object.freeze(brand(prepared, 'builder'))
}

/** The parameters of a compiled statement with its named `param()` values filled in and encoded. */
export function bindValues(compiled: CompiledQuery, dialect: Dialect, values: Readonly<Record<string, unknown>>): readonly unknown[] {
  const slots = compiled.paramSlots
  if (slots === undefined || slots.length === 0) return compiled.params
  const params = compiled.params.slice()
  for (const slot of slots) {
    if (!(slot.name in values)) throw new CompileError(`prepared statement: no value given for param('${slot.name}')`)
    if (slot.count !== undefined) checkCount(values[slot.name], slot.count, slot.name)
    params[slot.index] = dialect.encode(values[slot.name], slot.type)
  }
  return params
}
