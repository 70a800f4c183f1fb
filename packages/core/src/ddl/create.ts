/**
 * CREATE statements for a schema: tables in foreign-key order with their columns, primary key,
 * unique and check constraints and foreign keys, then their indexes (on MySQL inside CREATE TABLE).
 * Every statement is idempotent (IF NOT EXISTS, or a guarded ALTER), so createAll creates only what
 * is missing.
 */
import type { DdlHooks, Dialect } from '../dialects/dialect.js'
import type { ColumnMeta, FkAction, ForeignKeyMeta, IndexMeta, SchemaMeta, TableMeta } from '../schema/meta.js'
import { constraintName } from '../schema/names.js'
import { enumCheckName, physicalName } from './constraint-names.js'
import { ddlLiteral, renderDdlSql } from './literal.js'
import { creationOrder } from './order.js'

/**
 * The statements creating every missing table and index of a schema, to run in order on one
 * connection.
 * @example createAllStatements(meta, postgres) // ['CREATE TABLE IF NOT EXISTS "users" (…)', 'CREATE INDEX IF NOT EXISTS …']
 */
export function createAllStatements(schema: SchemaMeta, dialect: Dialect): string[] {
  const hooks = dialect.ddl
  const { tables, deferred } = creationOrder(schema)
  const alter = hooks.addForeignKey !== undefined
  const suspend = deferred.size > 0 && !alter ? hooks.suspendForeignKeys : undefined
  const out: string[] = []
  if (suspend) out.push(suspend[0])
  for (const table of tables) {
    out.push(createTableStatement(table, schema, dialect, alter ? (fk) => !deferred.has(fk) : () => true))
    out.push(...createIndexStatements(table, dialect))
  }
  if (alter) {
    for (const fk of deferred) {
      const table = tables.find((t) => t.foreignKeys.includes(fk))!
      out.push(hooks.addForeignKey!(table.name, physicalName(fk.name), foreignKeyClause(fk, table, schema, dialect), (n) => dialect.quote(n)))
    }
  }
  if (suspend) out.push(suspend[1])
  return out
}

/**
 * `CREATE TABLE IF NOT EXISTS` for one table, with the foreign keys `inline` accepts.
 * @example createTableStatement(users, meta, sqlite) // 'CREATE TABLE IF NOT EXISTS "users" ("id" INTEGER, …, CONSTRAINT "users_pkey" PRIMARY KEY ("id"))'
 */
export function createTableStatement(
  table: TableMeta,
  schema: SchemaMeta,
  dialect: Dialect,
  inline: (fk: ForeignKeyMeta) => boolean = () => true,
): string {
  const hooks = dialect.ddl
  const q = (name: string) => dialect.quote(name)
  const names = (keys: readonly string[]) => keys.map((k) => q(table.columns[k].name)).join(', ')
  const constraint = (name: string, body: string) => `CONSTRAINT ${q(physicalName(name))} ${body}`
  const parts = table.columnList.filter((c) => !c.computed).map((c) => columnDefinition(c, dialect))
  if (table.primaryKey.length > 0) parts.push(constraint(constraintName(table.name, [], 'pkey'), `PRIMARY KEY (${names(table.primaryKey)})`))
  for (const u of table.uniques) parts.push(constraint(u.name, `UNIQUE (${names(u.columns)})`))
  for (const c of table.checks) parts.push(constraint(c.name, `CHECK (${renderDdlSql(c.expr, dialect, hooks)})`))
  if (hooks.enumCheck) {
    for (const c of table.columnList) {
      if (c.type !== 'enum' || c.computed) continue
      const values = (c.values ?? []).map((v) => ddlLiteral(v, hooks)).join(', ')
      parts.push(constraint(enumCheckName(table, c), `CHECK (${q(c.name)} IN (${values}))`))
    }
  }
  for (const fk of table.foreignKeys) {
    if (inline(fk)) parts.push(constraint(fk.name, foreignKeyClause(fk, table, schema, dialect)))
  }
  if (hooks.inlineIndexes) {
    for (const index of table.indexes) {
      const { kind, name, columns } = indexParts(index, table, dialect)
      parts.push(`${kind} ${name} (${columns})`)
    }
  }
  return `CREATE TABLE IF NOT EXISTS ${q(table.name)} (${parts.join(', ')})${hooks.tableOptions}`
}

/**
 * `CREATE [UNIQUE] INDEX IF NOT EXISTS` for each index of a table; none where the dialect writes
 * indexes inside CREATE TABLE (MySQL).
 * @example createIndexStatements(posts, postgres) // ['CREATE INDEX IF NOT EXISTS "posts_author_id_idx" ON "posts" ("author_id")']
 */
export function createIndexStatements(table: TableMeta, dialect: Dialect): string[] {
  if (dialect.ddl.inlineIndexes) return []
  return table.indexes.map((index) => {
    const { kind, name, columns } = indexParts(index, table, dialect)
    return `CREATE ${kind} IF NOT EXISTS ${name} ON ${dialect.quote(table.name)} (${columns})`
  })
}

/** An index as `[UNIQUE ]INDEX`, its quoted name and its quoted columns, inside CREATE TABLE or in CREATE INDEX alike. */
export function indexParts(index: IndexMeta, table: TableMeta, dialect: Dialect): { kind: string; name: string; columns: string } {
  return {
    kind: index.unique ? 'UNIQUE INDEX' : 'INDEX',
    name: dialect.quote(physicalName(index.name)),
    columns: index.columns.map((k) => dialect.quote(table.columns[k].name)).join(', '),
  }
}

/**
 * One column as written in CREATE TABLE or ADD COLUMN: name, type, NOT NULL, default, identity.
 * @example columnDefinition(usersId, postgres) // '"id" integer NOT NULL GENERATED BY DEFAULT AS IDENTITY'
 */
export function columnDefinition(column: ColumnMeta, dialect: Dialect): string {
  const hooks = dialect.ddl
  const auto = column.autoIncrement ? hooks.autoIncrement : undefined
  let sql = `${dialect.quote(column.name)} ${auto?.type ?? dialect.columnType(column)}`
  if ((!column.nullable || column.primaryKey) && (auto?.notNull ?? true)) sql += ' NOT NULL'
  const value = auto ? undefined : defaultValue(column, dialect, hooks)
  if (value !== undefined) sql += ` DEFAULT ${value}`
  return sql + (auto?.clause ?? '')
}

const BARE_DEFAULT = /^(?:[A-Za-z_]+|'(?:[^']|'')*'|[+-]?\d+(?:\.\d+)?)$/
const CURRENT_TIMESTAMP = /^(?:CURRENT_TIMESTAMP|now\(\))$/i

/**
 * A column's server default as DDL writes it, or `undefined` (none, or computed by the client).
 * @example defaultValue(createdAt, postgres) // "(CURRENT_TIMESTAMP AT TIME ZONE 'UTC')"
 */
export function defaultValue(column: ColumnMeta, dialect: Dialect, hooks: DdlHooks = dialect.ddl): string | undefined {
  if (column.serverDefault) {
    const sql = renderDdlSql(column.serverDefault, dialect, hooks).trim()
    if (column.type === 'timestamp' && CURRENT_TIMESTAMP.test(sql)) return hooks.currentTimestamp(column)
    return BARE_DEFAULT.test(sql) ? sql : `(${sql})`
  }
  // A function default is computed by the client at insert time.
  if (!column.hasDefault || typeof column.default === 'function') return undefined
  return ddlLiteral(dialect.encode(column.default, column), hooks)
}

const ACTIONS: Readonly<Record<FkAction, string>> = {
  cascade: 'CASCADE',
  restrict: 'RESTRICT',
  'set null': 'SET NULL',
  'set default': 'SET DEFAULT',
  'no action': 'NO ACTION',
}

/** `FOREIGN KEY (…) REFERENCES t (…) ON DELETE …` for one foreign key of a table. */
export function foreignKeyClause(fk: ForeignKeyMeta, table: TableMeta, schema: SchemaMeta, dialect: Dialect): string {
  const target = schema.tables[fk.table]
  const q = (name: string) => dialect.quote(name)
  const local = fk.columns.map((k) => q(table.columns[k].name)).join(', ')
  const remote = fk.references.map((k) => q(target.columns[k].name)).join(', ')
  let sql = `FOREIGN KEY (${local}) REFERENCES ${q(target.name)} (${remote})`
  if (fk.onDelete) sql += ` ON DELETE ${ACTIONS[fk.onDelete]}`
  if (fk.onUpdate) sql += ` ON UPDATE ${ACTIONS[fk.onUpdate]}`
  return sql
}
