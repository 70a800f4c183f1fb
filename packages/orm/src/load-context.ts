/**
 * What loaders need from the session: run a query on its connection, turn rows into tracked
 * entities through the identity map, and the limits that size IN lists.
 */
import type { ColumnMeta, Executable } from '@quarry/core'
import { andNode, columnOf, eqNode, inNode, orNode, type Node } from '@quarry/core/internal'
import type { Entity, EntityState } from './entity.js'
import type { TableInfo } from './tables.js'

/** The session services loaders use. */
export interface LoadContext {
  /** Runs a query on the session's connection. */
  all(query: Executable): Promise<unknown[]>
  /** The tracked entity for a row: the identity map's object when there is one. */
  entity(row: Entity, info: TableInfo): EntityState
  /** A tracked entity by primary-key values, without a query. */
  lookup(info: TableInfo, pk: readonly unknown[]): EntityState | undefined
  /** Bind parameters one statement may carry. */
  readonly maxParams: number
  /** Include soft-deleted rows. */
  readonly withDeleted: boolean
}

/** A key for a tuple of column values (`1`, `'1|2'`), comparable across rows and entities. */
export type TupleKey = string | number

/** A key for a tuple of column values, comparable across rows and entities. */
export function tupleKey(values: readonly unknown[]): TupleKey {
  if (values.length === 1) return valueKey(values[0])
  let out = ''
  for (let i = 0; i < values.length; i++) out += (i ? '\u0001' : '') + textKey(values[i])
  return out
}

/**
 * `tupleKey` of one value: a number as itself (no string to build), anything else as text, and
 * text that spells a number as that number, so `1`, `1n` and `'1'` stay one key.
 */
export function valueKey(v: unknown): TupleKey {
  if (typeof v === 'number') return v
  const text = textKey(v)
  const n = Number(text)
  return String(n) === text ? n : text
}

function textKey(v: unknown): string {
  return typeof v === 'string' ? v : v instanceof Date ? String(v.getTime()) : typeof v === 'bigint' ? v.toString() : String(v)
}

/** `tupleKey` of the values of `columns` on a row, without building the tuple. */
export function rowKey(row: Record<string, unknown>, columns: readonly string[]): TupleKey {
  if (columns.length === 1) return valueKey(row[columns[0]])
  let out = ''
  for (let i = 0; i < columns.length; i++) out += (i ? '\u0001' : '') + textKey(row[columns[i]])
  return out
}

/** The values of `columns` on an object, or undefined when one is null. */
export function tupleOf(obj: Entity, columns: readonly string[]): unknown[] | undefined {
  const out = new Array<unknown>(columns.length)
  for (let i = 0; i < columns.length; i++) {
    const v = obj[columns[i]]
    if (v === null || v === undefined) return undefined
    out[i] = v
  }
  return out
}

/** `col IN (…)` for one column, `(a = ? AND b = ?) OR …` for several. */
export function inTuples(info: TableInfo, columns: readonly string[], tuples: readonly (readonly unknown[])[]): Node {
  if (columns.length === 1) return inNode(columnOf(info.ref, columns[0]), tuples.map((t) => t[0]))
  const refs = columns.map((c) => columnOf(info.ref, c))
  return orNode(tuples.map((t) => andNode(refs.map((ref, i) => eqNode(ref, t[i])))))
}

/** Splits tuples into chunks whose parameters stay under `maxParams`. */
export function chunks<T>(items: readonly T[], perItem: number, maxParams: number): T[][] {
  const size = Math.max(1, Math.floor(maxParams / Math.max(1, perItem)))
  const out: T[][] = []
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size))
  return out
}

/** The column metas of keys on a table. */
export function columnsOf(info: TableInfo, keys: readonly string[]): ColumnMeta[] {
  return keys.map((k) => info.meta.columns[k])
}
