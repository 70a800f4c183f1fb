/**
 * Shaping positional driver rows into result objects (no database needed).
 */
import { expect, test } from 'vitest'
import { sqliteDialect } from '../../packages/core/src/dialects'
import type { ResultShape } from '../../packages/core/src/compile/compiled'
import { buildRows, firstValue, rowBuilder } from '../../packages/core/src/engine/result'
import type { ColumnMeta } from '../../packages/core/src/schema/meta'

const boolean = { key: 'b', name: 'b', type: 'boolean', nullable: true, primaryKey: false, autoIncrement: false, unique: false, hasDefault: false } as ColumnMeta

test('flat, grouped and nullable-group rows; decoding only typed fields', () => {
  const shape: ResultShape = {
    fields: [
      { key: 'id', group: 'user' },
      { key: 'active', group: 'user', type: boolean },
      { key: 'id', group: 'post' },
      { key: 'title', group: 'post' },
      { key: 'total' },
    ],
    nullableGroups: ['post'],
  }
  const build = rowBuilder(shape, sqliteDialect)
  expect(buildRows([[1, 1, 7, 'x', 3], [2, 0, null, null, 0]], build)).toEqual([
    { user: { id: 1, active: true }, post: { id: 7, title: 'x' }, total: 3 },
    { user: { id: 2, active: false }, post: null, total: 0 },
  ])
  expect(rowBuilder(shape, sqliteDialect)).toBe(build)
})

test('single-value shapes, odd keys, and scalar decoding', () => {
  expect(buildRows([[1], [0], [null]], rowBuilder({ fields: [{ key: 'b', type: boolean }], nullableGroups: [], single: true }, sqliteDialect))).toEqual([true, false, null])
  const odd = rowBuilder({ fields: [{ key: '__proto__' }, { key: 'a "quoted" key' }], nullableGroups: [] }, sqliteDialect)([1, 2]) as object
  expect(Object.keys(odd)).toEqual(['__proto__', 'a "quoted" key'])
  expect(Object.getPrototypeOf(odd)).toBe(Object.prototype)
  expect(firstValue({ fields: [{ key: 'b', type: boolean }], nullableGroups: [] }, [1], sqliteDialect)).toBe(true)
  expect(firstValue(undefined, ['raw'], sqliteDialect)).toBe('raw')
})
