/** The pure diff, without a database: renames from hints, changes, order, and meanings over spellings. */
import type { ModelColumn, ModelTable } from '@quarry/core'
import { describe, expect, test } from 'vitest'
import { defaultKey, diff, expressionKey, reverse } from '../../packages/migrate/src'

const col = (name: string, extra: Partial<ModelColumn> = {}): ModelColumn => ({ name, type: 'integer', nullable: false, autoIncrement: false, ...extra })
const table = (name: string, columns: ModelColumn[], extra: Partial<ModelTable> = {}): ModelTable => ({
  name,
  columns,
  primaryKey: [columns[0].name],
  indexes: [],
  uniques: [],
  checks: [],
  foreignKeys: [],
  ...extra,
})

describe('diff', () => {
  test('identical models give no ops', () => {
    const users = table('users', [col('id'), col('name', { type: 'text' })])
    expect(diff({ tables: [users] }, { tables: [users] })).toEqual([])
  })

  test('renamedFrom on a table and a column renames, never drops and adds', () => {
    const from = { tables: [table('people', [col('id'), col('full_name', { type: 'text' })])] }
    const to = { tables: [table('users', [col('id'), col('name', { type: 'text', renamedFrom: 'full_name' })], { renamedFrom: 'people' })] }
    expect(diff(from, to)).toEqual([
      { kind: 'renameTable', from: 'people', to: 'users' },
      { kind: 'renameColumn', table: 'users', from: 'full_name', to: 'name' },
    ])
  })

  test('without a hint a column is dropped and another added', () => {
    const from = { tables: [table('users', [col('id'), col('a', { type: 'text' })])] }
    const to = { tables: [table('users', [col('id'), col('b', { type: 'text' })])] }
    expect(diff(from, to).map((o) => o.kind)).toEqual(['dropColumn', 'addColumn'])
  })

  test('an enum value appended is one alterColumn; its reverse restores the old values', () => {
    const from = { tables: [table('t', [col('id'), col('mood', { type: 'enum', values: ['a', 'b'] })])] }
    const to = { tables: [table('t', [col('id'), col('mood', { type: 'enum', values: ['a', 'b', 'c'] })])] }
    const ops = diff(from, to)
    expect(ops).toEqual([{ kind: 'alterColumn', table: 't', from: from.tables[0].columns[1], to: to.tables[0].columns[1] }])
    expect(reverse(ops[0])).toEqual({ kind: 'alterColumn', table: 't', from: to.tables[0].columns[1], to: from.tables[0].columns[1] })
  })

  test('new tables come parents first, a cycle closes with addForeignKey; dropped tables children first', () => {
    const fk = (name: string, target: string) => ({ name: `${name}_fkey`, columns: ['ref'], table: target, references: ['id'] })
    const a = table('a', [col('id'), col('ref', { nullable: true })], { foreignKeys: [fk('a', 'b')] })
    const b = table('b', [col('id'), col('ref', { nullable: true })], { foreignKeys: [fk('b', 'c')] })
    const c = table('c', [col('id'), col('ref', { nullable: true })], { foreignKeys: [fk('c', 'a')] })
    const ops = diff({ tables: [] }, { tables: [a, b, c] })
    expect(ops.map((o) => o.kind)).toEqual(['createTable', 'createTable', 'createTable', 'addForeignKey'])
    const child = table('child', [col('id'), col('ref')], { foreignKeys: [fk('child', 'parent')] })
    const parent = table('parent', [col('id')])
    const drops = diff({ tables: [child, parent] }, { tables: [] })
    expect(drops.map((o) => (o.kind === 'dropTable' ? o.table.name : o.kind))).toEqual(['dropForeignKey', 'child', 'parent'])
  })

  test('changed indexes, checks and foreign-key actions are dropped and added again', () => {
    const base = table('t', [col('id'), col('x')])
    const from = { tables: [{ ...base, indexes: [{ name: 't_x_idx', columns: ['x'], unique: false }], checks: [{ name: 't_x_check', expr: 'x > 0' }] }] }
    const to = { tables: [{ ...base, indexes: [{ name: 't_x_idx', columns: ['x'], unique: true }], checks: [{ name: 't_x_check', expr: 'x > 1' }] }] }
    expect(diff(from, to).map((o) => o.kind)).toEqual(['dropIndex', 'dropCheck', 'createIndex', 'addCheck'])
  })
})

describe('meanings over spellings', () => {
  test('defaults as each database reports them', () => {
    const text = { type: 'varchar' } as const
    expect(defaultKey("'a'::character varying", text)).toBe(defaultKey("'a'", text))
    expect(defaultKey("'it\\'s'", text)).toBe(defaultKey("'it''s'", text))
    expect(defaultKey('1', { type: 'boolean' })).toBe(defaultKey('TRUE', { type: 'boolean' }))
    expect(defaultKey('1.50', { type: 'numeric' })).toBe(defaultKey("'1.5'", { type: 'numeric' }))
    expect(defaultKey('NULL', text)).toBeUndefined()
    expect(defaultKey("(CURRENT_TIMESTAMP AT TIME ZONE 'UTC'::text)", { type: 'timestamp' })).toBe(defaultKey("(CURRENT_TIMESTAMP AT TIME ZONE 'UTC')", { type: 'timestamp' }))
    expect(defaultKey("'a'", text)).not.toBe(defaultKey("'b'", text))
  })

  test('check expressions: quoting, casts and IN written as = ANY (ARRAY[…])', () => {
    expect(expressionKey("(small >= '-10'::integer)")).toBe(expressionKey('"small" >= -10'))
    expect(expressionKey("((status = ANY (ARRAY['a'::text, 'b'::text])))")).toBe(expressionKey(`"status" IN ('a', 'b')`))
    expect(expressionKey('x > 0')).not.toBe(expressionKey('x > 1'))
  })
})
