/**
 * Schema mistakes from untyped JavaScript (or a cast) are a SchemaError when the schema is defined,
 * naming the table and column (issue 12, "Developer mistakes"): before, two tables with one SQL name
 * were both "created" (the second CREATE TABLE IF NOT EXISTS did nothing), an unknown `type` wrote
 * `"x" undefined` into CREATE TABLE, and a `length` or precision given as text was inlined into it.
 */
import { defineSchema, getDialect, schemaMetaOf, SchemaError } from '@quarry/core'
import { describe, expect, test } from 'vitest'
import { createTableStatement } from '../../packages/core/src/ddl/create'
import { DIALECTS } from './compile-all'

const loose = (value: unknown) => value as never
const id = { type: 'integer', primaryKey: true }
/** A schema with one table `t` whose column `c` is `column`. */
const withColumn = (column: object) => defineSchema(loose({ t: { columns: { id, c: column } } }))

describe('two tables or two columns with one SQL name', () => {
  test('tables: the same name, a key and another table\'s name, or names differing only in case', () => {
    expect(() => defineSchema(loose({ a: { name: 'x', columns: { id } }, b: { name: 'x', columns: { id } } }))).toThrow(SchemaError)
    expect(() => defineSchema(loose({ a: { name: 'x', columns: { id } }, b: { name: 'x', columns: { id } } }))).toThrow(/tables a and b have the same SQL name 'x'/)
    expect(() => defineSchema(loose({ users: { columns: { id } }, people: { name: 'users', columns: { id } } }))).toThrow(/tables users and people have the same SQL name 'users'/)
    expect(() => defineSchema(loose({ userPosts: { columns: { id } }, user_posts: { columns: { id } } }), { casing: 'snake_case' })).toThrow(/tables userPosts and user_posts have the same SQL name 'user_posts'/)
    // SQLite (and MySQL on case-insensitive file systems) treat these as one table.
    expect(() => defineSchema(loose({ a: { name: 'Users', columns: { id } }, b: { name: 'users', columns: { id } } }))).toThrow(/tables a and b have the same SQL name 'Users'/)
  })

  test('columns of one table', () => {
    expect(() => defineSchema(loose({ t: { columns: { id, createdAt: { type: 'text' }, created_at: { type: 'text' } } } }), { casing: 'snake_case' })).toThrow(
      /table t: columns createdAt and created_at have the same SQL name 'created_at'/,
    )
  })

  test('distinct names are accepted', () => {
    expect(() => defineSchema(loose({ a: { columns: { id } }, b: { columns: { id } } }))).not.toThrow()
  })
})

describe('column types and sizes', () => {
  test('an unknown type names the table, the column and the known types', () => {
    expect(() => withColumn({ type: 'x' })).toThrow(SchemaError)
    expect(() => withColumn({ type: 'x' })).toThrow(/column t\.c: unknown type 'x' \(expected one of integer, smallint, .*custom\)/)
    expect(() => withColumn({ type: 'varchar(10)' })).toThrow(/column t\.c: unknown type 'varchar\(10\)'/)
  })

  const bad: unknown[] = ['10', '10); DROP TABLE t; --', 10.5, -1, NaN, Infinity, true, null]
  for (const option of ['length', 'precision', 'scale'] as const) {
    test(`${option}: only a whole number of the right range, never inlined as given`, () => {
      const type = option === 'length' ? 'varchar' : 'numeric'
      for (const value of bad) {
        expect(() => withColumn({ type, precision: option === 'scale' ? 20 : undefined, [option]: value }), `${option}: ${String(value)}`).toThrow(
          new RegExp(`column t\\.c: ${option} must be a whole number`),
        )
      }
    })
  }

  test('ranges: length from 1, numeric precision from 1 and scale up to it, time and timestamp precision 0–6', () => {
    expect(() => withColumn({ type: 'varchar', length: 0 })).toThrow(/column t\.c: length must be a whole number from 1, got 0/)
    expect(() => withColumn({ type: 'numeric', precision: 0 })).toThrow(/column t\.c: precision must be a whole number from 1, got 0/)
    expect(() => withColumn({ type: 'numeric', precision: 5, scale: 6 })).toThrow(/column t\.c: scale 6 is larger than precision 5/)
    expect(() => withColumn({ type: 'timestamp', precision: 7 })).toThrow(/column t\.c: precision must be a whole number from 0 to 6, got 7/)
    expect(() => withColumn({ type: 'time', precision: -1 })).toThrow(/column t\.c: precision must be a whole number from 0 to 6, got -1/)
  })

  test('an enum needs its values as a non-empty list of strings', () => {
    expect(() => withColumn({ type: 'enum' })).toThrow(/column t\.c: an enum needs values: a non-empty array of strings/)
    expect(() => withColumn({ type: 'enum', values: [] })).toThrow(/column t\.c: an enum needs values/)
    expect(() => withColumn({ type: 'enum', values: 'a,b' })).toThrow(/column t\.c: an enum needs values/)
    expect(() => withColumn({ type: 'enum', values: ['a', 1] })).toThrow(/column t\.c: an enum needs values/)
  })

  test('valid sizes keep the DDL they always had', () => {
    const schema = defineSchema({
      t: {
        columns: {
          id: { type: 'integer', primaryKey: true },
          v: { type: 'varchar', length: 20 },
          n: { type: 'numeric', precision: 10, scale: 2 },
          at: { type: 'timestamp', precision: 0 },
          e: { type: 'enum', values: ['a', 'b'] },
        },
      },
    })
    const meta = schemaMetaOf(schema)
    const ddl = DIALECTS.map((dialect) => createTableStatement(meta.tables.t, meta, getDialect(dialect)))
    expect(ddl.join('\n')).toContain('"v" varchar(20)')
    expect(ddl.join('\n')).toContain('`n` DECIMAL(10, 2)')
  })
})
