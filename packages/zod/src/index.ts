/**
 * @quarry/zod: zod validators derived from Quarry tables (every constraint the schema declares),
 * codecs between JSON and Quarry's values, and database errors as field errors.
 */
import { tableMetaOf, type AnyTable } from '@quarry/core'
import { untranslatedChecks as untranslated } from './checks.js'

export { insertSchema, selectSchema, updateSchema } from './schemas.js'
export type { BaseSchema, ColumnOverrides, ColumnSchema, InsertSchema, SchemaOptions, SelectSchema, UpdateSchema } from './schemas.types.js'
export { toFieldErrors, type FieldError } from './field-errors.js'

/**
 * The CHECK constraints of a table that the derived validators cannot enforce (SQL beyond
 * `column <op> number`, `length(column) <op> number`, BETWEEN, `<> ''`): only the database rejects what they forbid.
 * @example untranslatedChecks(events) // ['events_ordered_check']
 */
export function untranslatedChecks(table: AnyTable): string[] {
  return untranslated(tableMetaOf(table))
}
