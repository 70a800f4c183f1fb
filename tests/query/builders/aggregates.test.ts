/**
 * Issue 13 §2 aggregates: stringAgg (ordered, distinct, never truncated: MariaDB's default
 * group_concat_max_len of 1,024 would cut a long result silently), every/some, and jsonAgg, with
 * identical results on every dialect, including over no rows and over NULLs.
 */
import { asc, cast, count, defineSchema, desc, eq, every, filter, gt, insert, isNull, jsonAgg, jsonObjectAgg, select, some, stringAgg, sum, type Expr } from '@quarry/core'
import { expect, test } from 'vitest'
import { forEachDialect } from '../../support'
import { seeded as seed } from './seed'

const schema = defineSchema({
  tags: {
    columns: {
      id: { type: 'integer', primaryKey: true },
      post: { type: 'integer' },
      name: { type: 'varchar', length: 2000, nullable: true },
      score: { type: 'double' },
      published: { type: 'boolean', nullable: true },
      amount: { type: 'numeric', precision: 8, scale: 2 },
    },
  },
})
const { tags } = schema

const ROWS = [
  { id: 1, post: 1, name: 'b', score: 1.5, published: true, amount: '1.10' },
  { id: 2, post: 1, name: 'a', score: 2, published: false, amount: '2.20' },
  { id: 3, post: 1, name: 'b', score: -0.25, published: true, amount: '3.30' },
  { id: 4, post: 1, name: null, score: 0.1, published: null, amount: '4.40' },
  { id: 5, post: 2, name: 'say "hi", \\ ok', score: 3, published: true, amount: '5.50' },
  { id: 6, post: 2, name: 'ünï', score: 4, published: true, amount: '6.60' },
  { id: 7, post: 3, name: null, score: 5, published: null, amount: '7.70' },
]

forEachDialect((db) => {
  const seeded = () => seed(db, schema, insert(tags).values(ROWS))
  const perPost = <T,>(engine: Awaited<ReturnType<typeof seeded>>, value: Expr<T, 'tags'>) =>
    engine.all(select({ post: tags.post, value }).from(tags).groupBy(tags.post).orderBy(tags.post)).then((rows) => rows.map((r) => r.value))

  test('stringAgg: ordered, distinct, NULLs skipped, NULL when nothing to join', async () => {
    const engine = await seeded()
    expect(await perPost(engine, stringAgg(tags.name, '; ', { orderBy: asc(tags.id) }))).toEqual(['b; a; b', 'say "hi", \\ ok; ünï', null])
    expect(await perPost(engine, stringAgg(tags.name, ', ', { orderBy: [desc(tags.name), asc(tags.id)] }))).toEqual(['b, b, a', 'ünï, say "hi", \\ ok', null])
    expect(await perPost(engine, stringAgg(tags.name, ' | ', { orderBy: asc(tags.name), distinct: true }))).toEqual(['a | b', 'say "hi", \\ ok | ünï', null])
    expect(await perPost(engine, stringAgg(tags.name, "'\\", { orderBy: desc(tags.name), distinct: true }))).toEqual(["b'\\a", 'ünï\'\\say "hi", \\ ok', null])
    // Over no rows at all.
    expect(await engine.scalar(select(stringAgg(tags.name, ',')).from(tags).where(gt(tags.id, 100)))).toBeNull()
  })

  test('stringAgg and jsonAgg are never cut short (MariaDB group_concat_max_len: 1 MB by default, MySQL 1,024 bytes)', async () => {
    const engine = await db.engine()
    await engine.createAll(schema)
    const long = 'x'.repeat(1989)
    await engine.execute(insert(tags).values(Array.from({ length: 600 }, (_, i) => ({ id: i + 1, post: 1, name: long + String(i).padStart(3, '0'), score: i, amount: '1.00' }))))
    const joined = await engine.scalar(select(stringAgg(tags.name, ',', { orderBy: asc(tags.id) })).from(tags))
    expect(joined!.length).toBe(600 * 1992 + 599)
    expect(joined!.endsWith('x599')).toBe(true)
    const array = await engine.scalar(select(jsonAgg(tags.name, { orderBy: asc(tags.id) })).from(tags))
    expect(array).toHaveLength(600)
    expect((array as unknown[])[599]).toBe(long + '599')
  })

  test('every / some: booleans, NULLs ignored, NULL over no rows', async () => {
    const engine = await seeded()
    expect(await perPost(engine, every(tags.published))).toEqual([false, true, null])
    expect(await perPost(engine, some(tags.published))).toEqual([true, true, null])
    expect(await perPost(engine, every(gt(tags.score, 0)))).toEqual([false, true, true])
    expect(await perPost(engine, some(isNull(tags.name)))).toEqual([true, false, true])
    expect(await engine.one(select({ all: every(tags.published), any: some(tags.published) }).from(tags).where(gt(tags.id, 100)))).toEqual({ all: null, any: null })
  })

  test('jsonAgg: a JSON array in order, NULLs kept, NULL over no rows', async () => {
    const engine = await seeded()
    expect(await perPost(engine, jsonAgg(tags.name, { orderBy: asc(tags.id) }))).toEqual([['b', 'a', 'b', null], ['say "hi", \\ ok', 'ünï'], [null]])
    expect(await perPost(engine, jsonAgg(tags.score, { orderBy: desc(tags.score) }))).toEqual([[2, 1.5, 0.1, -0.25], [4, 3], [5]])
    expect(await perPost(engine, jsonAgg(tags.id, { orderBy: desc(tags.id) }))).toEqual([[4, 3, 2, 1], [6, 5], [7]])
    expect(await engine.scalar(select(jsonAgg(tags.id)).from(tags).where(gt(tags.id, 100)))).toBeNull()
    expect(await engine.scalar(select(count()).from(tags).where(gt(tags.id, 100)))).toBe(0)
  })

  test('jsonObjectAgg: an object of key to value, NULL values kept, NULL keys skipped, NULL over no rows', async () => {
    const engine = await seeded()
    const key = cast(tags.id, 'text')
    expect(await perPost(engine, jsonObjectAgg(key, tags.name))).toEqual([{ 1: 'b', 2: 'a', 3: 'b', 4: null }, { 5: 'say "hi", \\ ok', 6: 'ünï' }, { 7: null }])
    expect(await perPost(engine, jsonObjectAgg(key, tags.score))).toEqual([{ 1: 1.5, 2: 2, 3: -0.25, 4: 0.1 }, { 5: 3, 6: 4 }, { 7: 5 }])
    expect(await engine.scalar(select(jsonObjectAgg(key, tags.id)).from(tags).where(gt(tags.id, 100)))).toBeNull()
    if (db.capabilities.aggregateFilter) expect(await perPost(engine, filter(jsonObjectAgg(key, tags.id), eq(tags.published, true)))).toEqual([{ 1: 1, 3: 3 }, { 5: 5, 6: 6 }, null])
    // Rows with a NULL key are skipped everywhere (PostgreSQL would fail); no key at all gives NULL.
    const byName = await perPost(engine, jsonObjectAgg(tags.name, tags.id))
    expect(Object.keys(byName[0]!).sort()).toEqual(['a', 'b'])
    expect(byName.slice(1)).toEqual([{ 'say "hi", \\ ok': 5, ünï: 6 }, null])
    expect(() => jsonObjectAgg(tags.id as never, tags.name)).toThrow(/jsonObjectAgg\(\): the key, column 'id' \(integer\), is not text/)
  })

  test('filter(aggregate, where): FILTER, or CASE where the dialect lacks it; exact sums on SQLite; filters add up', async () => {
    const engine = await seeded()
    const published = eq(tags.published, true)
    expect(await perPost(engine, filter(count(), published))).toEqual([2, 2, 0])
    expect(await perPost(engine, filter(sum(tags.id), published))).toEqual([4, 11, null])
    expect(await perPost(engine, filter(sum(tags.amount), published))).toEqual(['4.40', '12.10', null])
    expect(await perPost(engine, filter(stringAgg(tags.name, ',', { orderBy: asc(tags.id) }), published))).toEqual(['b,b', 'say "hi", \\ ok,ünï', null])
    expect(await perPost(engine, filter(stringAgg(tags.name, '/', { distinct: true, orderBy: asc(tags.name) }), published))).toEqual(['b', 'say "hi", \\ ok/ünï', null])
    expect(await perPost(engine, filter(every(gt(tags.score, 0)), published))).toEqual([false, true, null])
    expect(await perPost(engine, filter(filter(count(), published), gt(tags.id, 1)))).toEqual([1, 2, 0])
    if (db.capabilities.aggregateFilter) {
      expect(await perPost(engine, filter(jsonAgg(tags.id, { orderBy: asc(tags.id) }), published))).toEqual([[1, 3], [5, 6], null])
    } else {
      // JSON_ARRAYAGG keeps NULLs, so CASE cannot stand in for FILTER: refused before anything is sent.
      await expect(perPost(engine, filter(jsonAgg(tags.id), published))).rejects.toThrow(/has no aggregate FILTER and json_agg keeps NULLs/)
    }
    expect(() => filter(tags.id as never, published)).toThrow(/filter\(\): expected an aggregate .*, got a column expression/)
  })

  test('arguments without one meaning everywhere are refused, naming them', () => {
    expect(() => stringAgg(tags.score as never, ',')).toThrow(/stringAgg\(\): column 'score' \(double\) is not text; cast it first/)
    expect(() => stringAgg(tags.name, ',', { distinct: true, orderBy: asc(tags.id) })).toThrow(/with distinct, orderBy may only order by the aggregated value itself/)
    expect(() => jsonAgg(tags.published as never)).toThrow(/jsonAgg\(\): column 'published' \(boolean\) has no JSON form shared by every dialect/)
  })
})
