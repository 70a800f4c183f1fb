/**
 * Shaping positional driver rows into result objects (no database needed).
 */
import { expect, test, vi } from 'vitest'
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

test('plucked rows: each driver row is the value of the only field', () => {
  const object: ResultShape = { fields: [{ key: 'b', type: boolean }], nullableGroups: [] }
  const build = rowBuilder(object, sqliteDialect, true)
  expect(buildRows([1, 0, null], build)).toEqual([{ b: true }, { b: false }, { b: null }])
  expect(rowBuilder(object, sqliteDialect, true)).toBe(build)
  expect(rowBuilder(object, sqliteDialect)).not.toBe(build)
  expect(rowBuilder(object, sqliteDialect)([1])).toEqual({ b: true })
  expect(buildRows([1, null], rowBuilder({ ...object, single: true }, sqliteDialect, true))).toEqual([true, null])
  const grouped: ResultShape = { fields: [{ key: 'name', group: 'tag' }], nullableGroups: ['tag'] }
  expect(buildRows(['a', null], rowBuilder(grouped, sqliteDialect, true))).toEqual([{ tag: { name: 'a' } }, { tag: null }])
  expect(firstValue(object, 1, sqliteDialect, true)).toBe(true)
  expect(firstValue(object, null, sqliteDialect, true)).toBeNull()
})

test('plucked rows without code generation', () => {
  vi.stubGlobal('Function', function refuse() {
    throw new EvalError('code generation from strings disallowed')
  })
  try {
    const object = rowBuilder({ fields: [{ key: 'interpreted', type: boolean }], nullableGroups: [] }, sqliteDialect, true)
    expect(buildRows([1, null], object)).toEqual([{ interpreted: true }, { interpreted: null }])
    const grouped = rowBuilder({ fields: [{ key: 'interpreted', group: 'tag' }], nullableGroups: ['tag'] }, sqliteDialect, true)
    expect(buildRows(['a', null], grouped)).toEqual([{ tag: { interpreted: 'a' } }, { tag: null }])
  } finally {
    vi.unstubAllGlobals()
  }
})
