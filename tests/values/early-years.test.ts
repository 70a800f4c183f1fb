/**
 * Dates and timestamps of every year 1–9999 are written and read back unchanged (issue 12 item 10):
 * MariaDB read years 1–99 back 1900 years later (`0001-06-15` → `1901-06-15`), because mysql2 built
 * its Dates with `Date.UTC(y, …)`, which maps years 0–99 to 1900+. The process's time zone must not
 * matter either, so every check runs under several `TZ` values.
 */
import { defineSchema, eq, insert, select } from '@quarry/core'
import { afterEach, expect, test } from 'vitest'
import { forEachDialect } from '../support'

const YEARS = [1, 50, 99, 100, 1000, 1969, 2024, 9999]
const ZONES = ['UTC', 'Asia/Tokyo', 'America/Los_Angeles']

const schema = defineSchema({
  moments: {
    columns: {
      id: { type: 'integer', primaryKey: true },
      day: { type: 'date' },
      at: { type: 'timestamp' },
      atZoned: { type: 'timestamp', withTimezone: true },
      atSeconds: { type: 'timestamp', precision: 0 },
    },
  },
})
const { moments } = schema

/** `'YYYY-06-15'`. */
const dayOf = (year: number) => `${String(year).padStart(4, '0')}-06-15`

/** 12:34:56.789 UTC on June 15th of `year` (set by `setUTCFullYear`: `Date.UTC` maps 0–99 to 1900+). */
function instantOf(year: number, ms = 789): Date {
  const date = new Date(Date.UTC(2000, 5, 15, 12, 34, 56, ms))
  date.setUTCFullYear(year)
  return date
}

/** Local midnight of June 15th of `year` in the process's time zone. */
function localMidnight(year: number): Date {
  const date = new Date(2000, 5, 15)
  date.setFullYear(year)
  return date
}

const zoneBefore = process.env.TZ
afterEach(() => {
  if (zoneBefore === undefined) delete process.env.TZ
  else process.env.TZ = zoneBefore
})

forEachDialect((db) => {
  test('dates and timestamps of years 1 to 9999 read back as written, in every Node time zone', async () => {
    const engine = await db.engine()
    await engine.createAll(schema)
    let id = 0
    const idsByYear = new Map<number, number[]>()
    for (const zone of ZONES) {
      process.env.TZ = zone
      expect(new Date(2000, 0, 1).getTimezoneOffset()).toBe(zone === 'UTC' ? 0 : zone === 'Asia/Tokyo' ? -540 : 480)
      for (const year of YEARS) {
        const row = { id: ++id, day: dayOf(year), at: instantOf(year), atZoned: instantOf(year), atSeconds: instantOf(year, 0) }
        await engine.execute(insert(moments).values(row))
        // The same values were written once per zone before this one.
        const ids = [...(idsByYear.get(year) ?? []), row.id]
        idsByYear.set(year, ids)
        const read = await engine.one(select(moments).where(eq(moments.id, row.id)))
        expect({ zone, ...read }).toEqual({ zone, ...row })
        // The bound values find the row again (the encode side of a comparison).
        const found = await engine.all(
          select(moments.id).from(moments).where(eq(moments.day, row.day)).where(eq(moments.at, row.at)).where(eq(moments.atSeconds, row.atSeconds)).orderBy(moments.id),
        )
        expect({ zone, year, found }).toEqual({ zone, year, found: ids })
      }
    }
    // Streamed rows are read the same way.
    const streamed = []
    for await (const row of engine.iterate(select(moments).orderBy(moments.id))) streamed.push(row)
    expect(streamed.map((row) => row.day)).toEqual(ZONES.flatMap(() => YEARS.map(dayOf)))
    expect(streamed.map((row) => row.at)).toEqual(ZONES.flatMap(() => YEARS.map((year) => instantOf(year))))
  })

  // The static type of a date column is its text; a Date is accepted at run time (JavaScript callers).
  test('a Date given to a date column of a year below 100 is stored as its local calendar day', async () => {
    const engine = await db.engine()
    await engine.createAll(schema)
    let id = 0
    for (const zone of ZONES) {
      process.env.TZ = zone
      for (const year of YEARS) {
        await engine.execute(insert(moments).values({ id: ++id, day: localMidnight(year) as unknown as string, at: instantOf(year), atZoned: instantOf(year), atSeconds: instantOf(year, 0) }))
        const day = await engine.one(select(moments.day).from(moments).where(eq(moments.id, id)))
        expect({ zone, day }).toEqual({ zone, day: dayOf(year) })
      }
    }
  })
})
