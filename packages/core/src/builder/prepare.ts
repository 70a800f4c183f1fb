/**
 * Prepared statements: compiled once per dialect, executed many times with named `param()` values.
 */
import type { StatementNode } from '../ast/nodes'
import { compile } from '../compile/compile'
import type { CompiledQuery } from '../compile/compiled'
import type { Dialect, DialectName } from '../dialects/dialect'
import { CompileError } from '../errors'
import type { Executable, Typed } from './executable'

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
  const ast = 'ast' in query ? query.ast : query
  return Object.freeze({
    kind: 'prepared' as const,
    ast,
    compiled: (dialect: DialectName | Dialect) => compile(ast, dialect),
    bind(dialect: DialectName | Dialect, values: Readonly<Record<string, unknown>>) {
      const compiled = compile(ast, dialect)
      const slots = compiled.paramSlots
      if (!slots) return compiled.params
      const d = typeof dialect === 'string' ? undefined : dialect
      const params = compiled.params.slice()
      for (const slot of slots) {
        if (!(slot.name in values)) throw new CompileError(`prepared statement: no value given for param('${slot.name}')`)
        params[slot.index] = d ? d.encode(values[slot.name], slot.type) : values[slot.name]
      }
      return params
    },
  })
}
