/**
 * Snapshots of column values and the comparison that decides what changed. Only column values
 * are copied and compared: a snapshot is one array per entity, in the table's column order.
 */
import type { ColumnMeta } from '@quarry/core'

/** Column values at load or flush time, in `TableInfo.tracked` order (stored columns, then computed fields). */
export type Snapshot = readonly unknown[]

/** Copies a value so later in-place changes (a Date's setters, a JSON object) stay visible. */
function copy(value: unknown, column: ColumnMeta): unknown {
  if (value === null || value === undefined) return value
  if (column.type === 'json') return JSON.stringify(value)
  if (value instanceof Date) return new Date(value.getTime())
  if (value instanceof Uint8Array) return value.slice()
  return value
}

/** The value a snapshot slot stands for (a fresh copy, safe to hand out). */
export function restored(saved: unknown, column: ColumnMeta): unknown {
  if (saved === null || saved === undefined) return saved
  if (column.type === 'json') return JSON.parse(saved as string)
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

/** True when the current value equals the snapshot's (by content for dates, bytes and JSON). */
export function unchanged(current: unknown, saved: unknown, column: ColumnMeta): boolean {
  if (current === saved) return true
  if (current === null || current === undefined || saved === null || saved === undefined) return false
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
  let out: number[] | undefined
  for (let i = 0; i < columns.length; i++) {
    const current = obj[columns[i].key]
    if (current === undefined) continue
    if (!unchanged(current, snapshot[i], columns[i])) (out ??= []).push(i)
  }
  return out ?? NONE
}

const NONE: readonly number[] = Object.freeze([])
