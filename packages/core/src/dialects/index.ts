/**
 * The dialect registry.
 */
import { CompileError } from '../errors'
import type { Dialect, DialectName } from './dialect'
import { mysqlDialect } from './mysql'
import { postgresDialect } from './postgres'
import { sqliteDialect } from './sqlite'

const dialects: Readonly<Record<DialectName, Dialect>> = { sqlite: sqliteDialect, postgres: postgresDialect, mysql: mysqlDialect }

/** The dialect object for a name (`'sqlite' | 'postgres' | 'mysql'`). */
export function getDialect(name: DialectName): Dialect {
  const dialect = dialects[name]
  if (!dialect) throw new CompileError(`unknown dialect '${name}': expected one of ${Object.keys(dialects).join(', ')}`)
  return dialect
}

export type { Dialect, DialectName } from './dialect'
export { mysqlDialect, postgresDialect, sqliteDialect }
