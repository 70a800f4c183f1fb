/**
 * Compile-time validation of a schema literal: references, relation targets and `through` tables,
 * and the column keys a table names besides its columns (primaryKey, indexes, uniques, softDelete,
 * a relation's foreignKey).
 * The cheap path (the W5 budget) gathers every reference and relation target of the schema into
 * one union per table and checks them against one lookup union per schema. Only when something is
 * wrong is the literal rewritten, so the error lands on the offending property with the valid
 * choices as the expected type.
 */
import type { SchemaInput } from './input.js'

/** Every `'table.column'` a reference may name. */
export type ReferenceTargets<TSchema extends SchemaInput> = {
  [T in keyof TSchema & string]: `${T}.${keyof TSchema[T]['columns'] & string}`
}[keyof TSchema & string]

type RefOf<C> = C extends { readonly references: infer R } ? (R extends { readonly to: infer To } ? To : R) : never
type TargetOf<R> = R extends { readonly one: infer T } ? T : R extends { readonly many: infer T; readonly through: infer U } ? T | U : R extends { readonly many: infer T } ? T : never

type SchemaRefs<TSchema extends SchemaInput> = { [T in keyof TSchema]: RefOf<TSchema[T]['columns'][keyof TSchema[T]['columns']]> }[keyof TSchema]
type SchemaTargets<TSchema extends SchemaInput> = {
  [T in keyof TSchema]: TSchema[T] extends { readonly relations: infer R } ? TargetOf<R[keyof R]> : never
}[keyof TSchema]

/** The column keys a table literal names outside its `columns`. */
type LocalNames<T> =
  | (T extends { readonly primaryKey: readonly (infer P)[] } ? P : never)
  | (T extends { readonly indexes: readonly { readonly columns: readonly (infer C)[] }[] } ? C : never)
  | (T extends { readonly uniques: readonly (infer U)[] } ? (U extends readonly (infer C)[] ? C : U extends { readonly columns: readonly (infer C)[] } ? C : never) : never)
  | (T extends { readonly softDelete: infer S } ? S : never)
  | (T extends { readonly relations: infer R } ? { [K in keyof R]: R[K] extends { readonly one: string; readonly foreignKey: infer F } ? F : never }[keyof R] : never)

/** A to-many relation's foreignKey names a column of its target. */
type ManyKeys<TSchema extends SchemaInput, R> = {
  [K in keyof R]: R[K] extends { readonly many: infer M extends keyof TSchema; readonly foreignKey: infer F } ? Exclude<F, keyof TSchema[M]['columns']> : never
}[keyof R]

/**
 * The bad column keys of the tables that name any outside `columns`. Distributes over the union of
 * table literals, so a table without such keys costs one conditional (the W5 schema budget).
 */
type BadLocalNames<TSchema extends SchemaInput, X = TSchema[keyof TSchema]> = X extends
  | { readonly primaryKey: unknown }
  | { readonly indexes: unknown }
  | { readonly uniques: unknown }
  | { readonly softDelete: unknown }
  | { readonly relations: unknown }
  ? Exclude<LocalNames<X>, keyof X['columns' & keyof X]> | (X extends { readonly relations: infer R } ? ManyKeys<TSchema, R> : never)
  : never

/** Intersected with a bad value: not reducible to `never`, so the message shows the valid choices. */
interface Expected<TChoices> {
  readonly 'expected one of': TChoices
}

type FixReference<C, Valid extends string> = C extends { readonly references: infer R }
  ? R extends string
    ? R extends Valid ? unknown : { readonly references: Expected<Valid> }
    : R extends { readonly to: infer To } ? (To extends Valid ? unknown : { readonly references: { readonly to: Expected<Valid> } }) : unknown
  : unknown

type FixRelation<TSchema extends SchemaInput, R, TColumns> = {
  [K in keyof R]: K extends 'one' | 'many' | 'through'
    ? R[K] extends keyof TSchema & string ? unknown : Expected<keyof TSchema & string>
    : K extends 'foreignKey' ? FixForeignKey<R[K], R extends { readonly many: infer M extends keyof TSchema } ? keyof TSchema[M]['columns'] & string : TColumns> : unknown
}

type FixForeignKey<F, TColumns> = F extends TColumns ? unknown : Expected<TColumns>

/** The table-level keys that name columns, typed as the table's column keys. */
type LocalColumns<T, TColumns> = {
  readonly primaryKey?: readonly TColumns[]
  readonly indexes?: readonly { readonly columns: readonly TColumns[] }[]
  readonly uniques?: readonly (readonly TColumns[] | { readonly columns: readonly TColumns[]; readonly name: string })[]
} & (T extends { readonly softDelete: infer S } ? (S extends TColumns ? unknown : { readonly softDelete: Expected<TColumns> }) : unknown)

/** The error path: each bad value gets the valid choices intersected in. */
type Pinpoint<TSchema extends SchemaInput, Valid extends string> = {
  [T in keyof TSchema]: { readonly columns: { [C in keyof TSchema[T]['columns']]: FixReference<TSchema[T]['columns'][C], Valid> } } & LocalColumns<TSchema[T], keyof TSchema[T]['columns'] & string> &
    (TSchema[T] extends { readonly relations: infer R } ? { readonly relations: { [K in keyof R]: FixRelation<TSchema, R[K], keyof TSchema[T]['columns'] & string> } } : unknown)
}

/**
 * `unknown` when every reference and relation target is valid; otherwise the literal with the bad
 * ones pinpointed. Intersected with the literal at the parameter: a conditional parameter type
 * would make inference ten times dearer.
 */
export type CheckSchema<TSchema extends SchemaInput> = [
  Exclude<SchemaRefs<TSchema>, ReferenceTargets<TSchema>> | Exclude<SchemaTargets<TSchema>, keyof TSchema> | BadLocalNames<TSchema>,
] extends [never]
  ? unknown
  : { [T in keyof TSchema & string]: `${T}.${keyof TSchema[T]['columns'] & string}` }[keyof TSchema & string] extends infer Valid extends string
    ? Pinpoint<TSchema, Valid>
    : never
