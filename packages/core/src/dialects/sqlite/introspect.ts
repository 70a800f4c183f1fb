/**
 * SQLite introspection: the pragmas give columns, keys, indexes and foreign keys; the names of
 * constraints and the CHECK expressions are read from the table's CREATE statement, which SQLite
 * keeps as written.
 */
import { balanced, enumsFromChecks, splitTopLevel, typeArgs } from '../../model/catalog.js'
import { modelSchema, type CatalogQuery, type ModelCheck, type ModelIndex, type ModelSchema, type ModelTable, type ModelType } from '../../model/model.js'
import type { ColumnType, FkAction } from '../../schema/meta.js'
import { checkName, constraintName } from '../../schema/names.js'

const TYPES: Readonly<Record<string, ColumnType>> = {
  INTEGER: 'integer', INT: 'integer', SMALLINT: 'smallint', BIGINT: 'bigint', REAL: 'real', FLOAT: 'real', DOUBLE: 'double',
  'DOUBLE PRECISION': 'double', DECIMAL_TEXT: 'numeric', DECIMAL_SORTABLE_TEXT: 'numeric', DECIMAL: 'numeric', NUMERIC: 'numeric', BOOLEAN: 'boolean', BOOL: 'boolean',
  TEXT: 'text', VARCHAR: 'varchar', CHAR: 'char', UUID_TEXT: 'uuid', UUID: 'uuid', DATE_TEXT: 'date', DATE: 'date', TIME_TEXT: 'time',
  TIMESTAMP_TEXT: 'timestamp', TIMESTAMPTZ_TEXT: 'timestamp', TIMESTAMP: 'timestamp', DATETIME: 'timestamp', JSON_TEXT: 'json', JSON: 'json', BLOB: 'bytes',
}

/**
 * A declared SQLite type in portable terms; an unknown name is a `custom` type.
 * @example parseType('DECIMAL_TEXT(10, 2)') // { type: 'numeric', precision: 10, scale: 2 }
 */
export function parseType(text: string): ModelType {
  const name = text.replace(/\(.*$/, '').trim().toUpperCase().replace(/\s+/g, ' ')
  const type = TYPES[name]
  if (!type) return { type: 'custom', sqlType: text }
  const [a, b] = typeArgs(text)
  if (type === 'numeric') return { type, ...(a !== undefined ? { precision: a } : {}), ...(b !== undefined ? { scale: b } : {}) }
  if (type === 'varchar' || type === 'char') return { type, ...(a !== undefined ? { length: a } : {}) }
  if (type === 'timestamp' && name === 'TIMESTAMPTZ_TEXT') return { type, withTimezone: true }
  return { type }
}

/** An identifier without its quotes (`"a""b"` → `a"b`). */
function unquote(name: string): string {
  const n = name.trim()
  const q = n[0]
  if (q === '"' || q === '`') return n.slice(1, -1).split(q + q).join(q)
  if (q === '[') return n.slice(1, -1)
  return n
}

/** Column names in `(a, "b" DESC)`. */
function columnList(text: string): string[] {
  return splitTopLevel(text).map((c) => unquote(c.replace(/\s+(COLLATE\s+\S+|ASC|DESC)\s*$/gi, '')))
}

interface Declared {
  readonly name?: string
  readonly kind: 'primary key' | 'unique' | 'check' | 'foreign key'
  readonly columns: readonly string[]
  readonly expr?: string
}

const NAMED = /^CONSTRAINT\s+("(?:[^"]|"")*"|`[^`]*`|\[[^\]]*\]|\S+)\s+/i
const IDENT = /^("(?:[^"]|"")*"|`[^`]*`|\[[^\]]*\]|[^\s(]+)/

/** The constraints a CREATE TABLE declares, table-level and column-level, with their names when given. */
function declared(createSql: string): Declared[] {
  const out: Declared[] = []
  for (const part of splitTopLevel(balanced(createSql, createSql.indexOf('(')))) {
    const named = NAMED.exec(part)
    const rest = named ? part.slice(named[0].length) : part
    const name = named ? unquote(named[1]) : undefined
    const kind = /^(PRIMARY\s+KEY|UNIQUE|CHECK|FOREIGN\s+KEY)\b/i.exec(rest)?.[1].toLowerCase().replace(/\s+/, ' ') as Declared['kind'] | undefined
    if (kind) {
      const inner = balanced(rest, rest.indexOf('('))
      out.push(kind === 'check' ? { name, kind, columns: [], expr: inner.trim() } : { name, kind, columns: columnList(inner) })
      continue
    }
    // A column definition: its own CHECKs and named constraints.
    const column = unquote(IDENT.exec(part)?.[1] ?? '')
    const re = /(?:CONSTRAINT\s+("(?:[^"]|"")*"|`[^`]*`|\S+)\s+)?(CHECK|UNIQUE|REFERENCES)\b/gi
    for (let m = re.exec(part); m; m = re.exec(part)) {
      const k = m[2].toLowerCase()
      const constraintName = m[1] ? unquote(m[1]) : undefined
      if (k === 'check') {
        const open = part.indexOf('(', m.index + m[0].length - 1)
        out.push({ name: constraintName, kind: 'check', columns: [column], expr: balanced(part, open).trim() })
      } else if (constraintName) out.push({ name: constraintName, kind: k === 'unique' ? 'unique' : 'foreign key', columns: [column] })
    }
  }
  return out
}

const same = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((x, i) => x === b[i])

function action(text: unknown): FkAction | undefined {
  const a = String(text ?? '').toLowerCase()
  return a === '' || a === 'no action' ? undefined : (a as FkAction)
}

async function tableModel(query: CatalogQuery, name: string, createSql: string): Promise<ModelTable> {
  const q = `"${name.replace(/"/g, '""')}"`
  const all = await query(`PRAGMA table_xinfo(${q})`)
  const info = all.filter((c) => Number(c.hidden) === 0)
  // Generated columns (hidden 2 virtual, 3 stored) are not in the model: named in `unread`.
  const unread: string[] = all.filter((c) => Number(c.hidden) >= 2).map((c) => `column ${String(c.name)} generated from other columns`)
  const constraints = declared(createSql)
  const primaryKey = info.filter((c) => Number(c.pk) > 0).sort((a, b) => Number(a.pk) - Number(b.pk)).map((c) => String(c.name))
  const columns = info.map((c) => {
    const declaredType = String(c.type)
    const autoIncrement = primaryKey.length === 1 && primaryKey[0] === c.name && declaredType.toUpperCase() === 'INTEGER'
    return {
      name: String(c.name),
      ...parseType(declaredType),
      nullable: Number(c.notnull) === 0 && !primaryKey.includes(String(c.name)),
      ...(c.dflt_value !== null && c.dflt_value !== undefined && !autoIncrement ? { default: String(c.dflt_value) } : {}),
      autoIncrement,
    }
  })
  const indexes: ModelIndex[] = []
  const uniques: ModelIndex[] = []
  for (const index of await query(`PRAGMA index_list(${q})`)) {
    if (index.origin === 'pk') continue
    const info = (await query(`PRAGMA index_info("${String(index.name).replace(/"/g, '""')}")`)).sort((a, b) => Number(a.seqno) - Number(b.seqno))
    // An index on an expression (a column without a name) or over some rows only is not in the model.
    const partial = Number(index.partial) === 1
    if (partial || info.some((c) => c.name === null)) {
      unread.push(`index ${String(index.name)} ${partial ? 'with a WHERE' : 'on an expression'}`)
      continue
    }
    const cols = info.map((c) => String(c.name))
    if (index.origin === 'u') {
      const given = constraints.find((c) => c.kind === 'unique' && same(c.columns, cols))?.name
      uniques.push({ name: given ?? constraintName(name, cols, 'key'), columns: cols, unique: true })
    } else indexes.push({ name: String(index.name), columns: cols, unique: Number(index.unique) === 1 })
  }
  const fkRows = await query(`PRAGMA foreign_key_list(${q})`)
  const foreignKeys = [...new Set(fkRows.map((r) => Number(r.id)))].map((id) => {
    const rows = fkRows.filter((r) => Number(r.id) === id).sort((a, b) => Number(a.seq) - Number(b.seq))
    const cols = rows.map((r) => String(r.from))
    const onDelete = action(rows[0].on_delete)
    const onUpdate = action(rows[0].on_update)
    return {
      name: constraints.find((c) => c.kind === 'foreign key' && same(c.columns, cols))?.name ?? constraintName(name, cols, 'fkey'),
      columns: cols,
      table: String(rows[0].table),
      references: rows.map((r) => String(r.to)),
      ...(onDelete ? { onDelete } : {}),
      ...(onUpdate ? { onUpdate } : {}),
    }
  })
  const checks: ModelCheck[] = constraints
    .filter((c) => c.kind === 'check')
    .map((c, i) => ({ name: c.name ?? (c.columns.length === 1 ? checkName(name, c.columns[0]) : checkName(name, String(i + 1))), expr: c.expr! }))
  const enums = enumsFromChecks(name, columns, checks)
  return { name, columns: enums.columns, primaryKey, indexes, uniques, checks: enums.checks, foreignKeys, ...(unread.length ? { unread } : {}) }
}

/**
 * The model of every table of a SQLite database.
 * @example await introspect((text) => engine.all(sql.raw(text)))
 */
export async function introspect(query: CatalogQuery): Promise<ModelSchema> {
  const tables = await query(`SELECT name, sql FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY name`)
  const out: ModelTable[] = []
  for (const t of tables) out.push(await tableModel(query, String(t.name), String(t.sql)))
  return modelSchema(out)
}
