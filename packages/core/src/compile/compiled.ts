/**
 * What compiling produces: SQL text, its parameters, and how to read the rows it returns.
 */
import type { ColumnMeta } from '../schema/meta.js'

/** One output column of a query, in SQL order. */
export interface ResultField {
  /** The property name in the result object. */
  readonly key: string
  /** When set, the field belongs to a nested object under this key (`{ user: {...} }`). */
  readonly group?: string
  /** How to decode the driver's value; absent means pass through unchanged. */
  readonly type?: ColumnMeta
}

/** How to turn positional driver rows into result objects. */
export interface ResultShape {
  readonly fields: readonly ResultField[]
  /** Groups whose object is `null` when every one of its fields is NULL (outer-joined tables). */
  readonly nullableGroups: readonly string[]
  /** The row is the value of the only field itself (`select(users.email).from(users)` gives `string[]`). */
  readonly single?: boolean
  /** The same shape object comes back for every query over this selection (cache by identity). */
  readonly stable?: boolean
}

/** A compiled statement. */
export interface CompiledQuery {
  readonly sql: string
  /** Parameter values in placeholder order, already encoded for the dialect. */
  readonly params: readonly unknown[]
  /** Present when the statement returns rows. */
  readonly result?: ResultShape
  /**
   * For prepared statements: where each named `param()` goes in `params`
   * (`params[i]` is a placeholder to be replaced by the value of `paramNames[i]`).
   */
  readonly paramSlots?: readonly { readonly index: number; readonly name: string; readonly type?: ColumnMeta; readonly count?: 'limit' | 'offset' }[]
  /** Set when RETURNING must be emulated by the engine (MySQL inserts and updates). */
  readonly emulateReturning?: InsertReturning | UpdateReturning
}

/** RETURNING of an insert emulated: re-select the inserted rows by their generated ids. */
export interface InsertReturning {
  readonly kind: 'insert'
  readonly table: string
  readonly primaryKey: string
  readonly rowCount: number
  /** True when every row gives its key: `selectSql` finds them by those keys (in `selectParams`), not by a range. */
  readonly byKeys?: boolean
  /** The SELECT to run with the inserted ids: its last two placeholders take the id range `[first, end)`. */
  readonly selectSql: string
  /** Parameters of the selection itself (computed fields), bound before the id range. */
  readonly selectParams: readonly unknown[]
}

/**
 * RETURNING of an update emulated in one transaction: lock the keys, update by them, select by
 * the new keys. The engine appends `WHERE keys IN (…)` (`keyListSql`) to the update and the select.
 */
export interface UpdateReturning {
  readonly kind: 'update'
  readonly table: string
  /** Columns in the primary key; each locked row holds its keys, then its new keys. */
  readonly keyWidth: number
  /** The key columns as compared: `t.id` or `(t.a, t.b)`. */
  readonly keyColumns: string
  /** `SELECT keys, new keys FROM t WHERE … FOR UPDATE`. */
  readonly lockSql: string
  readonly lockParams: readonly unknown[]
  /** `UPDATE t SET …`, its WHERE to be appended. */
  readonly updatePrefix: string
  readonly updateParams: readonly unknown[]
  /** `SELECT returned columns FROM t`, its WHERE to be appended. */
  readonly selectPrefix: string
  readonly selectParams: readonly unknown[]
}
