/**
 * The dialect registry.
 */
import { CompileError } from '../errors.js'
import type { Dialect, DialectName } from './dialect.js'
import { mysqlDialect } from './mysql/index.js'
import { postgresDialect } from './postgres/index.js'
import { sqliteDialect } from './sqlite/index.js'

const dialects: Readonly<Record<DialectName, Dialect>> = { sqlite: sqliteDialect, postgres: postgresDialect, mysql: mysqlDialect }

/** The dialect object for a name (`'sqlite' | 'postgres' | 'mysql'`). */
export function getDialect(name: DialectName): Dialect {
  const dialect = dialects[name]
  if (!dialect) throw new CompileError(`unknown dialect '${name}': expected one of ${Object.keys(dialects).join(', ')}`)
  return dialect
}

export type { Dialect, DialectName, StoredDetection } from './dialect.js'
export { mysqlDialect, postgresDialect, sqliteDialect }
