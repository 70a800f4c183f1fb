/**
 * PostgreSQL introspection from `pg_catalog`, in the current schema: four queries, whatever the
 * number of tables (columns, constraints, indexes that back no constraint, and the table list).
 */
import { enumsFromChecks, typeArgs } from '../../model/catalog.js'
import { modelSchema, type CatalogQuery, type ModelColumn, type ModelSchema, type ModelTable, type ModelType } from '../../model/model.js'
import type { ColumnType, FkAction } from '../../schema/meta.js'

const TYPES: Readonly<Record<string, ColumnType>> = {
  integer: 'integer', int: 'integer', int4: 'integer', smallint: 'smallint', int2: 'smallint', bigint: 'bigint', int8: 'bigint',
  real: 'real', float4: 'real', 'double precision': 'double', float8: 'double', numeric: 'numeric', decimal: 'numeric',
  boolean: 'boolean', bool: 'boolean', text: 'text', varchar: 'varchar', 'character varying': 'varchar', char: 'char', character: 'char',
  bpchar: 'char', uuid: 'uuid', date: 'date', time: 'time', 'time without time zone': 'time', timestamp: 'timestamp',
  'timestamp without time zone': 'timestamp', timestamptz: 'timestamp', 'timestamp with time zone': 'timestamp', jsonb: 'json', bytea: 'bytes',
}

/**
 * A PostgreSQL type (as DDL writes it or as `format_type` reports it) in portable terms; a time
 * or timestamp without a precision has PostgreSQL's own, 6.
 * @example parseType('timestamp(3) with time zone') // { type: 'timestamp', precision: 3, withTimezone: true }
 */
export function parseType(text: string): ModelType {
  const name = text.replace(/\([^)]*\)/, '').trim().toLowerCase().replace(/\s+/g, ' ')
  const type = TYPES[name]
  if (!type) return { type: 'custom', sqlType: text }
  const [a, b] = typeArgs(text)
  switch (type) {
    case 'numeric':
      return { type, ...(a !== undefined ? { precision: a } : {}), ...(b !== undefined ? { scale: b } : {}) }
    case 'varchar':
    case 'char':
      return { type, ...(a !== undefined ? { length: a } : {}) }
    case 'time':
      return { type, precision: a ?? 6 }
    case 'timestamp':
      return { type, precision: a ?? 6, ...(name === 'timestamptz' || name.includes('with time zone') ? { withTimezone: true } : {}) }
    default:
      return { type }
  }
}

const ACTIONS: Readonly<Record<string, FkAction | undefined>> = { a: undefined, r: 'restrict', c: 'cascade', n: 'set null', d: 'set default' }

const COLUMNS = `SELECT c.relname AS "table", a.attname AS name, format_type(a.atttypid, a.atttypmod) AS type, a.attnotnull AS notnull,
  pg_get_expr(d.adbin, d.adrelid) AS "default", a.attidentity AS identity, a.attgenerated AS generated
FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace
LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p') AND a.attnum > 0 AND NOT a.attisdropped
ORDER BY c.relname, a.attnum`

const names = (rel: string, keys: string) =>
  `ARRAY(SELECT a.attname::text FROM unnest(${keys}) WITH ORDINALITY k(n, i) JOIN pg_attribute a ON a.attrelid = ${rel} AND a.attnum = k.n ORDER BY k.i)`

const CONSTRAINTS = `SELECT c.relname AS "table", con.conname AS name, con.contype AS type, ${names('con.conrelid', 'con.conkey')} AS columns,
  f.relname AS ref_table, ${names('con.confrelid', 'con.confkey')} AS ref_columns, con.confdeltype AS on_delete, con.confupdtype AS on_update,
  pg_get_expr(con.conbin, con.conrelid) AS expr
FROM pg_constraint con JOIN pg_class c ON c.oid = con.conrelid JOIN pg_namespace n ON n.oid = c.relnamespace
LEFT JOIN pg_class f ON f.oid = con.confrelid
WHERE n.nspname = current_schema() AND con.contype IN ('p', 'u', 'c', 'f')
ORDER BY c.relname, con.conname`

const INDEXES = `SELECT t.relname AS "table", i.relname AS name, ix.indisunique AS "unique", ${names('ix.indrelid', 'ix.indkey::int2[]')} AS columns,
  ix.indexprs IS NOT NULL AS expression, ix.indpred IS NOT NULL AS partial
FROM pg_index ix JOIN pg_class i ON i.oid = ix.indexrelid JOIN pg_class t ON t.oid = ix.indrelid JOIN pg_namespace n ON n.oid = t.relnamespace
WHERE n.nspname = current_schema()
  AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = ix.indexrelid AND c.contype IN ('p', 'u', 'x'))
ORDER BY t.relname, i.relname`

const TABLES = `SELECT c.relname AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p') ORDER BY c.relname`

/** The indexes and generated columns the model cannot hold, as `unread` notes. */
function unreadOf(indexes: readonly Record<string, unknown>[], generated: readonly Record<string, unknown>[]): { unread?: string[] } {
  const unread = [
    ...generated.map((c) => `column ${String(c.name)} generated as ${String(c.default)}`),
    ...indexes.filter((i) => i.expression || i.partial).map((i) => `index ${String(i.name)} ${i.partial ? 'with a WHERE' : 'on an expression'}`),
  ]
  return unread.length ? { unread } : {}
}

const text = (v: unknown) => (v === null || v === undefined ? undefined : String(v))
const list = (v: unknown): string[] => (Array.isArray(v) ? v.map(String) : [])

/**
 * The model of every table in the current schema of a PostgreSQL database.
 * @example await introspect((text) => engine.all(sql.raw(text)))
 */
export async function introspect(query: CatalogQuery): Promise<ModelSchema> {
  const [tables, columns, constraints, indexes] = [await query(TABLES), await query(COLUMNS), await query(CONSTRAINTS), await query(INDEXES)]
  const group = <T extends Record<string, unknown>>(rows: readonly T[]) => {
    const map = new Map<string, T[]>()
    for (const row of rows) map.set(String(row.table), [...(map.get(String(row.table)) ?? []), row])
    return map
  }
  const columnsOf = group(columns)
  const constraintsOf = group(constraints)
  const indexesOf = group(indexes)
  const out: ModelTable[] = []
  for (const { name: tableName } of tables) {
    const name = String(tableName)
    const cons = constraintsOf.get(name) ?? []
    // Generated columns are not in the model (their expression reads as a default): named in `unread`.
    const generated = (columnsOf.get(name) ?? []).filter((c) => c.generated !== '' && c.generated !== null && c.generated !== undefined)
    const cols: ModelColumn[] = (columnsOf.get(name) ?? []).filter((c) => !generated.includes(c)).map((c) => {
      const def = text(c.default)
      // A serial column numbers itself through its sequence, as an identity column does.
      const serial = def !== undefined && /^nextval\(/i.test(def)
      const autoIncrement = serial || (c.identity !== '' && c.identity !== null && c.identity !== undefined)
      return {
        name: String(c.name),
        ...parseType(String(c.type)),
        nullable: !c.notnull,
        ...(def !== undefined && !serial ? { default: def } : {}),
        autoIncrement,
      }
    })
    const checks = cons.filter((c) => c.type === 'c').map((c) => ({ name: String(c.name), expr: String(c.expr) }))
    const enums = enumsFromChecks(name, cols, checks)
    out.push({
      name,
      columns: enums.columns,
      primaryKey: list(cons.find((c) => c.type === 'p')?.columns),
      // An index on an expression or over some rows only is not in the model: named in `unread`.
      indexes: (indexesOf.get(name) ?? []).filter((i) => !i.expression && !i.partial).map((i) => ({ name: String(i.name), columns: list(i.columns), unique: !!i.unique })),
      uniques: cons.filter((c) => c.type === 'u').map((c) => ({ name: String(c.name), columns: list(c.columns), unique: true })),
      checks: enums.checks,
      foreignKeys: cons
        .filter((c) => c.type === 'f')
        .map((c) => {
          const onDelete = ACTIONS[String(c.on_delete)]
          const onUpdate = ACTIONS[String(c.on_update)]
          return {
            name: String(c.name),
            columns: list(c.columns),
            table: String(c.ref_table),
            references: list(c.ref_columns),
            ...(onDelete ? { onDelete } : {}),
            ...(onUpdate ? { onUpdate } : {}),
          }
        }),
      ...unreadOf(indexesOf.get(name) ?? [], generated),
    })
  }
  return modelSchema(out)
}
