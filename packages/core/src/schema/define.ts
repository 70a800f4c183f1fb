/**
 * `defineSchema` and `table`: from a plain literal to table objects (column refs, relation refs,
 * runtime metadata). Names are resolved once here: casing, constraint names, relation join columns.
 */
import { brand, isNode, node } from '../ast/brand.js'
import type { ColumnNode, Node } from '../ast/nodes.js'
import { SchemaError } from '../errors.js'
import { toSnakeCase } from './casing.js'
import type { CheckSchema } from './check.types.js'
import type { CheckInput, ColumnInput, RelationInput, SchemaInput, SchemaOptions, TableInput, UniqueInput } from './input.js'
import { STORED_FORMS, type CheckMeta, type ColumnMeta, type ForeignKeyMeta, type IndexMeta, type RelationMeta, type SchemaMeta, type StoredForm, type TableMeta } from './meta.js'
import { checkName, constraintName, isReservedKey } from './names.js'
import { checkColumnInput, checkDistinctNames } from './check-input.js'
import { setOwner } from './owner.js'
import { makeNamesUnique } from './unique-names.js'
import { ALIAS, TABLE } from './symbols.js'
import type { AnyTable, Aliased, Schema } from './table.types.js'

const SCHEMA_META: unique symbol = Symbol.for('quarry.schema')
/** The schema each table belongs to, so relation refs can reach their target tables. */
const schemaOfTable = new WeakMap<TableMeta, SchemaMeta>()
/** The table object `defineSchema` made for each table: what `tableOf(meta)` gives back. */
const objectOfTable = new WeakMap<TableMeta, AnyTable>()

/**
 * Declare a schema: tables by key, each a plain literal.
 * @example defineSchema({ users: { columns: { id: { type: 'integer', primaryKey: true } } } }, { casing: 'snake_case' })
 */
export function defineSchema<const TSchema extends SchemaInput>(
  tables: TSchema & CheckSchema<TSchema>,
  options: SchemaOptions = {},
): Schema<TSchema> {
  const casing = options.casing ?? 'preserve'
  const sqlName = casing === 'snake_case' ? toSnakeCase : (name: string) => name
  const metas: Record<string, TableMeta> = {}
  const input = tables as SchemaInput
  /** Index entries whose name the schema gave. */
  const givenNames = new Set<object>()
  for (const [key, def] of Object.entries(input)) {
    if (isReservedKey(key)) throw new SchemaError(`table key '${key}' is reserved in JavaScript objects (it reaches their prototype); use another key (the SQL name can stay: name: '${key}')`)
    metas[key] = tableMeta(key, def, sqlName, givenNames)
  }
  checkDistinctNames('tables', Object.values(metas))
  for (const key of Object.keys(input)) Object.assign(metas[key], { foreignKeys: foreignKeys(metas[key], metas, givenNames) })
  makeNamesUnique(Object.values(metas), givenNames)
  for (const [key, def] of Object.entries(input)) Object.assign(metas[key], { relations: relations(key, def, metas) })
  const schemaMeta: SchemaMeta = Object.freeze({ kind: 'schemaMeta', tables: metas, casing })
  const result: Record<string | symbol, unknown> = { [SCHEMA_META]: schemaMeta }
  for (const meta of Object.values(metas)) {
    deepFreeze(meta)
    schemaOfTable.set(meta, schemaMeta)
    for (const column of meta.columnList) setOwner(column, meta.name)
  }
  for (const key of Object.keys(metas)) {
    result[key] = tableObject(metas[key], undefined)
    objectOfTable.set(metas[key], result[key] as AnyTable)
  }
  return Object.freeze(result) as Schema<TSchema>
}

/** Declare one table on its own (in its own file), to assemble later with `defineSchema`. */
export function table<const TTable extends TableInput>(definition: TTable): TTable {
  return definition
}

/** The runtime metadata of a schema object. */
export function schemaMetaOf(schema: object): SchemaMeta {
  const meta = (schema as Record<symbol, SchemaMeta>)[SCHEMA_META]
  if (!meta) throw new SchemaError('expected a schema made by defineSchema()')
  return meta
}

/** The runtime metadata of a table object. */
export function tableMetaOf(table: AnyTable): TableMeta {
  return table[TABLE]
}

/**
 * The table object for a table's runtime metadata: the schema's own object, or with `aliasName`
 * one read through that alias (as `alias()` makes). Typed loosely: for code holding a `TableMeta`.
 * @example
 * tableOf(schemaMetaOf(schema).tables.users) === schema.users // true
 * select(tableOf(meta, 'boss'))                              // SELECT … FROM "users" AS "boss"
 */
export function tableOf(meta: TableMeta, aliasName?: string): AnyTable {
  const own = objectOfTable.get(meta)
  if (!own) throw new SchemaError(`tableOf(): table ${meta.key} was not made by defineSchema()`)
  return aliasName === undefined ? own : tableObject(meta, aliasName)
}

/** Is this value a table object (or an alias of one)? */
export function isTable(value: unknown): value is AnyTable {
  return typeof value === 'object' && value !== null && TABLE in value
}

/**
 * The same table under another name, for self-joins.
 * @example const boss = alias(users, 'boss'); select({ name: users.username, boss: boss.username }).from(users).leftJoin(boss, eq(boss.id, users.managerId))
 */
export function alias<TTable extends AnyTable, const TAlias extends string>(table: TTable, name: TAlias): Aliased<TTable, TAlias> {
  return tableObject(table[TABLE], name) as never
}

function tableMeta(key: string, def: TableInput, sqlName: (name: string) => string, givenNames: Set<object>): TableMeta {
  const name = def.name ?? sqlName(key)
  if (!def.columns || typeof def.columns !== 'object') throw new SchemaError(`table ${key}: 'columns' must be an object`)
  const pkKeys = def.primaryKey ?? Object.keys(def.columns).filter((c) => def.columns[c].primaryKey)
  for (const pk of pkKeys) {
    if (!def.columns[pk]) throw new SchemaError(`table ${key}: primaryKey names unknown column '${pk}'`)
  }
  const columns: Record<string, ColumnMeta> = {}
  for (const [colKey, col] of Object.entries(def.columns)) {
    if (isReservedKey(colKey)) throw new SchemaError(`table ${key}: column key '${colKey}' is reserved in JavaScript objects (rows would set their prototype); use another key (the SQL name can stay: name: '${colKey}')`)
    columns[colKey] = columnMeta(key, colKey, col, sqlName, pkKeys)
  }
  const colName = (k: string): string => {
    const column = columns[k]
    if (!column) throw new SchemaError(`table ${key}: unknown column '${k}'`)
    if (column.computed) throw new SchemaError(`table ${key}: '${k}' is a computed field, not a stored column`)
    return column.name
  }
  const columnList = Object.values(columns)
  checkDistinctNames(`table ${key}: columns`, columnList.filter((c) => !c.computed))
  const indexes: IndexMeta[] = columnList
    .filter((c) => def.columns[c.key].index && !c.unique)
    .map((c) => ({ name: constraintName(name, [c.name], 'idx'), columns: [c.key], unique: false }))
  for (const index of def.indexes ?? []) {
    const names = index.columns.map(colName)
    const entry = { name: index.name ?? constraintName(name, names, index.unique ? 'key' : 'idx'), columns: [...index.columns], unique: !!index.unique }
    if (index.name !== undefined) givenNames.add(entry)
    indexes.push(entry)
  }
  const uniques: IndexMeta[] = columnList
    .filter((c) => c.unique && !c.primaryKey)
    .map((c) => ({ name: constraintName(name, [c.name], 'key'), columns: [c.key], unique: true }))
  for (const u of def.uniques ?? []) {
    const cols = Array.isArray(u) ? (u as readonly string[]) : (u as UniqueInput).columns
    if (!Array.isArray(cols)) throw new SchemaError(`table ${key}: each of uniques must be a list of column keys or { columns, name }`)
    const given = Array.isArray(u) ? undefined : (u as UniqueInput).name
    if (given !== undefined && (typeof given !== 'string' || given === '')) throw new SchemaError(`table ${key}: uniques { columns, name }: name must be a non-empty string`)
    const entry = { name: given ?? constraintName(name, cols.map(colName), 'key'), columns: [...cols], unique: true }
    if (given !== undefined) givenNames.add(entry)
    uniques.push(entry)
  }
  const checks = Object.entries(def.checks ?? {}).map(([checkKey, check]) => {
    const entry = checkMeta(key, name, checkKey, check)
    if (!isNode(check)) givenNames.add(entry)
    return entry
  })
  if (def.softDelete !== undefined) colName(def.softDelete)
  return {
    kind: 'tableMeta',
    key,
    name,
    columns,
    columnList,
    primaryKey: pkKeys,
    indexes,
    uniques,
    checks,
    foreignKeys: [],
    relations: {},
    softDelete: def.softDelete,
    renamedFrom: def.renamedFrom,
  }
}

/** One entry of `checks`: an expression (named `<table>_<key>_check`) or `{ name, expr }`. */
function checkMeta(tableKey: string, table: string, key: string, check: CheckInput): CheckMeta {
  if (isNode(check)) {
    if (check.kind !== 'raw') throw new SchemaError(`table ${tableKey}: check '${key}' must be SQL (sql\`…\`) or { name, expr }`)
    return { name: checkName(table, key), expr: check }
  }
  if (typeof check !== 'object' || check === null || !isNode(check.expr) || check.expr.kind !== 'raw') {
    throw new SchemaError(`table ${tableKey}: check '${key}' must be SQL (sql\`…\`) or { name, expr: sql\`…\` }`)
  }
  if (typeof check.name !== 'string' || check.name === '') throw new SchemaError(`table ${tableKey}: check '${key}' has { name, expr }: name must be a non-empty string`)
  return { name: check.name, expr: check.expr }
}

function columnMeta(table: string, key: string, col: ColumnInput, sqlName: (name: string) => string, pkKeys: readonly string[]): ColumnMeta {
  if (!col || typeof col !== 'object' || typeof col.type !== 'string') {
    throw new SchemaError(`column ${table}.${key}: expected { type: ... }`)
  }
  checkColumnInput(table, key, col)
  const primaryKey = pkKeys.includes(key)
  if (col.computed) {
    if (typeof col.computed !== 'function') throw new SchemaError(`column ${table}.${key}: computed must be a function of the table's columns`)
    // A computed field has no column in the database, so nothing about storage applies to it.
    const stored = STORAGE_OPTIONS.filter((option) => option in col && col[option] !== undefined && col[option] !== false)
    if (primaryKey) stored.unshift('primaryKey')
    if (stored.length) throw new SchemaError(`column ${table}.${key}: a computed field is not stored and cannot have ${[...new Set(stored)].join(', ')}`)
  }
  const ref = typeof col.references === 'string' ? { to: col.references, onDelete: col.onDelete } : col.references
  let references: ColumnMeta['references']
  if (ref) {
    const [refTable, refColumn, extra] = ref.to.split('.')
    if (!refTable || !refColumn || extra !== undefined) {
      throw new SchemaError(`column ${table}.${key}: references must be 'table.column', got '${ref.to}'`)
    }
    if (ref.name !== undefined && (typeof ref.name !== 'string' || ref.name === '')) throw new SchemaError(`column ${table}.${key}: references.name must be a non-empty string (the foreign key's constraint name)`)
    references = { table: refTable, column: refColumn, onDelete: ref.onDelete ?? col.onDelete, onUpdate: ref.onUpdate, ...(ref.name !== undefined ? { name: ref.name } : {}) }
  }
  return {
    key,
    name: sqlName(key),
    type: col.type,
    nullable: !!col.nullable,
    primaryKey,
    // Only a column-level `primaryKey: true` numbers itself, as the insert types say (NewRow).
    autoIncrement: col.primaryKey === true && pkKeys.length === 1 && (col.type === 'integer' || col.type === 'bigint') && !references,
    unique: !!col.unique,
    length: col.length,
    precision: col.precision,
    scale: col.scale,
    withTimezone: col.withTimezone,
    stored: storedForm(table, key, col),
    values: col.values,
    default: col.default,
    hasDefault: 'default' in col,
    serverDefault: col.serverDefault,
    onUpdate: col.onUpdate,
    references,
    renamedFrom: col.renamedFrom,
    sqlType: col.sqlType,
    toDriver: col.toDriver as ColumnMeta['toDriver'],
    fromDriver: col.fromDriver as ColumnMeta['fromDriver'],
    computed: col.computed,
    schema: col.schema,
  }
}

function storedForm(table: string, key: string, col: ColumnInput): StoredForm | undefined {
  if (col.stored === undefined) return undefined
  const forms = STORED_FORMS[col.type]
  if (!forms?.includes(col.stored)) {
    throw new SchemaError(`column ${table}.${key}: stored: '${String(col.stored)}' is not a stored form of ${col.type}${forms ? ` (use ${forms.map((f) => `'${f}'`).join(' or ')})` : ' (only numeric and timestamp columns declare one)'}`)
  }
  return col.stored
}

const STORAGE_OPTIONS = ['primaryKey', 'unique', 'index', 'default', 'serverDefault', 'onUpdate', 'references', 'renamedFrom'] as const

function foreignKeys(meta: TableMeta, all: Record<string, TableMeta>, givenNames: Set<object>): ForeignKeyMeta[] {
  return meta.columnList
    .filter((c) => c.references)
    .map((c) => {
      const ref = c.references!
      const target = all[ref.table]
      if (!target) throw new SchemaError(`column ${meta.key}.${c.key}: references unknown table '${ref.table}'`)
      if (!target.columns[ref.column]) {
        throw new SchemaError(`column ${meta.key}.${c.key}: references unknown column '${ref.table}.${ref.column}'`)
      }
      const fk = {
        name: ref.name ?? constraintName(meta.name, [c.name], 'fkey'),
        columns: [c.key],
        table: ref.table,
        references: [ref.column],
        onDelete: ref.onDelete,
        onUpdate: ref.onUpdate,
      }
      if (ref.name !== undefined) givenNames.add(fk)
      return fk
    })
}

function fkTo(from: TableMeta, to: string, explicit: string | undefined, where: string): ForeignKeyMeta {
  const candidates = from.foreignKeys.filter((fk) => fk.table === to && (!explicit || fk.columns[0] === explicit))
  if (candidates.length !== 1) {
    const why = candidates.length === 0 ? `no foreign key in ${from.key} references ${to}` : `several foreign keys in ${from.key} reference ${to}; set foreignKey`
    throw new SchemaError(`relation ${where}: ${why}`)
  }
  return candidates[0]
}

function relations(key: string, def: TableInput, all: Record<string, TableMeta>): Record<string, RelationMeta> {
  const out: Record<string, RelationMeta> = {}
  for (const [relKey, rel] of Object.entries(def.relations ?? {}) as [string, RelationInput][]) {
    const where = `${key}.${relKey}`
    if (isReservedKey(relKey)) throw new SchemaError(`relation ${where}: the key '${relKey}' is reserved in JavaScript objects; use another key`)
    const cascade = rel.cascade ?? ['save-update']
    if ('one' in rel) {
      if (!all[rel.one]) throw new SchemaError(`relation ${where}: unknown table '${rel.one}'`)
      const fk = fkTo(all[key], rel.one, rel.foreignKey, where)
      out[relKey] = { key: relKey, kind: 'one', target: rel.one, backPopulates: rel.backPopulates, sourceColumns: fk.columns, targetColumns: fk.references, cascade }
    } else if (rel.through) {
      if (!all[rel.many]) throw new SchemaError(`relation ${where}: unknown table '${rel.many}'`)
      const assoc = all[rel.through]
      if (!assoc) throw new SchemaError(`relation ${where}: unknown through table '${rel.through}'`)
      const toSource = fkTo(assoc, key, undefined, where)
      const toTarget = rel.many === key ? assoc.foreignKeys.find((fk) => fk !== toSource && fk.table === key)! : fkTo(assoc, rel.many, undefined, where)
      out[relKey] = {
        key: relKey,
        kind: 'many',
        target: rel.many,
        through: rel.through,
        backPopulates: rel.backPopulates,
        sourceColumns: toSource.references,
        targetColumns: toTarget.references,
        throughSourceColumns: toSource.columns,
        throughTargetColumns: toTarget.columns,
        cascade,
      }
    } else {
      const target = all[rel.many]
      if (!target) throw new SchemaError(`relation ${where}: unknown table '${rel.many}'`)
      const fk = fkTo(target, key, rel.foreignKey, where)
      out[relKey] = { key: relKey, kind: 'many', target: rel.many, backPopulates: rel.backPopulates, sourceColumns: fk.references, targetColumns: fk.columns, cascade }
    }
  }
  return out
}

/** Builds the table object: column refs and relation refs under `alias` (or the table's own name). */
function tableObject(meta: TableMeta, aliasName: string | undefined): AnyTable {
  const scope = aliasName ?? meta.key
  const qualifier = aliasName ?? meta.name
  const obj: Record<string | symbol, unknown> = { [TABLE]: meta, [ALIAS]: aliasName }
  for (const column of meta.columnList) {
    obj[column.key] = node({ kind: 'column', scope, qualifier, key: column.key, meta: column } satisfies ColumnNode)
  }
  for (const column of meta.columnList) {
    if (column.computed) obj[column.key] = computedNode(column, obj)
  }
  const tables = schemaOfTable.get(meta)?.tables ?? {}
  for (const relation of Object.values(meta.relations)) {
    const through = relation.through ? tables[relation.through] : undefined
    obj[relation.key] = Object.freeze({ kind: 'relationRef', scope, qualifier, table: meta, relation, target: tables[relation.target], through })
  }
  return Object.freeze(brand(obj, 'table')) as unknown as AnyTable // cast: the table's column and relation types are inferred from the schema literal, not from this object
}

function computedNode(column: ColumnMeta, columns: Record<string, unknown>): Node {
  return column.computed!(columns) as Node
}

function deepFreeze(value: unknown): void {
  if (typeof value !== 'object' || value === null || Object.isFrozen(value)) return
  Object.freeze(value)
  // A column's declared schema is the user's live validator (zod fills its caches lazily): left as it is.
  for (const [key, v] of Object.entries(value)) if (key !== 'schema') deepFreeze(v)
}
