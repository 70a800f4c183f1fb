/**
 * Faithful values on every dialect, through the whole path (createAll, insert builder, encode,
 * driver, select builder, decode): a table with every column type, rows of extreme values written
 * and read back exactly, in a Node time zone with an odd offset.
 */
process.env.TZ = 'America/St_Johns'

import { and, asc, eq, gte, jsonText, lt, select, insert, sql, update } from '@quarry/core'
import { expect, test } from 'vitest'
import { forEachDialect } from '../support'
import { complete, matrix, rows } from './matrix-schema'

const { samples } = matrix

forEachDialect((db) => {
  async function filled() {
    const engine = await db.engine()
    await engine.createAll(matrix)
    await engine.execute(insert(samples).values(rows as never))
    return engine
  }

  test('reads back every value exactly, as its declared type', async () => {
    const engine = await filled()
    const back = await engine.all(select(samples).orderBy(asc(samples.id)))
    expect(back).toHaveLength(rows.length)
    for (let i = 0; i < rows.length; i++) {
      const expected = complete(rows[i])
      for (const key of Object.keys(expected)) expect([key, (back[i] as Record<string, unknown>)[key]]).toEqual([key, expected[key]])
    }
    const [first] = back
    expect(Object.getPrototypeOf(first.blob)).toBe(Uint8Array.prototype)
    expect(typeof first.big).toBe('bigint')
    expect(first.flag).toBe(true)
    expect(first.at).toBeInstanceOf(Date)
  })

  test('stores json as a JSON document, not as a JSON string', async () => {
    const engine = await filled()
    const row = await engine.one(select({ u: jsonText(samples.doc, 'unicode'), q: jsonText(samples.doc, 'quote') }).from(samples).where(eq(samples.id, 1)))
    expect(row).toEqual({ u: '𝄞', q: `'"\\` })
  })

  test('json documents shaped like Quarry objects ({ kind: "value" }, { kind: "select" }, { ast }) are stored as documents', async () => {
    const engine = await db.engine()
    await engine.createAll(matrix)
    const docs = [{ kind: 'value', value: 3 }, { kind: 'select', from: 'menu' }, { ast: { kind: 'raw' }, note: 'x' }, { kind: 'order', items: [1, 2] }]
    await engine.execute(insert(samples).values(docs.map((doc, i) => ({ id: i + 1, doc })) as never))
    await engine.execute(insert(samples).values({ id: 9, doc: docs[0] } as never))
    expect((await engine.all(select({ doc: samples.doc }).from(samples).orderBy(asc(samples.id)))).map((r) => r.doc)).toEqual([...docs, docs[0]])
    await engine.execute(update(samples).set({ doc: docs[1] }).where(eq(samples.id, 9)))
    expect(await engine.scalar(select(samples.doc).from(samples).where(eq(samples.id, 9)))).toEqual(docs[1])
  })

  test('compares bound Dates, bigints and booleans with stored values', async () => {
    const engine = await filled()
    const hit = await engine.all(
      select({ id: samples.id }).from(samples).where(and(eq(samples.at, rows[0].at as Date), eq(samples.big, rows[0].big as bigint), eq(samples.flag, true))),
    )
    expect(hit).toEqual([{ id: 1 }])
    const before = await engine.all(select({ id: samples.id }).from(samples).where(lt(samples.atTz, new Date('1970-01-01T00:00:00.000Z'))))
    expect(before).toEqual([{ id: 2 }])
    const late = await engine.all(select({ id: samples.id }).from(samples).where(gte(samples.at, new Date('2100-01-01T00:00:00Z'))))
    expect(late).toEqual([{ id: 1 }])
  })

  test.skipIf(db.dialect !== 'postgres')('reads the same instants whatever the session TimeZone', async () => {
    const engine = await filled()
    const back = await engine.transaction(async (tx) => {
      await tx.execute(sql`SET LOCAL TimeZone = 'Asia/Kathmandu'`)
      return tx.all(select({ at: samples.at, atTz: samples.atTz }).from(samples).orderBy(asc(samples.id)))
    })
    expect(back).toEqual(rows.map((r) => ({ at: r.at ?? null, atTz: r.atTz ?? null })))
  })
})
