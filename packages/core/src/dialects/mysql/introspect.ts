/**
 * MySQL / MariaDB introspection from `information_schema`, in the current database. MariaDB keeps
 * JSON as LONGTEXT with a `json_valid` CHECK named after the column: that pair reads back as json.
 */
import { stringLiterals, typeArgs } from '../../model/catalog.js'
import { modelSchema, type CatalogQuery, type ModelColumn, type ModelSchema, type ModelTable, type ModelType } from '../../model/model.js'
import type { ColumnType, FkAction } from '../../schema/meta.js'

const TYPES: Readonly<Record<string, ColumnType>> = {
  int: 'integer', integer: 'integer', smallint: 'smallint', bigint: 'bigint', float: 'real', real: 'double', double: 'double',
  'double precision': 'double', decimal: 'numeric', numeric: 'numeric', boolean: 'boolean', bool: 'boolean', text: 'text',
  longtext: 'text', mediumtext: 'text', tinytext: 'text', varchar: 'varchar', char: 'char', date: 'date', time: 'time', datetime: 'timestamp',
  json: 'json', longblob: 'bytes', blob: 'bytes', mediumblob: 'bytes', varbinary: 'bytes', enum: 'enum',
}

/**
 * A MySQL type (as DDL writes it or as `COLUMN_TYPE` reports it) in portable terms.
 * @example parseType("enum('a','b')") // { type: 'enum', values: ['a', 'b'] }; parseType('tinyint(1)') // { type: 'boolean' }
 */
export function parseType(text: string): ModelType {
  const lower = text.trim().toLowerCase()
  if (/^tinyint\(1\)$/.test(lower)) return { type: 'boolean' }
  const name = lower.replace(/\(.*$/s, '').trim()
  const type = TYPES[name]
  if (!type || /\b(unsigned|zerofill)\b/.test(lower)) return { type: 'custom', sqlType: text }
  const [a, b] = typeArgs(lower)
  switch (type) {
    case 'enum':
      return { type, values: stringLiterals(text.slice(text.indexOf('('))) }
    case 'numeric':
      return { type, precision: a ?? 10, scale: b ?? 0 }
    case 'varchar':
    case 'char':
      return { type, ...(a !== undefined ? { length: a } : {}) }
    case 'bytes':
      return name === 'varbinary' ? { type, length: a } : { type }
    case 'time':
    case 'timestamp':
      return { type, precision: a ?? 0 }
    default:
      return { type }
  }
}

const COLUMNS = `SELECT TABLE_NAME AS tbl, COLUMN_NAME AS name, COLUMN_TYPE AS type, IS_NULLABLE AS nullable, COLUMN_DEFAULT AS dflt, EXTRA AS extra, GENERATION_EXPRESSION AS expr
FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() ORDER BY TABLE_NAME, ORDINAL_POSITION`

const KEYS = `SELECT k.TABLE_NAME AS tbl, k.CONSTRAINT_NAME AS name, t.CONSTRAINT_TYPE AS type, k.COLUMN_NAME AS col,
  k.REFERENCED_TABLE_NAME AS ref_table, k.REFERENCED_COLUMN_NAME AS ref_col, r.DELETE_RULE AS on_delete, r.UPDATE_RULE AS on_update
FROM information_schema.KEY_COLUMN_USAGE k
JOIN information_schema.TABLE_CONSTRAINTS t ON t.CONSTRAINT_SCHEMA = k.CONSTRAINT_SCHEMA AND t.TABLE_NAME = k.TABLE_NAME AND t.CONSTRAINT_NAME = k.CONSTRAINT_NAME
LEFT JOIN information_schema.REFERENTIAL_CONSTRAINTS r ON r.CONSTRAINT_SCHEMA = k.CONSTRAINT_SCHEMA AND r.TABLE_NAME = k.TABLE_NAME AND r.CONSTRAINT_NAME = k.CONSTRAINT_NAME
WHERE k.TABLE_SCHEMA = DATABASE() ORDER BY k.TABLE_NAME, k.CONSTRAINT_NAME, k.ORDINAL_POSITION`

const INDEXES = `SELECT TABLE_NAME AS tbl, INDEX_NAME AS name, NON_UNIQUE AS non_unique, COLUMN_NAME AS col
FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = DATABASE() AND INDEX_NAME <> 'PRIMARY' ORDER BY TABLE_NAME, INDEX_NAME, SEQ_IN_INDEX`

const CHECKS = `SELECT TABLE_NAME AS tbl, CONSTRAINT_NAME AS name, CHECK_CLAUSE AS expr
FROM information_schema.CHECK_CONSTRAINTS WHERE CONSTRAINT_SCHEMA = DATABASE() ORDER BY TABLE_NAME, CONSTRAINT_NAME`

const TABLES = `SELECT TABLE_NAME AS name FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND TABLE_TYPE = 'BASE TABLE' ORDER BY TABLE_NAME`

function action(rule: unknown): FkAction | undefined {
  const a = String(rule ?? '').toLowerCase()
  return a === '' || a === 'no action' || a === 'restrict' ? undefined : (a as FkAction)
}

/** Is this the index InnoDB made for a foreign key on `columns` that was written without a name? */
function backsKey(index: { readonly name: string; readonly columns: readonly string[]; readonly unique: boolean }, columns: readonly string[]): boolean {
  return !index.unique && index.name === columns[0] && index.columns.length === columns.length && index.columns.every((c, i) => c === columns[i])
}

/** Rows grouped by a key, in order. */
function grouped<T extends Record<string, unknown>>(rows: readonly T[], key: (row: T) => string): Map<string, T[]> {
  const map = new Map<string, T[]>()
  for (const row of rows) {
    const k = key(row)
    const list = map.get(k)
    if (list) list.push(row)
    else map.set(k, [row])
  }
  return map
}

/**
 * The model of every table of the current MySQL / MariaDB database.
 * @example await introspect((text) => engine.all(sql.raw(text)))
 */
export async function introspect(query: CatalogQuery): Promise<ModelSchema> {
  const [tables, columns, keys, indexes, checks] = [await query(TABLES), await query(COLUMNS), await query(KEYS), await query(INDEXES), await query(CHECKS)]
  const columnsOf = grouped(columns, (r) => String(r.tbl))
  const keysOf = grouped(keys, (r) => String(r.tbl))
  const indexesOf = grouped(indexes, (r) => String(r.tbl))
  const checksOf = grouped(checks, (r) => String(r.tbl))
  const out: ModelTable[] = []
  for (const { name: tableName } of tables) {
    const name = String(tableName)
    const tableChecks = (checksOf.get(name) ?? []).map((c) => ({ name: String(c.name), expr: String(c.expr) }))
    // Generated columns are not in the model, nor a column's ON UPDATE: named in `unread`.
    const unread: string[] = []
    const cols: ModelColumn[] = (columnsOf.get(name) ?? []).filter((c) => {
      const extra = String(c.extra ?? '')
      if (/\bgenerated\b/i.test(extra)) unread.push(`column ${String(c.name)} generated as ${String(c.expr)}`)
      else if (/\bon update\b/i.test(extra)) unread.push(`ON UPDATE ${extra.replace(/^.*\bon update\s+/i, '')} of column ${String(c.name)}`)
      return !/\bgenerated\b/i.test(extra)
    }).map((c) => {
      const colName = String(c.name)
      let type = parseType(String(c.type))
      const json = tableChecks.findIndex((k) => k.name === colName && /^json_valid\(`?[^`]*`?\)$/i.test(k.expr.trim()))
      if (json >= 0 && type.type === 'text') {
        type = { type: 'json' }
        tableChecks.splice(json, 1)
      }
      const dflt = c.dflt === null || c.dflt === undefined || c.dflt === 'NULL' ? undefined : String(c.dflt)
      return {
        name: colName,
        ...type,
        nullable: c.nullable === 'YES',
        ...(dflt !== undefined ? { default: dflt } : {}),
        autoIncrement: /auto_increment/i.test(String(c.extra ?? '')),
      }
    })
    const byConstraint = grouped(keysOf.get(name) ?? [], (r) => String(r.name))
    const foreignKeys = [...byConstraint.values()]
      .filter((rows) => rows[0].type === 'FOREIGN KEY')
      .map((rows) => {
        const onDelete = action(rows[0].on_delete)
        const onUpdate = action(rows[0].on_update)
        return {
          name: String(rows[0].name),
          columns: rows.map((r) => String(r.col)),
          table: String(rows[0].ref_table),
          references: rows.map((r) => String(r.ref_col)),
          ...(onDelete ? { onDelete } : {}),
          ...(onUpdate ? { onUpdate } : {}),
        }
      })
    const constraintNames = new Map([...byConstraint.values()].map((rows) => [String(rows[0].name), String(rows[0].type)]))
    const byIndex = [...grouped(indexesOf.get(name) ?? [], (r) => String(r.name)).values()]
    // MySQL 8's functional key parts have no column: not in the model, named in `unread`.
    unread.push(...byIndex.filter((rows) => rows.some((r) => r.col === null)).map((rows) => `index ${String(rows[0].name)} on an expression`))
    const allIndexes = byIndex.filter((rows) => rows.every((r) => r.col !== null)).map((rows) => ({
      name: String(rows[0].name),
      columns: rows.map((r) => String(r.col)),
      unique: Number(rows[0].non_unique) === 0,
    }))
    out.push({
      name,
      columns: cols,
      primaryKey: (byConstraint.get('PRIMARY') ?? []).map((r) => String(r.col)),
      // InnoDB indexes a foreign key when no index covers it already: under the key's name, or, for a
      // key written without one, under its first column's name (so `a_id` may repeat across tables).
      indexes: allIndexes.filter((i) => constraintNames.get(i.name) !== 'UNIQUE' && constraintNames.get(i.name) !== 'FOREIGN KEY' && !foreignKeys.some((fk) => backsKey(i, fk.columns))),
      uniques: allIndexes.filter((i) => constraintNames.get(i.name) === 'UNIQUE'),
      checks: tableChecks,
      foreignKeys,
      ...(unread.length ? { unread } : {}),
    })
  }
  return modelSchema(out)
}
