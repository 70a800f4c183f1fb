/**
 * Issue 13 §2 dates: dateTrunc and extract give the same answers on every dialect, on tables
 * Quarry created and on hand-written ones (SQLite text in whole seconds, as CURRENT_TIMESTAMP
 * writes, or in milliseconds), for timestamps, PostgreSQL timestamptz read at UTC, and dates.
 */
import { asc, dateAdd, dateTrunc, defineSchema, eq, extract, insert, select, sql, type ExtractField } from '@quarry/core'
import { expect, test } from 'vitest'
import { forEachDialect, type TestDatabase } from '../../support'

const TEXT = ['2024-03-03 15:45:30.250', '2023-12-31 23:59:59', '2024-02-29 00:00:00', '2024-05-31 08:05:09.999']
const DAYS = ['2024-03-03', '2023-12-31', '2024-02-29', '2024-05-31']
const instant = (text: string) => new Date(text.replace(' ', 'T') + 'Z')

function schema(stored?: 'milliseconds') {
  return defineSchema({
    events: {
      columns: {
        id: { type: 'integer', primaryKey: true },
        at: stored ? { type: 'timestamp', stored } : { type: 'timestamp' },
        atz: { type: 'timestamp', withTimezone: true },
        day: { type: 'date' },
        maybe: { type: 'timestamp', nullable: true },
      },
    },
  })
}

/** The table as another tool made it: whole-second text (SQLite), or '.SSS' text declared as such. */
async function handWritten(db: TestDatabase, form: 'seconds' | 'milliseconds') {
  const engine = await db.engine()
  const ts = db.dialect === 'sqlite' ? 'TEXT' : db.dialect === 'mysql' ? 'DATETIME(3)' : 'timestamp(3)'
  const tz = db.dialect === 'postgres' ? 'timestamptz(3)' : ts
  await engine.execute(sql.raw(`CREATE TABLE events (id INTEGER PRIMARY KEY, at ${ts} NOT NULL, atz ${tz} NOT NULL, day DATE NOT NULL, maybe ${ts})`))
  const text = (t: string) => (db.dialect !== 'sqlite' ? t : form === 'milliseconds' ? (t.includes('.') ? t : t + '.000') : t.replace(/\.\d+$/, ''))
  const zoned = (t: string) => (db.dialect === 'postgres' ? t + '+00' : text(t))
  await engine.execute(sql.raw(`INSERT INTO events (id, at, atz, day) VALUES ${TEXT.map((t, i) => `(${i + 1}, '${text(t)}', '${zoned(t)}', '${DAYS[i]}')`).join(', ')}`))
  return engine
}

forEachDialect((db) => {
  const variants = [
    { name: 'a table Quarry created', stored: undefined, whole: false, make: async () => {
      const engine = await db.engine()
      const { events } = schema()
      await engine.createAll(schema())
      await engine.execute(insert(events).values(TEXT.map((t, i) => ({ id: i + 1, at: instant(t), atz: instant(t), day: DAYS[i]! }))))
      return engine
    } },
    { name: 'a hand-written table in whole seconds', stored: undefined, whole: db.dialect === 'sqlite', make: () => handWritten(db, 'seconds') },
    { name: "a hand-written table in milliseconds, declared stored: 'milliseconds'", stored: 'milliseconds' as const, whole: false, make: () => handWritten(db, 'milliseconds') },
  ]

  for (const variant of variants) {
    test(`dateTrunc to year, quarter, month, week (Monday), day, hour, minute: ${variant.name}`, async () => {
      const engine = await variant.make()
      const { events } = schema(variant.stored)
      const trunc = async (unit: Parameters<typeof dateTrunc>[0]) =>
        (await engine.all(select({ at: dateTrunc(unit, events.at), atz: dateTrunc(unit, events.atz), day: dateTrunc(unit, events.day) }).from(events).orderBy(asc(events.id))))
      const expected = (unit: string, starts: string[]) => {
        const days = starts.map((s) => s.slice(0, 10))
        return starts.map((s, i) => ({ at: instant(s), atz: instant(s), day: ['hour', 'minute'].includes(unit) ? DAYS[i] : days[i] }))
      }
      expect(await trunc('year')).toEqual(expected('year', ['2024-01-01 00:00:00', '2023-01-01 00:00:00', '2024-01-01 00:00:00', '2024-01-01 00:00:00']))
      expect(await trunc('quarter')).toEqual(expected('quarter', ['2024-01-01 00:00:00', '2023-10-01 00:00:00', '2024-01-01 00:00:00', '2024-04-01 00:00:00']))
      expect(await trunc('month')).toEqual(expected('month', ['2024-03-01 00:00:00', '2023-12-01 00:00:00', '2024-02-01 00:00:00', '2024-05-01 00:00:00']))
      expect(await trunc('week')).toEqual(expected('week', ['2024-02-26 00:00:00', '2023-12-25 00:00:00', '2024-02-26 00:00:00', '2024-05-27 00:00:00']))
      expect(await trunc('day')).toEqual(expected('day', ['2024-03-03 00:00:00', '2023-12-31 00:00:00', '2024-02-29 00:00:00', '2024-05-31 00:00:00']))
      expect(await trunc('hour')).toEqual(expected('hour', ['2024-03-03 15:00:00', '2023-12-31 23:00:00', '2024-02-29 00:00:00', '2024-05-31 08:00:00']))
      expect(await trunc('minute')).toEqual(expected('minute', ['2024-03-03 15:45:00', '2023-12-31 23:59:00', '2024-02-29 00:00:00', '2024-05-31 08:05:00']))
      // A truncated value compares with the column's own values and with bound Dates.
      expect(await engine.all(select(events.id).from(events).where(eq(dateTrunc('day', events.at), events.at)).orderBy(events.id))).toEqual([3])
      expect(await engine.all(select(events.id).from(events).where(eq(dateTrunc('month', events.at), instant('2024-02-01 00:00:00'))))).toEqual([3])
    })

    test(`extract year … second, dow (Sunday = 0), epoch: ${variant.name}`, async () => {
      const engine = await variant.make()
      const { events } = schema(variant.stored)
      const read = async (field: ExtractField) =>
        (await engine.all(select({ at: extract(field, events.at), atz: extract(field, events.atz), day: extract(field, events.day) }).from(events).orderBy(asc(events.id))))
      const same = (at: number[], day = at) => at.map((v, i) => ({ at: v, atz: v, day: day[i] }))
      expect(await read('year')).toEqual(same([2024, 2023, 2024, 2024]))
      expect(await read('quarter')).toEqual(same([1, 4, 1, 2]))
      expect(await read('month')).toEqual(same([3, 12, 2, 5]))
      expect(await read('day')).toEqual(same([3, 31, 29, 31]))
      expect(await read('hour')).toEqual(same([15, 23, 0, 8], [0, 0, 0, 0]))
      expect(await read('minute')).toEqual(same([45, 59, 0, 5], [0, 0, 0, 0]))
      // Sunday, Sunday, Thursday, Friday.
      expect(await read('dow')).toEqual(same([0, 0, 4, 5]))
      const seconds = variant.whole ? [30, 59, 0, 9] : [30.25, 59, 0, 9.999]
      const zoned = [30.25, 59, 0, 9.999]
      expect((await read('second')).map((r) => [r.at, r.atz, r.day])).toEqual(seconds.map((s, i) => [s, db.dialect === 'sqlite' ? s : zoned[i], 0]))
      const epoch = (texts: string[]) => texts.map((t) => instant(variant.whole ? t.replace(/\.\d+$/, '') : t).getTime() / 1000)
      const rows = await read('epoch')
      expect(rows.map((r) => r.at)).toEqual(epoch(TEXT))
      expect(rows.map((r) => r.day)).toEqual(DAYS.map((d) => instant(d + ' 00:00:00').getTime() / 1000))
      // NULL stays NULL.
      expect(await engine.all(select({ y: extract('year', events.maybe), t: dateTrunc('day', events.maybe) }).from(events).where(eq(events.id, 1)))).toEqual([{ y: null, t: null }])
    })
  }

  for (const variant of variants) {
    test(`dateAdd of years, quarters, months (last day on overflow), weeks, days, hours, minutes, seconds: ${variant.name}`, async () => {
      const engine = await variant.make()
      const { events } = schema(variant.stored)
      const form = (t: string) => instant(variant.whole ? t.replace(/\.\d+$/, '') : t)
      const add = async (unit: Parameters<typeof dateAdd>[0], amount: number) =>
        (await engine.all(select({ at: dateAdd(unit, amount, events.at), atz: dateAdd(unit, amount, events.atz) }).from(events).orderBy(asc(events.id))))
      // A hand-written SQLite table in whole seconds holds no milliseconds, in either column.
      const both = (texts: string[]) => texts.map((t) => ({ at: form(t), atz: form(t) }))
      const shifted = (ms: number) => TEXT.map((t) => ({ at: new Date(form(t).getTime() + ms), atz: new Date(form(t).getTime() + ms) }))
      expect(await add('month', 1)).toEqual(both(['2024-04-03 15:45:30.250', '2024-01-31 23:59:59', '2024-03-29 00:00:00', '2024-06-30 08:05:09.999']))
      expect(await add('year', 1)).toEqual(both(['2025-03-03 15:45:30.250', '2024-12-31 23:59:59', '2025-02-28 00:00:00', '2025-05-31 08:05:09.999']))
      expect(await add('quarter', -1)).toEqual(both(['2023-12-03 15:45:30.250', '2023-09-30 23:59:59', '2023-11-29 00:00:00', '2024-02-29 08:05:09.999']))
      expect(await add('week', 1)).toEqual(shifted(7 * 86_400_000))
      expect(await add('day', -1)).toEqual(shifted(-86_400_000))
      expect(await add('hour', 1)).toEqual(shifted(3_600_000))
      expect(await add('minute', -90)).toEqual(shifted(-90 * 60_000))
      expect(await add('second', 1)).toEqual(shifted(1000))
      // Dates stay dates; the amount may be an expression.
      const days = async (unit: Parameters<typeof dateAdd>[0], amount: number) => engine.all(select(dateAdd(unit, amount, events.day)).from(events).orderBy(asc(events.id)))
      expect(await days('month', 1)).toEqual(['2024-04-03', '2024-01-31', '2024-03-29', '2024-06-30'])
      expect(await days('year', 1)).toEqual(['2025-03-03', '2024-12-31', '2025-02-28', '2025-05-31'])
      expect(await days('quarter', -1)).toEqual(['2023-12-03', '2023-09-30', '2023-11-29', '2024-02-29'])
      expect(await days('week', 1)).toEqual(['2024-03-10', '2024-01-07', '2024-03-07', '2024-06-07'])
      expect(await days('day', -1)).toEqual(['2024-03-02', '2023-12-30', '2024-02-28', '2024-05-30'])
      expect(await engine.all(select(dateAdd('day', events.id, events.day)).from(events).orderBy(asc(events.id)))).toEqual(['2024-03-04', '2024-01-02', '2024-03-03', '2024-06-04'])
      // The sum compares with bound Dates in the column's stored form.
      expect(await engine.all(select(events.id).from(events).where(eq(dateAdd('day', 1, events.at), instant('2024-03-01 00:00:00'))))).toEqual([3])
      expect(await engine.all(select({ a: dateAdd('day', 1, events.maybe) }).from(events).where(eq(events.id, 1)))).toEqual([{ a: null }])
    })
  }

  test('a unit, field or argument that is not a date is refused, naming it', () => {
    const { events } = schema()
    expect(() => dateTrunc('fortnight' as never, events.at)).toThrow(/dateTrunc\(\): unit must be one of year, quarter, month, week, day, hour, minute, got fortnight/)
    expect(() => extract('doy' as never, events.at)).toThrow(/extract\(\): field must be one of/)
    expect(() => extract('year', events.id as never)).toThrow(/extract\(\): column 'id' \(integer\) is not a date or timestamp/)
    expect(() => dateAdd('hour', 1, events.day)).toThrow(/dateAdd\(\): a date takes whole days; 'hour' needs a timestamp/)
    expect(() => dateAdd('day', 1.5, events.at)).toThrow(/dateAdd\(\): amount must be a whole number, got 1.5/)
  })
})
