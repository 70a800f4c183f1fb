/**
 * Compile-time validation of a schema literal: references, relation targets and `through` tables.
 * The cheap path (the W5 budget) gathers every reference and relation target of the schema into
 * one union per table and checks them against one lookup union per schema. Only when something is
 * wrong is the literal rewritten, so the error lands on the offending property with the valid
 * choices as the expected type.
 */
import type { SchemaInput } from './input'

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

/** Intersected with a bad value: not reducible to `never`, so the message shows the valid choices. */
interface Expected<TChoices> {
  readonly 'expected one of': TChoices
}

type FixReference<C, Valid extends string> = C extends { readonly references: infer R }
  ? R extends string
    ? R extends Valid ? unknown : { readonly references: Expected<Valid> }
    : R extends { readonly to: infer To } ? (To extends Valid ? unknown : { readonly references: { readonly to: Expected<Valid> } }) : unknown
  : unknown

type FixRelation<R, TKeys extends string> = {
  [K in keyof R]: K extends 'one' | 'many' | 'through' ? (R[K] extends TKeys ? unknown : Expected<TKeys>) : unknown
}

/** The error path: each bad value gets the valid choices intersected in. */
type Pinpoint<TSchema extends SchemaInput, Valid extends string, TKeys extends string> = {
  [T in keyof TSchema]: { readonly columns: { [C in keyof TSchema[T]['columns']]: FixReference<TSchema[T]['columns'][C], Valid> } } & (TSchema[T] extends {
    readonly relations: infer R
  }
    ? { readonly relations: { [K in keyof R]: FixRelation<R[K], TKeys> } }
    : unknown)
}

/**
 * `unknown` when every reference and relation target is valid; otherwise the literal with the bad
 * ones pinpointed. Intersected with the literal at the parameter: a conditional parameter type
 * would make inference ten times dearer.
 */
export type CheckSchema<TSchema extends SchemaInput> = [
  Exclude<SchemaRefs<TSchema>, ReferenceTargets<TSchema>> | Exclude<SchemaTargets<TSchema>, keyof TSchema>,
] extends [never]
  ? unknown
  : { [T in keyof TSchema & string]: `${T}.${keyof TSchema[T]['columns'] & string}` }[keyof TSchema & string] extends infer Valid extends string
    ? Pinpoint<TSchema, Valid, keyof TSchema & string>
    : never
