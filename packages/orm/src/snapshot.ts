/**
 * Snapshots of column values and the comparison that decides what changed. Only column values
 * are copied and compared: a snapshot is one array per entity, in the table's column order.
 */
import type { ColumnMeta } from '@quarry/core'
import { generated } from '@quarry/core/internal'

/** Column values at load or flush time, in `TableInfo.tracked` order (stored columns, then computed fields). */
export type Snapshot = readonly unknown[]

/**
 * In a date, time or timestamp column a snapshot holds a Date as its time (a number: no copy to
 * allocate), and any other number boxed, so the two stay apart.
 */
function isDateColumn(column: ColumnMeta): boolean {
  return column.type === 'timestamp' || column.type === 'date' || column.type === 'time'
}

/** A number saved from a date column that held a number, not a Date. */
interface BoxedNumber {
  readonly boxed: number
}

/** Copies a value so later in-place changes (a Date's setters, a JSON object) stay visible. */
function copy(value: unknown, column: ColumnMeta): unknown {
  if (value === null || value === undefined) return value
  if (column.type === 'json') return JSON.stringify(value)
  if (typeof value !== 'object') return typeof value === 'number' && isDateColumn(column) ? ({ boxed: value } satisfies BoxedNumber) : value
  if (value instanceof Date) return isDateColumn(column) ? value.getTime() : new Date(value.getTime())
  if (value instanceof Uint8Array) return value.slice()
  return value
}

/** The value a snapshot slot stands for (a fresh copy, safe to hand out). */
export function restored(saved: unknown, column: ColumnMeta): unknown {
  if (saved === null || saved === undefined) return saved
  if (column.type === 'json') return JSON.parse(saved as string)
  if (isDateColumn(column)) {
    if (typeof saved === 'number') return new Date(saved)
    if (typeof saved === 'object' && 'boxed' in saved) return (saved as BoxedNumber).boxed
  }
  if (saved instanceof Date) return new Date(saved.getTime())
  if (saved instanceof Uint8Array) return saved.slice()
  return saved
}

/** Takes a snapshot of an entity's columns (`TableInfo.tracked`). */
export function takeSnapshot(obj: Record<string, unknown>, columns: readonly ColumnMeta[]): Snapshot {
  const out = new Array<unknown>(columns.length)
  for (let i = 0; i < columns.length; i++) out[i] = copy(obj[columns[i].key], columns[i])
  return out
}

/** A function taking the snapshot of `columns` (as `takeSnapshot` does). */
export type SnapshotTaker = (obj: Record<string, unknown>) => Snapshot

/**
 * `takeSnapshot` for one table, generated once: an array literal reading each column by name, so
 * V8 sees one fixed shape. Only object values (and every value of a date or JSON column) go
 * through `copy`; other values are immutable.
 */
export function snapshotTaker(columns: readonly ColumnMeta[]): SnapshotTaker {
  const items = columns.map((c, i) => {
    const read = `o[${JSON.stringify(c.key)}]`
    return isDateColumn(c) || c.type === 'json' ? `copy(${read}, c[${i}])` : `typeof (v = ${read}) === 'object' && v !== null ? copy(v, c[${i}]) : v`
  })
  return (
    generated<SnapshotTaker>(`function takeSnapshot(o) { let v; return [${items.join(', ')}] }`, { copy, c: columns }) ?? ((obj) => takeSnapshot(obj, columns))
  )
}

/** True when the current value equals the snapshot's (by content for dates, bytes and JSON). */
export function unchanged(current: unknown, saved: unknown, column: ColumnMeta): boolean {
  if (current === null || current === undefined || saved === null || saved === undefined) return current === saved
  if (isDateColumn(column)) {
    if (current instanceof Date) return typeof saved === 'number' && current.getTime() === saved
    if (typeof current === 'number') return typeof saved === 'object' && (saved as BoxedNumber).boxed === current
  }
  if (current === saved) return true
  if (column.type === 'json') return JSON.stringify(current) === saved
  if (current instanceof Date && saved instanceof Date) return current.getTime() === saved.getTime()
  if (current instanceof Uint8Array && saved instanceof Uint8Array) {
    if (current.length !== saved.length) return false
    for (let i = 0; i < current.length; i++) if (current[i] !== saved[i]) return false
    return true
  }
  return false
}

/** Indexes of the columns whose value differs from the snapshot (an absent value is no change). */
export function changedColumns(obj: Record<string, unknown>, snapshot: Snapshot, columns: readonly ColumnMeta[]): readonly number[] {
  // Rows are compared table by table: the last table's flags are kept at hand.
  if (columns !== lastColumns) {
    let flags = dateFlags.get(columns)
    if (!flags) dateFlags.set(columns, (flags = columns.map(isDateColumn)))
    lastColumns = columns
    lastDates = flags
  }
  const dates = lastDates
  let out: number[] | undefined
  for (let i = 0; i < columns.length; i++) {
    const current = obj[columns[i].key]
    if (current === undefined) continue
    // The same value is unchanged, except in a date column (where a number may stand for a Date).
    const saved = snapshot[i]
    if (current === saved && !dates[i]) continue
    if (!unchanged(current, saved, columns[i])) (out ??= []).push(i)
  }
  return out ?? NONE
}

/** Per column list, which columns are date columns. */
const dateFlags = new WeakMap<readonly ColumnMeta[], readonly boolean[]>()
let lastColumns: readonly ColumnMeta[] | undefined
let lastDates: readonly boolean[] = []

const NONE: readonly number[] = Object.freeze([])
