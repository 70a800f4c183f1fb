/**
 * JSON values compared as the scalars they hold, on every dialect: `gt(jsonGet(doc, 'pageSize'), 30)`
 * compares numbers (SQLite's `->` gives JSON text, which sorts above every number), strings compare
 * as strings, and `jsonText` gives a string (or NULL for a JSON null) everywhere.
 */
import { asc, type ConditionOf, defineSchema, eq, gt, insert, jsonGet, jsonText, lt, select, typed, between, inArray, desc } from '@quarry/core'
import { expect, test } from 'vitest'
import { forEachDialect } from '../support'

type Settings = { pageSize?: number; theme?: string; beta?: boolean; ratio?: number; extra?: unknown }
const schema = defineSchema({
  prefs: { columns: { id: { type: 'integer', primaryKey: true }, doc: { type: 'json', $type: typed<Settings>() } } },
})
const { prefs } = schema
const DOCS: Settings[] = [
  { pageSize: 10, theme: 'dark', beta: true, ratio: 0.5 },
  { pageSize: 50, theme: 'light', beta: false, ratio: 1.25 },
  { pageSize: 30, theme: 'Dark', extra: null },
  { theme: 'zebra', extra: { a: [1, 2] } },
]

forEachDialect((db) => {
  async function filled() {
    const engine = await db.engine()
    await engine.createAll(schema)
    await engine.execute(insert(prefs).values(DOCS.map((doc, i) => ({ id: i + 1, doc }))))
    return engine
  }

  test('comparisons read JSON scalars as numbers and strings', async () => {
    const engine = await filled()
    const ids = (where: ConditionOf<typeof prefs>) => engine.all(select(prefs.id).from(prefs).where(where).orderBy(asc(prefs.id)))
    expect(await ids(gt(jsonGet(prefs.doc, 'pageSize'), 30))).toEqual([2])
    expect(await ids(lt(jsonGet(prefs.doc, 'pageSize'), 30))).toEqual([1])
    expect(await ids(eq(jsonGet(prefs.doc, 'pageSize'), 30))).toEqual([3])
    // The typed form (path array and typed<T>()) compiles the same path.
    expect(await ids(eq(jsonGet(prefs.doc, ['pageSize'], typed<number>()), 30))).toEqual([3])
    expect(await ids(gt(jsonGet(prefs.doc, ['pageSize'], typed<number>()), 30))).toEqual([2])
    // typed<T>() after plain keys is a mistake (it is undefined at run time): an error naming jsonGet, not a path key 'undefined'.
    expect(() => jsonGet(prefs.doc, 'pageSize', typed<number>())).toThrow(/jsonGet\(\): a path key must be a string or a number, got undefined/)
    expect(await ids(between(jsonGet(prefs.doc, 'pageSize'), 20, 60))).toEqual([2, 3])
    expect(await ids(inArray(jsonGet(prefs.doc, 'pageSize'), [10, 50]))).toEqual([1, 2])
    expect(await ids(gt(jsonGet(prefs.doc, 'ratio'), 1))).toEqual([2])
    expect(await ids(eq(jsonGet(prefs.doc, 'theme'), 'dark'))).toEqual([1])
    expect(await ids(gt(jsonGet(prefs.doc, 'theme'), 'light'))).toEqual([4])
    expect(await engine.all(select(prefs.id).from(prefs).where(gt(jsonGet(prefs.doc, 'pageSize'), 0)).orderBy(desc(jsonGet(prefs.doc, 'pageSize'))))).toEqual([2, 3, 1])
  })

  test('jsonText gives a string, and NULL for a missing key or a JSON null', async () => {
    const engine = await filled()
    const rows = await engine.all(
      select({ id: prefs.id, size: jsonText(prefs.doc, 'pageSize'), theme: jsonText(prefs.doc, 'theme'), beta: jsonText(prefs.doc, 'beta'), ratio: jsonText(prefs.doc, 'ratio'), extra: jsonText(prefs.doc, 'extra') }).from(prefs).orderBy(asc(prefs.id)),
    )
    expect(rows).toEqual([
      { id: 1, size: '10', theme: 'dark', beta: 'true', ratio: '0.5', extra: null },
      { id: 2, size: '50', theme: 'light', beta: 'false', ratio: '1.25', extra: null },
      { id: 3, size: '30', theme: 'Dark', beta: null, ratio: null, extra: null },
      { id: 4, size: null, theme: 'zebra', beta: null, ratio: null, extra: expect.stringMatching(/^\{"a": ?\[1, ?2\]\}$/) },
    ])
  })
})
