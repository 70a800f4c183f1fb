/**
 * Compile-time validation of a schema literal: references, relation targets and `through` tables.
 * One lookup union per schema; the literal is only rewritten where something is wrong, so the
 * error lands on the offending property with the valid choices as the expected type.
 */
import type { SchemaInput } from './input'

/** Every `'table.column'` a reference may name. */
export type ReferenceTargets<TSchema extends SchemaInput> = {
  [T in keyof TSchema & string]: `${T}.${keyof TSchema[T]['columns'] & string}`
}[keyof TSchema & string]

type CheckReference<R, Valid extends string> = R extends string
  ? R extends Valid ? unknown : { references: Valid | { to: Valid } }
  : R extends { to: infer To } ? (To extends Valid ? unknown : { references: Valid | { to: Valid } }) : unknown

type CheckColumns<TCols, Valid extends string> = {
  [C in keyof TCols]: TCols[C] extends { references: infer R } ? CheckReference<R, Valid> : unknown
}

type CheckRelation<R, TKeys extends string> = (R extends { one: infer T } ? (T extends TKeys ? unknown : { one: TKeys }) : unknown) &
  (R extends { many: infer T } ? (T extends TKeys ? unknown : { many: TKeys }) : unknown) &
  (R extends { through: infer T } ? (T extends TKeys ? unknown : { through: TKeys }) : unknown)

type CheckRelations<TRels, TKeys extends string> = { [K in keyof TRels]: CheckRelation<TRels[K], TKeys> }

type CheckTable<TTable, Valid extends string, TKeys extends string> = {
  columns: TTable extends { columns: infer C } ? CheckColumns<C, Valid> : unknown
} & (TTable extends { relations: infer R } ? { relations: CheckRelations<R, TKeys> } : unknown)

/** `unknown` when every reference is valid; otherwise the shape that pinpoints the bad ones. */
export type CheckSchema<TSchema extends SchemaInput> = {
  [T in keyof TSchema]: CheckTable<TSchema[T], ReferenceTargets<TSchema>, keyof TSchema & string>
}
