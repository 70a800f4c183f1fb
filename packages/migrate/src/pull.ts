/**
 * `quarry pull`: an existing database written as a schema module (`defineSchema({…})`), so Quarry
 * can work on a database it never created. The module is built as data first; that data is
 * declared with `defineSchema` and diffed against the database, and whatever a schema literal
 * cannot say is written into the module as a comment rather than lost silently.
 */
import { constraintName, checkName, defineSchema, physicalName, schemaMetaOf, schemaModel, sql, type ColumnType, type Dialect, type ModelColumn, type ModelIndex, type ModelSchema, type ModelTable, type Queryable, type StoredForm } from '@quarry/core'
import { toSnakeCase } from '@quarry/core/internal'
import { columnMeta } from './meta.js'
import { introspectDatabase } from './database.js'
import { diff } from './diff.js'
import { MigrationError } from './errors.js'
import { defaultKey, sameType } from './normalize.js'
import { describe } from './steps.js'
import { literal } from './write.js'

/** SQL text kept as written: `sql.raw(…)` in the module. */
const RAW: unique symbol = Symbol('quarry.pull.raw')
interface RawText {
  readonly [RAW]: string
}
const raw = (text: string): RawText => ({ [RAW]: text })
const isRaw = (value: unknown): value is RawText => typeof value === 'object' && value !== null && RAW in value

/** Stored forms found per `table` → `column` (SQLite). */
export type StoredForms = ReadonlyMap<string, ReadonlyMap<string, StoredForm>>

/** A schema module written from a database. */
export interface PulledSchema {
  /** The module's TypeScript source. */
  readonly source: string
  /** What the module cannot declare exactly (also written into it as comments); empty when it says everything. */
  readonly notes: readonly string[]
  /** The tables pulled. */
  readonly tables: readonly string[]
}

/**
 * Reads the database `db` is connected to and writes it as a schema module.
 * @example const { source, notes } = await pullSchema(engine, engine.dialect); writeFileSync('src/schema.ts', source)
 */
export async function pullSchema(db: Queryable, dialect: Dialect): Promise<PulledSchema> {
  const model = await introspectDatabase(db, dialect)
  const notes: string[] = []
  const stored = new Map<string, Map<string, StoredForm>>()
  if (dialect.storedForm) {
    const query = (text: string) => db.all(sql.raw<Record<string, unknown>>(text))
    for (const table of model.tables) {
      for (const column of table.columns) {
        if (column.type !== 'timestamp' && column.type !== 'numeric') continue
        const found = await dialect.storedForm(query, table.name, column)
        if (found.form) stored.set(table.name, (stored.get(table.name) ?? new Map()).set(column.name, found.form))
        if (found.note) notes.push(found.note)
      }
    }
  }
  return schemaSource(model, dialect, stored, notes)
}

/**
 * A schema module declaring `model` as `dialect` stores it; no database needed.
 * @example schemaSource(await introspectDatabase(engine, engine.dialect), engine.dialect).source
 */
export function schemaSource(model: ModelSchema, dialect: Dialect, stored: StoredForms = new Map(), found: readonly string[] = []): PulledSchema {
  const names = model.tables.flatMap((t) => [t.name, ...t.columns.map((c) => c.name)])
  const snake = names.some((n) => n.includes('_')) && names.every((n) => /^[a-z][a-z0-9_]*$/.test(n) && toSnakeCase(camel(n)) === n)
  const key = snake ? camel : (name: string) => name
  const notes = [...found]
  const tables: Record<string, unknown> = {}
  const indexNames = new Set<string>()
  for (const table of model.tables) tables[key(table.name)] = tableInput(table, dialect, key, { stored: stored.get(table.name), indexNames }, notes)
  const options = snake ? { casing: 'snake_case' as const } : {}
  notes.push(...leftOver(tables, options, model, dialect))
  const body = literal(tables, '', (v) => (isRaw(v) ? `sql.raw(${JSON.stringify(v[RAW])})` : undefined))
  const lines = [
    '/**',
    ` * The schema of an existing ${dialect.name} database, written by \`quarry pull\`.`,
    ' * Review it (add relations; a key is its SQL name, so renaming one renames the column), then name',
    ' * this module in quarry.config.ts.',
    ' */',
    `import { defineSchema${body.includes('sql.raw(') ? ', sql' : ''} } from '@quarry/core'`,
    '',
    ...notes.map((n) => `// pull: ${n}`),
    ...(notes.length ? [''] : []),
    `export const schema = defineSchema(${body}${snake ? `, { casing: 'snake_case' }` : ''})`,
    '',
  ]
  return { source: lines.join('\n'), notes, tables: model.tables.map((t) => t.name) }
}

function camel(name: string): string {
  return name.replace(/_([a-z0-9])/g, (_, ch: string) => ch.toUpperCase())
}

/** The differences the module would still have from the database: what a schema literal cannot say. */
function leftOver(tables: Record<string, unknown>, options: { casing?: 'snake_case' }, model: ModelSchema, dialect: Dialect): string[] {
  let declared: ModelSchema
  try {
    declared = schemaModel(schemaMetaOf(defineSchema(declaration(tables) as never, options)), dialect) // cast: data built at run time, checked by defineSchema itself
  } catch (error) {
    throw new MigrationError(`pull: the database cannot be declared as a schema: ${error instanceof Error ? error.message : String(error)}`)
  }
  return diff(model, declared).map((op) => `not declared exactly (a migration would ${describe({ kind: 'op', op })}${op.kind === 'alterColumn' ? `: ${changed(op.from, op.to)}` : ''})`)
}

/** What differs between a column as found and as declared: `autoIncrement true in the database, false declared`. */
function changed(found: ModelColumn, declared: ModelColumn): string {
  const fields = [...new Set([...Object.keys(found), ...Object.keys(declared)])] as (keyof ModelColumn)[]
  return fields
    .filter((k) => JSON.stringify(found[k]) !== JSON.stringify(declared[k]))
    .map((k) => `${k} ${JSON.stringify(found[k]) ?? 'none'} in the database, ${JSON.stringify(declared[k]) ?? 'none'} declared`)
    .join('; ')
}

/** The module's data as `defineSchema` takes it: SQL text as raw SQL. */
function declaration(value: unknown): unknown {
  if (isRaw(value)) return sql.raw(value[RAW])
  if (Array.isArray(value)) return value.map(declaration)
  if (typeof value === 'object' && value !== null) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, declaration(v)]))
  return value
}

/** One table as a table literal. */
function tableInput(
  table: ModelTable,
  dialect: Dialect,
  key: (name: string) => string,
  { stored, indexNames }: { stored: ReadonlyMap<string, StoredForm> | undefined; indexNames: Set<string> },
  notes: string[],
): Record<string, unknown> {
  const columns: Record<string, Record<string, unknown>> = {}
  for (const column of table.columns) columns[key(column.name)] = columnInput(column, dialect, stored?.get(column.name))
  const keys = (names: readonly string[]) => names.map(key)
  const out: Record<string, unknown> = { columns }
  for (const what of table.unread ?? []) notes.push(`${table.name}: ${what}: not declared (a schema literal cannot say it; keep it with op.execute in a migration)`)
  const pk = table.primaryKey
  const single = pk.length === 1 ? table.columns.find((c) => c.name === pk[0]) : undefined
  // Only an integer key declared on its column numbers itself; any other key is declared on the table.
  if (single && (single.autoIncrement || !isInteger(single.type))) columns[key(single.name)].primaryKey = true
  else if (pk.length > 0) out.primaryKey = keys(pk)

  for (const fk of table.foreignKeys) {
    if (fk.columns.length !== 1) {
      notes.push(`${table.name}: the foreign key ${fk.name} (${fk.columns.join(', ')}) spans several columns, which a schema literal cannot declare`)
      continue
    }
    const column = columns[key(fk.columns[0])]
    if (column.references) {
      notes.push(`${table.name}.${fk.columns[0]}: a second foreign key (${fk.name}) on one column cannot be declared`)
      continue
    }
    const to = `${key(fk.table)}.${key(fk.references[0])}`
    const named = fk.name !== physicalName(constraintName(table.name, fk.columns, 'fkey'))
    column.references = fk.onDelete || fk.onUpdate || named ? { to, ...(fk.onDelete ? { onDelete: fk.onDelete } : {}), ...(fk.onUpdate ? { onUpdate: fk.onUpdate } : {}), ...(named ? { name: fk.name } : {}) } : to
  }

  const indexes: Record<string, unknown>[] = []
  const uniques: unknown[] = []
  const derived = (index: ModelIndex, suffix: 'key' | 'idx') => index.name === physicalName(constraintName(table.name, index.columns, suffix))
  // A schema gives an index name once (PostgreSQL and SQLite keep them per schema); MySQL keeps them per table.
  const own = (index: ModelIndex) => {
    if (!indexNames.has(index.name)) {
      indexNames.add(index.name)
      return true
    }
    notes.push(`${table.name}: the index ${index.name} has the name of another table's index, which a schema cannot repeat: declared under its default name`)
    return false
  }
  for (const u of table.uniques) {
    if (!derived(u, 'key') && own(u)) uniques.push({ columns: keys(u.columns), name: u.name })
    else if (u.columns.length === 1 && !pk.includes(u.columns[0])) columns[key(u.columns[0])].unique = true
    else uniques.push(keys(u.columns))
  }
  for (const index of table.indexes) {
    const suffix = index.unique ? 'key' : 'idx'
    if (!index.unique && index.columns.length === 1 && derived(index, 'idx')) columns[key(index.columns[0])].index = true
    else indexes.push({ columns: keys(index.columns), ...(index.unique ? { unique: true } : {}), ...(derived(index, suffix) || !own(index) ? {} : { name: index.name }) })
  }
  if (indexes.length) out.indexes = indexes
  if (uniques.length) out.uniques = uniques

  const checks: Record<string, unknown> = {}
  for (const check of table.checks) {
    const own = /^(.+)_check$/.exec(check.name.startsWith(`${table.name}_`) ? check.name.slice(table.name.length + 1) : '')?.[1]
    const name = own !== undefined && /^\w+$/.test(own) && physicalName(checkName(table.name, own)) === check.name ? own : undefined
    let k = name ?? camel(check.name.startsWith(`${table.name}_`) ? check.name.slice(table.name.length + 1) : check.name)
    while (k in checks) k += '_'
    checks[k] = name !== undefined ? raw(check.expr) : { name: check.name, expr: raw(check.expr) }
  }
  if (Object.keys(checks).length) out.checks = checks
  return out
}

const isInteger = (type: ColumnType) => type === 'integer' || type === 'bigint'
const TEXTS: ReadonlySet<ColumnType> = new Set(['text', 'varchar', 'char', 'enum', 'uuid'])
const NUMBERS: ReadonlySet<ColumnType> = new Set(['integer', 'smallint', 'real', 'double'])
const CURRENT_TIMESTAMP = /^(?:CURRENT_TIMESTAMP|now\(\))$/i

/** One column as a column literal: its type with only the sizes that matter on this dialect. */
function columnInput(column: ModelColumn, dialect: Dialect, stored: StoredForm | undefined): Record<string, unknown> {
  const { name: _, nullable, default: dflt, autoIncrement: __, renamedFrom: ___, ...type } = column
  const out: Record<string, unknown> = { ...type }
  // A size the dialect writes anyway (PostgreSQL's timestamp(3), MySQL's DECIMAL(10, 0)) is left out.
  for (const size of ['scale', 'precision', 'length'] as const) {
    if (out[size] === undefined) continue
    const without = { ...column, scale: undefined, precision: undefined, length: undefined, ...out, [size]: undefined }
    if (sameType(dialect.parseType(dialect.columnType(columnMeta(without))), column)) delete out[size]
  }
  if (stored) out.stored = stored
  if (nullable) out.nullable = true
  const value = defaultKey(dflt, column)
  if (dflt !== undefined && value !== undefined) {
    const literalValue = value.startsWith('lit:') ? value.slice(4) : undefined
    if (literalValue !== undefined && TEXTS.has(column.type)) out.default = literalValue
    else if (literalValue !== undefined && NUMBERS.has(column.type) && String(Number(literalValue)) === literalValue) out.default = Number(literalValue)
    else if (literalValue !== undefined && column.type === 'boolean' && /^(true|false)$/.test(literalValue)) out.default = literalValue === 'true'
    // Kept as written: a bare CURRENT_TIMESTAMP would become Quarry's own UTC form of it.
    else out.serverDefault = raw(CURRENT_TIMESTAMP.test(dflt.trim()) ? `(${dflt.trim()})` : dflt)
  }
  return out
}
