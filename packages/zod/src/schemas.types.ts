/**
 * The zod types of the derived schemas, computed from the table's column literal: one zod class
 * per column type (so a refinement callback gets `z.ZodString` for a varchar and can call
 * `.email()`), codecs in wire mode, overrides, nullability and optional keys. Their outputs are
 * exactly `Row`, `NewRow` and `RowPatch`.
 */
import type { AnyTable, BaseValue, ColumnsOf, NewRow, Row, RowPatch } from '@quarry/core'
import type { z } from 'zod'

type Cols<TTable> = ColumnsOf<TTable>

/** The schema of a column's value as Quarry binds it, before its declared schema and nullability. */
type ValueBase<C> = C extends { type: 'integer' | 'smallint' | 'real' | 'double' }
  ? z.ZodNumber
  : C extends { type: 'bigint' }
    ? z.ZodBigInt
    : C extends { type: 'numeric' | 'text' | 'varchar' | 'char' | 'date' | 'time' }
      ? z.ZodString
      : C extends { type: 'boolean' }
        ? z.ZodBoolean
        : C extends { type: 'uuid' }
          ? z.ZodUUID
          : C extends { type: 'timestamp' }
            ? z.ZodDate
            : C extends { type: 'bytes' }
              ? z.ZodCustom<Uint8Array, Uint8Array>
              : C extends { type: 'enum'; values: readonly (infer V extends string)[] }
                ? z.ZodEnum<{ [K in V]: K }>
                : z.ZodType<BaseValue<C>>

/** A json column's declared schema replaces the base; on other columns it is piped after it (a brand). */
type Declared<C, S> = C extends { type: 'json'; schema: infer Z extends z.ZodType }
  ? Z
  : C extends { schema: infer Z extends z.ZodType } ? (S extends z.ZodType ? z.ZodPipe<S, Z> : never) : S

/** The codec between JSON and the value, for the types JSON has no value for. */
type Wire<C, S> = S extends z.ZodType
  ? C extends { type: 'bigint' }
    ? z.ZodCodec<z.ZodString, S>
    : C extends { type: 'timestamp' }
      ? z.ZodCodec<z.ZodISODateTime, S>
      : C extends { type: 'bytes' } ? z.ZodCodec<z.ZodBase64, S> : S
  : never

/** The schema a column's override or refinement receives: `z.ZodString` for a varchar, a codec for a timestamp in wire mode. */
export type BaseSchema<C, TWire extends boolean> = TWire extends true ? Wire<C, Declared<C, ValueBase<C>>> : Declared<C, ValueBase<C>>

/** Per-column overrides: a zod schema replacing the column's, or a function of it (a refinement). */
export type ColumnOverrides<TTable, TWire extends boolean = false> = {
  readonly [K in keyof Cols<TTable>]?: z.ZodType | ((base: BaseSchema<Cols<TTable>[K], TWire>) => z.ZodType)
}

type WireOf<TOptions> = TOptions extends { wire: true } ? true : false

type NoExtra<TGiven, TAllowed> = { readonly [K in Exclude<keyof TGiven, keyof TAllowed>]: never }

/**
 * Options of the derived schemas: `wire: true` for codecs between JSON and Quarry's values, and
 * `columns` to override or refine columns by key (an unknown key is a compile error).
 */
export interface SchemaOptions<TTable = AnyTable, TOptions = { wire?: boolean }> {
  /** Codecs: `parse`/`z.decode` take JSON (bigint, Date, bytes as strings), `z.encode` gives JSON back. */
  readonly wire?: boolean
  readonly columns?: ColumnOverrides<TTable, WireOf<TOptions>> &
    (TOptions extends { columns: infer O } ? NoExtra<O, Cols<TTable>> : unknown)
}

type OverrideOf<TOptions, K> = TOptions extends { columns: infer O } ? (K extends keyof O ? O[K] : undefined) : undefined

type Overridden<C, TWire extends boolean, O> = O extends (base: never) => infer R ? R : O extends z.ZodType ? O : BaseSchema<C, TWire>

type Final<C, S> = S extends z.ZodType ? (C extends { nullable: true } ? z.ZodNullable<S> : S) : never

/** The zod schema of column `K` of `TTable` under `TOptions`, before optionality. */
export type ColumnSchema<TTable, K, TOptions> = K extends keyof Cols<TTable>
  ? Final<Cols<TTable>[K], Overridden<Cols<TTable>[K], WireOf<TOptions>, OverrideOf<TOptions, K>>>
  : never

type RequiredKeys<T> = { [K in keyof T]-?: {} extends Pick<T, K> ? never : K }[keyof T]

type Shape<TTable, TOptions, TRow> = {
  -readonly [K in RequiredKeys<TRow>]: ColumnSchema<TTable, K, TOptions>
} & {
  -readonly [K in Exclude<keyof TRow, RequiredKeys<TRow>>]: ColumnSchema<TTable, K, TOptions> extends infer S extends z.ZodType ? z.ZodOptional<S> : never
} extends infer O
  ? { [K in keyof O]: O[K] }
  : never

/** `selectSchema(table)`: its output is `Row<typeof table>`. */
export type SelectSchema<TTable, TOptions = {}> = z.ZodObject<Shape<TTable, TOptions, Row<TTable>>, z.core.$strip>

/** `insertSchema(table)`: its output is `NewRow<typeof table>`; unknown keys are refused. */
export type InsertSchema<TTable, TOptions = {}> = z.ZodObject<Shape<TTable, TOptions, NewRow<TTable>>, z.core.$strict>

/** `updateSchema(table)`: its output is `RowPatch<typeof table>`; unknown keys are refused. */
export type UpdateSchema<TTable, TOptions = {}> = z.ZodObject<Shape<TTable, TOptions, RowPatch<TTable>>, z.core.$strict>
