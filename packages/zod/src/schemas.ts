/**
 * `selectSchema`, `insertSchema` and `updateSchema`: zod objects derived from a table, one schema
 * per column with every constraint Quarry knows, nullability, optional defaults, CHECKs where
 * their SQL is simple, the column's declared schema (json documents, brands), per-column
 * overrides, and, with `{ wire: true }`, codecs between JSON and the values Quarry binds.
 */
import { tableMetaOf, type AnyTable, type ColumnMeta, type TableMeta } from '@quarry/core'
import { z } from 'zod'
import { columnChecks } from './checks.js'
import { valueSchema, WIRE_ONLY, wireSchema } from './columns.js'
import type { InsertSchema, SchemaOptions, SelectSchema, UpdateSchema } from './schemas.types.js'

type Use = 'select' | 'insert' | 'update'

/** SQL table names seen by the derived schemas, so `toFieldErrors` can name fields by their keys. */
const knownTables = new Map<string, TableMeta>()

/** The table a derived schema was made for, by its SQL name. */
export function knownTable(sqlName: string): TableMeta | undefined {
  return knownTables.get(sqlName)
}

/** Remembers a table for `toFieldErrors` (the derived schemas do it themselves). */
export function registerTable(meta: TableMeta): void {
  knownTables.set(meta.name, meta)
}

function isOptional(column: ColumnMeta, use: Use): boolean {
  if (use === 'update') return true
  if (use === 'select') return false
  return column.hasDefault || column.serverDefault !== undefined || column.nullable || column.autoIncrement
}

/** zod types JSON Schema has no form for, met as a column's value (its refinements keep the type). */
const UNREPRESENTABLE = new Set(['bigint', 'date', 'custom', 'pipe'])

/**
 * A column whose values JSON Schema cannot describe (`bigint`, `Date`, `Uint8Array`) is described by
 * its wire form, whatever the direction: a `Date` travels as an ISO 8601 string either way.
 */
function describedAsWire(schema: z.ZodType, column: ColumnMeta): z.ZodType {
  if (!WIRE_ONLY.has(column.type) || !UNREPRESENTABLE.has(schema._zod.def.type)) return schema
  const wire = wireSchema(column, valueSchema(column))
  const input = wire instanceof z.ZodPipe ? (wire.in as z.ZodType) : wire
  let cached: object | undefined
  // The JSON Schema generator follows `parent` (the schema this one was refined from) even past an
  // override, into a Date or bigint it cannot describe: this schema stands on its own.
  ;(schema._zod as { parent?: unknown }).parent = undefined
  schema._zod.toJSONSchema = () => {
    if (cached === undefined) {
      const { $schema: _ignored, ...rest } = z.toJSONSchema(input, { io: 'input' }) as Record<string, unknown>
      cached = rest
    }
    return cached
  }
  return schema
}

function columnSchema(column: ColumnMeta, table: TableMeta, options: SchemaOptions, use: Use): z.ZodType {
  let schema = valueSchema(column)
  for (const check of columnChecks(table).get(column.key) ?? []) schema = schema.refine(check.test, check.message)
  const declared = column.schema
  if (column.type !== 'json' && declared instanceof z.ZodType) schema = schema.pipe(declared)
  const override = (options.columns as Record<string, unknown> | undefined)?.[column.key]
  if (options.wire) schema = wireSchema(column, schema)
  if (typeof override === 'function') schema = (override as (base: z.ZodType) => z.ZodType)(schema)
  else if (override instanceof z.ZodType) schema = override
  else if (override !== undefined) throw new TypeError(`${table.key}.${column.key}: an override is a zod schema or a function of the column's schema`)
  schema = describedAsWire(schema, column)
  if (column.nullable) schema = schema.nullable()
  if (isOptional(column, use)) schema = schema.optional()
  return schema
}

function derive(table: AnyTable, options: SchemaOptions, use: Use): z.ZodObject {
  const meta = tableMetaOf(table)
  registerTable(meta)
  const known = options.columns ? Object.keys(options.columns).filter((key) => !(key in meta.columns)) : []
  if (known.length > 0) throw new TypeError(`table ${meta.key} has no column ${known.map((k) => `'${k}'`).join(', ')} (columns: ${Object.keys(meta.columns).join(', ')})`)
  const shape: Record<string, z.ZodType> = {}
  for (const column of meta.columnList) {
    if (column.computed && use !== 'select') continue
    shape[column.key] = columnSchema(column, meta, options, use)
  }
  return use === 'select' ? z.object(shape) : z.strictObject(shape)
}

/**
 * The zod schema of a table's rows as read: every column, nullable ones `.nullable()`.
 * @example
 * const User = selectSchema(users, { wire: true })
 * z.encode(User, row)            // { id: 1, createdAt: '2024-01-02T03:04:05.000Z', … }
 */
export function selectSchema<TTable extends AnyTable, const TOptions extends SchemaOptions<TTable> = {}>(table: TTable, options?: TOptions & SchemaOptions<TTable, TOptions>): SelectSchema<TTable, TOptions> {
  // The runtime object is built loosely; its exact zod type is the declared return type.
  return derive(table, options ?? {}, 'select') as never
}

/**
 * The zod schema of a new row: required columns required; defaulted, server-defaulted, nullable and
 * auto-increment columns optional. Unknown keys are refused.
 * @example
 * const NewUser = insertSchema(users, { wire: true, columns: { email: (s) => s.email() } })
 * const values = NewUser.parse(await c.req.json())   // ready for insert(users).values(values)
 */
export function insertSchema<TTable extends AnyTable, const TOptions extends SchemaOptions<TTable> = {}>(table: TTable, options?: TOptions & SchemaOptions<TTable, TOptions>): InsertSchema<TTable, TOptions> {
  // The runtime object is built loosely; its exact zod type is the declared return type.
  return derive(table, options ?? {}, 'insert') as never
}

/**
 * The zod schema of a patch: every stored column optional, each with its constraints. Unknown keys are refused.
 * @example updateSchema(posts).parse({ title: 'New title' })
 */
export function updateSchema<TTable extends AnyTable, const TOptions extends SchemaOptions<TTable> = {}>(table: TTable, options?: TOptions & SchemaOptions<TTable, TOptions>): UpdateSchema<TTable, TOptions> {
  // The runtime object is built loosely; its exact zod type is the declared return type.
  return derive(table, options ?? {}, 'update') as never
}
