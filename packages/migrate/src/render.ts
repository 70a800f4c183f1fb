/**
 * Ops rendered as SQL by the dialect's DDL: CREATE TABLE, column definitions, foreign-key clauses
 * and indexes come from the core's compilers; ALTER TABLE forms from the dialect's `alter` hooks.
 * Where the dialect cannot ALTER a change (SQLite), the op becomes a table rebuild.
 */
import {
  columnDefinition,
  createIndexStatements,
  createTableStatement,
  enumCheckName,
  foreignKeyClause,
  indexParts,
  type Dialect,
  type ModelColumn,
  type ModelSchema,
  type ModelTable,
} from '@quarry/core'
import { applyToTable } from './apply.js'
import { MigrationError } from './errors.js'
import { columnMeta, schemaMeta, tableMeta } from './meta.js'
import { sameType } from './normalize.js'
import type { Op } from './ops.js'

/** One step of a migration as it runs. */
export type Step =
  | {
      readonly kind: 'sql'
      readonly sql: string
      /** Must run outside a transaction (CREATE INDEX CONCURRENTLY). */
      readonly outside?: boolean
    }
  | {
      readonly kind: 'rebuild'
      readonly table: string
      /** Create the new table, copy the rows (the statement at `copy`), drop the old one, rename, index. */
      readonly statements: readonly string[]
      readonly copy: number
    }

const REBUILD_PREFIX = '_quarry_new_'

/**
 * The steps running one op on a database whose schema is `before`.
 * @example renderOp({ kind: 'dropColumn', table: 'users', column: bio }, postgresDialect, model) // [{ kind: 'sql', sql: 'ALTER TABLE "users" DROP COLUMN "bio"' }]
 */
export function renderOp(op: Op, dialect: Dialect, before: ModelSchema): Step[] {
  const q = (name: string) => dialect.quote(name)
  const hooks = dialect.ddl
  const alter = hooks.alter
  const sqlSteps = (...texts: string[]): Step[] => texts.map((sql) => ({ kind: 'sql', sql }))
  const find = (name: string) => {
    const table = before.tables.find((t) => t.name === name)
    if (!table) throw new MigrationError(`${op.kind}: table '${name}' does not exist`)
    return table
  }
  const rebuild = (): Step[] => {
    if (op.kind === 'createTable' || op.kind === 'dropTable' || op.kind === 'renameTable' || op.kind === 'execute') throw new MigrationError(`${op.kind} needs no rebuild`)
    const from = find(op.table)
    return [rebuildStep(from, applyToTable(from, op), op.kind === 'renameColumn' ? { [op.to]: op.from } : {}, dialect, before)]
  }
  const at = (table: string) => `ALTER TABLE ${q(table)} `
  switch (op.kind) {
    case 'createTable': {
      const meta = tableMeta(op.table)
      const create = createTableStatement(meta, schemaMeta([op.table], before), dialect).replace(/^CREATE TABLE IF NOT EXISTS /, 'CREATE TABLE ')
      return sqlSteps(create, ...createIndexStatements(meta, dialect).map((s) => s.replace(' IF NOT EXISTS ', ' ')))
    }
    case 'dropTable':
      return sqlSteps(`DROP TABLE ${q(op.table.name)}`)
    case 'renameTable': {
      const rename = `ALTER TABLE ${q(op.from)} RENAME TO ${q(op.to)}`
      const enums = hooks.enumCheck ? find(op.from).columns.filter((c) => c.type === 'enum') : []
      if (enums.length === 0) return sqlSteps(rename)
      // An enum's CHECK is named after its table: renamed with it (SQLite: by a rebuild).
      const renamed = { ...find(op.from), name: op.to }
      if (!alter) return [...sqlSteps(rename), rebuildStep(renamed, renamed, {}, dialect, before)]
      return sqlSteps(rename, ...enums.map((c) => at(op.to) + `RENAME CONSTRAINT ${q(enumName(op.from, c.name))} TO ${q(enumName(op.to, c.name))}`))
    }
    case 'addColumn': {
      const column = op.column
      const constant = column.default === undefined || !column.default.trim().startsWith('(')
      if (!alter && (!constant || (!column.nullable && column.default === undefined) || column.autoIncrement)) return rebuild()
      return sqlSteps(at(op.table) + 'ADD COLUMN ' + columnDefinition(columnMeta(column), dialect) + enumCheck(op.table, column, dialect))
    }
    case 'dropColumn':
      return alter ? sqlSteps(at(op.table) + 'DROP COLUMN ' + q(op.column.name)) : rebuild()
    case 'alterColumn': {
      if (!alter) return rebuild()
      if (op.from.autoIncrement !== op.to.autoIncrement) throw new MigrationError(`alterColumn ${op.table}.${op.to.name}: changing whether a column numbers itself is not supported; write it with op.execute`)
      if (alter.column === 'restate') return sqlSteps(at(op.table) + 'MODIFY COLUMN ' + columnDefinition(columnMeta(op.to, find(op.table).primaryKey), dialect))
      const out: string[] = []
      const column = q(op.to.name)
      const meta = columnMeta(op.to)
      const enums = op.from.type === 'enum' || op.to.type === 'enum'
      if (enums && hooks.enumCheck && op.from.type === 'enum') out.push(at(op.table) + `DROP CONSTRAINT ${q(enumCheckName(tableMeta(find(op.table)), columnMeta(op.from)))}`)
      if (!sameType({ ...op.from, values: undefined }, { ...op.to, values: undefined })) {
        const type = dialect.columnType(meta)
        out.push(at(op.table) + `ALTER COLUMN ${column} TYPE ${type} USING ${column}::${type}`)
      }
      if (op.from.nullable !== op.to.nullable) out.push(at(op.table) + `ALTER COLUMN ${column} ${op.to.nullable ? 'DROP' : 'SET'} NOT NULL`)
      if (op.from.default !== op.to.default) {
        const definition = columnDefinition({ ...meta, nullable: true }, dialect)
        const value = / DEFAULT (.*)$/s.exec(definition)?.[1]
        out.push(at(op.table) + `ALTER COLUMN ${column} ` + (value === undefined ? 'DROP DEFAULT' : `SET DEFAULT ${value}`))
      }
      if (enums && hooks.enumCheck && op.to.type === 'enum') out.push(at(op.table) + 'ADD' + enumCheck(op.table, op.to, dialect))
      return sqlSteps(...out)
    }
    case 'renameColumn': {
      const column = find(op.table).columns.find((c) => c.name === op.from)
      if (!column) throw new MigrationError(`renameColumn: table '${op.table}' has no column '${op.from}'`)
      // An enum's CHECK is named after its column: it is renamed with it (SQLite: by a rebuild).
      const enumRename = column.type === 'enum' && hooks.enumCheck
      if (enumRename && !alter) return rebuild()
      const out = [at(op.table) + `RENAME COLUMN ${q(op.from)} TO ${q(op.to)}`]
      if (enumRename) out.push(at(op.table) + `RENAME CONSTRAINT ${q(enumName(op.table, op.from))} TO ${q(enumName(op.table, op.to))}`)
      return sqlSteps(...out)
    }
    case 'createIndex': {
      const meta = tableMeta(find(op.table))
      const { kind, name, columns } = indexParts({ ...op.index, columns: op.index.columns }, meta, dialect)
      const concurrently = op.concurrently && hooks.online ? 'CONCURRENTLY ' : ''
      return [{ kind: 'sql', sql: `CREATE ${kind} ${concurrently}${name} ON ${q(op.table)} (${columns})`, outside: concurrently !== '' }]
    }
    case 'dropIndex': {
      const concurrently = op.concurrently && hooks.online ? 'CONCURRENTLY ' : ''
      return [{ kind: 'sql', sql: `DROP INDEX ${concurrently}${q(op.index.name)}` + (hooks.dropIndexOnTable ? ` ON ${q(op.table)}` : ''), outside: concurrently !== '' }]
    }
    case 'addUnique':
      return alter ? sqlSteps(at(op.table) + `ADD CONSTRAINT ${q(op.unique.name)} UNIQUE (${op.unique.columns.map(q).join(', ')})`) : rebuild()
    case 'dropUnique':
      return alter ? sqlSteps(at(op.table) + `${alter.dropUnique} ${q(op.unique.name)}`) : rebuild()
    case 'addCheck':
      return alter ? sqlSteps(at(op.table) + `ADD CONSTRAINT ${q(op.check.name)} CHECK (${op.check.expr})` + (op.notValid && hooks.online ? ' NOT VALID' : '')) : rebuild()
    case 'dropCheck':
      return alter ? sqlSteps(at(op.table) + `${alter.dropCheck} ${q(op.check.name)}`) : rebuild()
    case 'addForeignKey': {
      if (!alter) return rebuild()
      // The table with its new key, so the schema metadata holds the table the key references.
      const table = applyToTable(find(op.table), op)
      const meta = schemaMeta([table], before)
      const clause = foreignKeyClause(op.foreignKey, meta.tables[table.name], meta, dialect)
      return sqlSteps(at(op.table) + `ADD CONSTRAINT ${q(op.foreignKey.name)} ${clause}` + (op.notValid && hooks.online ? ' NOT VALID' : ''))
    }
    case 'dropForeignKey':
      return alter ? sqlSteps(at(op.table) + `${alter.dropForeignKey} ${q(op.foreignKey.name)}`) : rebuild()
    case 'validateConstraint':
      return hooks.online ? sqlSteps(at(op.table) + `VALIDATE CONSTRAINT ${q(op.name)}`) : []
    case 'setPrimaryKey': {
      if (!alter) return rebuild()
      const out: string[] = []
      if (op.from.length > 0) out.push(at(op.table) + alter.dropPrimaryKey(op.table))
      if (op.to.length > 0) out.push(at(op.table) + `ADD CONSTRAINT ${q(op.table + '_pkey')} PRIMARY KEY (${op.to.map(q).join(', ')})`)
      return sqlSteps(...out)
    }
    case 'execute':
      return sqlSteps(op.sql)
  }
}

const enumName = (table: string, column: string) => `${table}_${column}_check`

/** ` CONSTRAINT "t_c_check" CHECK ("c" IN (…))` for an enum column where the SQL type does not restrict values. */
function enumCheck(table: string, column: ModelColumn, dialect: Dialect): string {
  if (column.type !== 'enum' || !dialect.ddl.enumCheck) return ''
  const values = (column.values ?? []).map((v) => dialect.ddl.stringLiteral(v)).join(', ')
  return ` CONSTRAINT ${dialect.quote(enumName(table, column.name))} CHECK (${dialect.quote(column.name)} IN (${values}))`
}

/**
 * A table rebuilt into its new shape: a new table is created under a temporary name, the rows
 * copied (columns kept by name, `renamed` maps new names to old), the old table dropped and the new
 * one renamed, then its indexes created. The runner suspends foreign keys around it.
 */
export function rebuildStep(from: ModelTable, to: ModelTable, renamed: Readonly<Record<string, string>>, dialect: Dialect, before: ModelSchema): Step {
  const q = (name: string) => dialect.quote(name)
  const temp = REBUILD_PREFIX + to.name
  const meta = tableMeta(to)
  const create = createTableStatement(meta, schemaMeta([to], before), dialect).replace(/^CREATE TABLE IF NOT EXISTS \S+ /, `CREATE TABLE ${q(temp)} `)
  const kept = to.columns.filter((c) => from.columns.some((f) => f.name === (renamed[c.name] ?? c.name)))
  const copy = `INSERT INTO ${q(temp)} (${kept.map((c) => q(c.name)).join(', ')}) SELECT ${kept.map((c) => q(renamed[c.name] ?? c.name)).join(', ')} FROM ${q(from.name)}`
  const indexes = createIndexStatements(meta, dialect).map((s) => s.replace(' IF NOT EXISTS ', ' '))
  return { kind: 'rebuild', table: to.name, statements: [create, copy, `DROP TABLE ${q(from.name)}`, `ALTER TABLE ${q(temp)} RENAME TO ${q(to.name)}`, ...indexes], copy: 1 }
}
