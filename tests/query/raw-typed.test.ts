/**
 * Issue 13 §1, raw `sql<T>`: T is an assertion the driver's values are not checked against
 * (`count(*)` comes back as 7 on SQLite, '7' on PostgreSQL and MariaDB). Counted through a
 * builder, or through `sql.typed(type)`, the value is decoded as that type on every dialect.
 */
import { count, defineSchema, eq, insert, select, sql } from '@quarry/core'
import { expect, test } from 'vitest'
import { forEachDialect } from '../support'

const schema = defineSchema({
  books: { columns: { id: { type: 'integer', primaryKey: true }, title: { type: 'text' }, at: { type: 'timestamp' } } },
})
const { books } = schema
const AT = new Date('2024-03-01T12:00:00Z')

forEachDialect((db) => {
  async function seeded() {
    const engine = await db.engine()
    await engine.createAll(schema)
    await engine.execute(insert(books).values(Array.from({ length: 7 }, (_, i) => ({ id: i + 1, title: `b${i + 1}`, at: AT }))))
    return engine
  }

  test('count(*) through a builder is a number on every dialect', async () => {
    const engine = await seeded()
    expect(await engine.scalar(select(count()).from(books))).toBe(7)
    expect(await engine.one(select({ n: count() }).from(books))).toEqual({ n: 7 })
  })

  test('sql.typed decodes a raw statement and a raw expression as its type on every dialect', async () => {
    const engine = await seeded()
    expect(await engine.scalar(sql.typed('integer')`SELECT count(*) FROM ${books}`)).toBe(7)
    expect(await engine.all(sql.typed('integer')`SELECT count(*) FROM ${books}`)).toEqual([7])
    expect(await engine.one(select({ n: sql.typed('integer')`count(*)` }).from(books))).toEqual({ n: 7 })
    expect(await engine.one(select({ big: sql.typed('bigint')`count(*)` }).from(books))).toEqual({ big: 7n })
    expect(await engine.all(select({ yes: sql.typed('boolean')`${books.id} > 5` }).from(books).orderBy(books.id))).toEqual(
      [false, false, false, false, false, true, true].map((yes) => ({ yes })),
    )
    expect(await engine.scalar(sql.typed('timestamp')`SELECT max(${books.at}) FROM ${books}`)).toEqual(AT)
    expect(await engine.scalar(sql.typed('double')`SELECT avg(${books.id}) FROM ${books} WHERE ${books.id} < ${3}`)).toBe(1.5)
    expect(await engine.scalar(sql.typed('text')`SELECT ${books.title} FROM ${books} WHERE ${eq(books.id, 2)}`)).toBe('b2')
    // NULL stays null.
    expect(await engine.scalar(sql.typed('integer')`SELECT max(${books.id}) FROM ${books} WHERE ${books.id} > 100`)).toBeNull()
  })

  test('sql<T> asserts T without decoding: rows come as the driver gives them', async () => {
    const engine = await seeded()
    const row = await engine.one(sql<{ n: number }>`SELECT count(*) AS n FROM ${books}`)
    // What README says: T is unchecked; the value is 7 on SQLite and '7' (a bigint's text) on PostgreSQL and MariaDB.
    expect(Number(row.n)).toBe(7)
    expect(typeof row.n).toBe(db.dialect === 'sqlite' ? 'number' : 'string')
  })

  test('sql.typed refuses a type it cannot decode, naming it', () => {
    expect(() => sql.typed('enum' as never)).toThrow(/sql\.typed\(\): unknown type 'enum'/)
  })
})
