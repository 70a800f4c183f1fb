/**
 * Issue 13 §5 and §2: meanings that differed by dialect without an error. A backslash in a LIKE
 * pattern is a literal character everywhere (it was an escape on PostgreSQL and MariaDB, a literal
 * on SQLite, and a pattern ending in one failed on PostgreSQL); an expression selected and used
 * again in GROUP BY / ORDER BY is one expression to the database (PostgreSQL refused a CASE with
 * parameters as not grouped); a JSON key MariaDB cannot read is refused, never read as NULL.
 */
import { asc, caseWhen, CompileError, count, DataError, literal, defineSchema, desc, ilike, insert, jsonText, like, lt, notLike, select } from '@quarry/core'
import type { Condition } from '@quarry/core'
import { expect, test } from 'vitest'
import { forEachDialect } from '../../support'
import { seeded } from './seed'

const schema = defineSchema({
  texts: { columns: { id: { type: 'integer', primaryKey: true }, body: { type: 'text' }, pattern: { type: 'text' } } },
  items: { columns: { id: { type: 'integer', primaryKey: true }, price: { type: 'integer' }, doc: { type: 'json' } } },
  events: { columns: { id: { type: 'integer', primaryKey: true }, at: { type: 'timestamp' }, done: { type: 'boolean' }, big: { type: 'bigint' } } },
})
const { texts, items, events } = schema

const BODIES = ['a\\b', 'ab', 'a\\', 'a', 'A\\B', 'a%b', 'C:\\dir\\file']

forEachDialect((db) => {
  const rows = BODIES.map((body, i) => ({ id: i + 1, body, pattern: body }))
  /** The bodies matching each condition, in id order (one database per test). */
  const bodiesWhere = async (...conditions: Condition<'texts'>[]) => {
    const engine = await seeded(db, schema, insert(texts).values(rows))
    const out: string[][] = []
    for (const where of conditions) out.push((await engine.all(select({ body: texts.body }).from(texts).where(where).orderBy(asc(texts.id)))).map((row) => row.body))
    return out
  }

  test('a backslash in a LIKE pattern is a literal character on every dialect, also at its end', async () => {
    expect(
      await bodiesWhere(like(texts.body, 'a\\b'), like(texts.body, 'a\\'), like(texts.body, 'a\\%'), ilike(texts.body, 'a\\b'), like(texts.body, 'C:\\dir\\%'), notLike(texts.body, '%\\%')),
    ).toEqual([['a\\b'], ['a\\'], ['a\\b', 'a\\'], ['a\\b', 'A\\B'], ['C:\\dir\\file'], ['ab', 'a', 'a%b']])
  })

  test('a pattern from a column: its backslashes are literal too', async () => {
    // Each row's body matches its own pattern (backslashes literal, % and _ wildcards).
    expect(await bodiesWhere(like(texts.body, texts.pattern))).toEqual([BODIES])
  })

  test('with an escape character given, backslash is a plain character and the escape works', async () => {
    expect(await bodiesWhere(like(texts.body, 'a!%b', { escape: '!' }), like(texts.body, 'a\\_', { escape: '!' }))).toEqual([['a%b'], ['a\\b']])
  })

  test('an expression selected and used again in GROUP BY and ORDER BY is one expression to the database', async () => {
    const engine = await seeded(db, schema, insert(items).values([3, 30, 5, 50, 500].map((price, i) => ({ id: i + 1, price, doc: {} }))))
    const band = caseWhen([[lt(items.price, 10), 'cheap'], [lt(items.price, 100), 'fair']], 'dear')
    const result = await engine.all(select({ band, n: count() }).from(items).groupBy(band).orderBy(desc(band)))
    expect(result).toEqual([
      { band: 'fair', n: 2 },
      { band: 'dear', n: 1 },
      { band: 'cheap', n: 2 },
    ])
  })

  test('an explicit id 0 is stored as 0, or refused on MariaDB (its AUTO_INCREMENT takes 0 as "the next id")', async () => {
    const engine = await seeded(db, schema)
    const zero = insert(items).values([0, 1, 2].map((id) => ({ id, price: id, doc: {} })))
    if (db.dialect === 'mysql') {
      await expect(engine.execute(zero)).rejects.toThrow(DataError)
      await expect(engine.execute(zero)).rejects.toThrow(/items\.id .*an id of 0/)
      await expect(engine.execute(insert(items).values({ id: 0n as never, price: 0, doc: {} }))).rejects.toThrow(DataError)
      expect(await engine.scalar(select(count()).from(items))).toBe(0)
      // Generated ids (DEFAULT) and other explicit ids go in as before.
      await engine.execute(insert(items).values([{ price: 7, doc: {} }, { id: 5, price: 5, doc: {} }]))
      expect(await engine.all(select({ price: items.price }).from(items).orderBy(asc(items.price)))).toEqual([{ price: 5 }, { price: 7 }])
    } else {
      await engine.execute(zero)
      expect(await engine.all(select({ id: items.id, price: items.price }).from(items).orderBy(asc(items.id)))).toEqual([0, 1, 2].map((id) => ({ id, price: id })))
    }
  })

  test('a UNION whose first branch selects NULL decodes the other branches by their columns (a Date stays a Date)', async () => {
    const at = new Date('2024-03-01T12:00:00.000Z')
    const engine = await seeded(db, schema, insert(events).values({ id: 1, at, done: true, big: 2n ** 60n }))
    const rows = await engine.all(
      select({ id: literal(0), at: literal(null), done: literal(null), big: literal(null) })
        .from(events)
        .union(select({ id: events.id, at: events.at, done: events.done, big: events.big }).from(events))
        .orderBy('id'),
    )
    expect(rows).toEqual([
      { id: 0, at: null, done: null, big: null },
      { id: 1, at, done: true, big: 2n ** 60n },
    ])
  })

  test('a JSON key starting with "-" is read on SQLite and PostgreSQL, and refused on MariaDB (it reads NULL there)', async () => {
    const engine = await seeded(db, schema, insert(items).values({ id: 1, price: 1, doc: { '-k': 'dash', 'a\tb': 'tab' } }))
    const query = select({ dash: jsonText(items.doc, '-k'), tab: jsonText(items.doc, 'a\tb') }).from(items)
    if (db.dialect === 'mysql') {
      await expect(engine.all(query)).rejects.toThrow(CompileError)
      await expect(engine.all(query)).rejects.toThrow(/JSON key "-k"/)
      expect(await engine.all(select({ tab: jsonText(items.doc, 'a\tb') }).from(items))).toEqual([{ tab: 'tab' }])
    } else {
      expect(await engine.all(query)).toEqual([{ dash: 'dash', tab: 'tab' }])
    }
  })
})
