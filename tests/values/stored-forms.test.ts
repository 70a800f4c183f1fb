/**
 * A bound value is encoded in the stored form of the column it meets. On SQLite a timestamp is
 * text: a table another tool wrote (CURRENT_TIMESTAMP: 'YYYY-MM-DD HH:MM:SS') must still match
 * `eq` and page by keyset without losing or repeating rows, and a table holding the '.SSS' form
 * does so when its column says `stored: 'milliseconds'`. PostgreSQL and MariaDB give the same rows
 * on their native types.
 */
import { and, asc, defineSchema, eq, gt, insert, lt, or, select, sql, update } from '@quarry/core'
import { expect, test } from 'vitest'
import { forEachDialect, type TestDatabase } from '../support'

const AT = ['2024-03-01 12:00:00', '2024-03-01 12:00:00', '2024-03-01 12:00:01', '2024-03-01 12:00:00.500', '2024-02-29 23:59:59']

function schema(stored?: 'milliseconds') {
  return defineSchema({
    events: {
      columns: {
        id: { type: 'integer', primaryKey: true },
        at: stored ? { type: 'timestamp', stored } : { type: 'timestamp' },
      },
    },
  })
}

/** The table as another tool made it: rows in its own text form (SQLite), or native timestamps. */
async function handWritten(db: TestDatabase, form: 'seconds' | 'milliseconds') {
  const engine = await db.engine()
  const type = db.dialect === 'sqlite' ? 'TEXT NOT NULL DEFAULT CURRENT_TIMESTAMP' : db.dialect === 'mysql' ? 'DATETIME(3) NOT NULL' : 'timestamp(3) NOT NULL'
  await engine.execute(sql.raw(`CREATE TABLE events (id INTEGER PRIMARY KEY, at ${type})`))
  const text = (t: string) => (form === 'milliseconds' && db.dialect === 'sqlite' ? (t.includes('.') ? t : t + '.000') : t)
  await engine.execute(sql.raw(`INSERT INTO events (id, at) VALUES ${AT.map((t, i) => `(${i + 1}, '${text(t)}')`).join(', ')}`))
  return engine
}

const instant = (text: string) => new Date(text.replace(' ', 'T') + 'Z')

forEachDialect((db) => {
  const variants = [
    { name: 'a hand-written table in whole seconds (CURRENT_TIMESTAMP)', stored: undefined, make: () => handWritten(db, 'seconds') },
    { name: "a hand-written table holding '.SSS', declared stored: 'milliseconds'", stored: 'milliseconds' as const, make: () => handWritten(db, 'milliseconds') },
    {
      name: 'a table Quarry created',
      stored: undefined,
      make: async () => {
        const engine = await db.engine()
        await engine.createAll(schema())
        await engine.execute(insert(schema().events).values(AT.map((t, i) => ({ id: i + 1, at: instant(t) }))))
        return engine
      },
    },
  ]

  for (const variant of variants) {
    test(`= and keyset pagination find every row once: ${variant.name}`, async () => {
      const engine = await variant.make()
      const { events } = schema(variant.stored)
      expect(await engine.all(select(events.id).from(events).where(eq(events.at, instant('2024-03-01 12:00:00'))).orderBy(asc(events.id)))).toEqual([1, 2])
      expect(await engine.all(select(events.id).from(events).where(eq(events.at, instant('2024-03-01 12:00:00.500'))))).toEqual([4])
      expect(await engine.all(select(events.id).from(events).where(lt(events.at, instant('2024-03-01 12:00:00'))))).toEqual([5])
      // Keyset pagination over (at, id), two rows a page.
      const seen: number[] = []
      let cursor: { at: Date; id: number } | undefined
      for (let page = 0; page < 5; page++) {
        const after = cursor && or(gt(events.at, cursor.at), and(eq(events.at, cursor.at), gt(events.id, cursor.id)))
        const rows = await engine.all(select({ at: events.at, id: events.id }).from(events).where(after).orderBy(asc(events.at), asc(events.id)).limit(2))
        if (rows.length === 0) break
        seen.push(...rows.map((r) => r.id))
        cursor = rows[rows.length - 1]
      }
      expect(seen).toEqual([5, 1, 2, 4, 3])
    })
  }

  test.runIf(db.dialect === 'sqlite')('values are written in the stored form of the column they are assigned to', async () => {
    const engine = await handWritten(db, 'seconds')
    const { events } = schema()
    await engine.execute(update(events).set({ at: instant('2024-05-05 05:05:05') }).where(eq(events.id, 1)))
    await engine.execute(insert(events).values([{ id: 6, at: instant('2024-05-05 05:05:05.250') }]))
    const stored = await engine.all(sql<{ id: number; at: string }>`SELECT id, at FROM events WHERE id IN (1, 6) ORDER BY id`)
    expect(stored).toEqual([{ id: 1, at: '2024-05-05 05:05:05' }, { id: 6, at: '2024-05-05 05:05:05.250' }])
    const milli = schema('milliseconds').events
    await engine.execute(update(milli).set({ at: instant('2024-05-05 05:05:05') }).where(eq(milli.id, 2)))
    expect(await engine.scalar(sql<string>`SELECT at FROM events WHERE id = 2`)).toBe('2024-05-05 05:05:05.000')
  })
})
