/**
 * A dialect is a list of differences from standard SQL: small named hooks plus capabilities as data.
 * Shared code branches on capabilities, never on a dialect's name. Dialect modules never import a driver.
 */
import type { ColumnMeta } from '../schema/meta'

export type DialectName = 'sqlite' | 'postgres' | 'mysql'

/** What a dialect can do natively. */
export interface Capabilities {
  /** RETURNING on insert/update/delete. */
  readonly returning: boolean
  readonly upsertStyle: 'on conflict' | 'on duplicate key'
  readonly transactionalDdl: boolean
  /** Bind-parameter limit per statement. */
  readonly maxParams: number
  readonly fullJoin: boolean
  /** Native `NULLS FIRST` / `NULLS LAST`. */
  readonly nullsOrdering: boolean
  /** `FOR UPDATE` / `SKIP LOCKED`. */
  readonly locking: boolean
}

/** The hooks and data that make up a dialect. */
export interface Dialect {
  readonly name: DialectName
  readonly capabilities: Capabilities
  /** Quote one identifier, escaping the quote character. */
  quote(name: string): string
  /** The placeholder for the parameter at 1-based `index`. */
  placeholder(index: number): string
  /** Encode a JS value for the driver; `type` is the column the value meets, when known. */
  encode(value: unknown, type?: ColumnMeta): unknown
  /** Decode a driver value into the column's declared JS type. */
  decode(value: unknown, type: ColumnMeta): unknown
  /** The SQL type for a column (DDL and CAST). */
  columnType(column: ColumnMeta): string
}
