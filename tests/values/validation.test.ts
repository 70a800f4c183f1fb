/**
 * Issue 12 items 9, 14 and 15: a value that does not fit its column's type is refused before it is
 * bound, with a DataError naming the table, the column and the kind of value (never the value), on
 * every dialect: never stored as something else (PostgreSQL's false for 1, SQLite's NULL for NaN,
 * MariaDB's 2 for 1.5, U+FFFD for an unpaired surrogate). Runs in Asia/Tokyo, where a Date at local
 * midnight is the previous day in UTC.
 */
process.env.TZ = 'Asia/Tokyo'

import { asc, count, defineSchema, eq, insert, select, sql, update } from '@quarry/core'
import { expect, test } from 'vitest'
import { DataError } from '../../packages/core/src/errors'
import { forEachDialect } from '../support'

const schema = defineSchema({
  checked: {
    columns: {
      id: { type: 'integer', primaryKey: true },
      flag: { type: 'boolean', nullable: true },
      int: { type: 'integer', nullable: true },
      small: { type: 'smallint', nullable: true },
      big: { type: 'bigint', nullable: true },
      single: { type: 'real', nullable: true },
      double: { type: 'double', nullable: true },
      money: { type: 'numeric', precision: 5, scale: 2, nullable: true },
      day: { type: 'date', nullable: true },
      clock: { type: 'time', nullable: true },
      stamp: { type: 'timestamp', nullable: true },
      body: { type: 'text', nullable: true },
      label: { type: 'varchar', length: 20, nullable: true },
      code: { type: 'char', length: 3, nullable: true },
      uid: { type: 'uuid', nullable: true },
      mood: { type: 'enum', values: ['happy', 'sad'], nullable: true },
      doc: { type: 'json', nullable: true },
    },
  },
})
const { checked } = schema
type Key = keyof typeof checked & string

/** Values that servers read as booleans (or as false) but that are not booleans. */
const NOT_BOOLEANS: unknown[] = [1, 2, 0, '1', 'true', 't', 'yes', 'on', 'false', 'f', 1n]

/** Values each column refuses: every one would be stored as something else, or refused differently, somewhere. */
const REFUSED: [Key, unknown[]][] = [
  ['flag', NOT_BOOLEANS],
  ['int', [NaN, 1.5, Infinity, 2 ** 31, -(2 ** 31) - 1, 'abc', '12', true, 3n ** 40n]],
  ['small', [40_000, 1.5, NaN]],
  ['big', [1.5, 'abc', true, 2n ** 63n, NaN, 2 ** 60]],
  ['single', [NaN, 3.5e38, -3.5e38, Infinity, '1.5']],
  ['double', [NaN, -Infinity, '2.5']],
  ['money', ['1234.5', '999.995', 1000, NaN, 'abc', Infinity]],
  ['day', ['yesterday', 'today', 'epoch', '2024-02-30', '2023-02-29', '2024-1-5', '0000-01-01', new Date(NaN), 20240101]],
  ['clock', ['25:00:00', 'noon', '12:60', 3600]],
  ['stamp', ['yesterday', new Date(NaN), NaN, true]],
  ['body', [42, true, '\ud800', 'a\udc00b', 'x\udbff']],
  // Longer than the length (counted in characters, as the servers count): SQLite would store it whole.
  ['label', ['\udfff', { toString: () => 'x' }, 'x'.repeat(21), 'é'.repeat(21), '😀'.repeat(21)]],
  ['code', ['abcd', 'ab😀d']],
  // SQLite and MariaDB store any text in a uuid column.
  ['uid', ['not-a-uuid', '123e4567-e89b-12d3-a456', '{123e4567-e89b-12d3-a456-426614174000}', '']],
  // MariaDB's ENUM drops trailing spaces and folds case: 'happy ' and 'HAPPY' would be stored as 'happy'.
  ['mood', ['happy ', 'HAPPY', 'angry', '']],
  ['doc', [{ k: '\ud800' }, ['ok', 'a\udc00'], { ['\ud83d']: 1 }, () => 1]],
]

function expectRefused(error: unknown, column: string): void {
  expect(error).toBeInstanceOf(DataError)
  const e = error as DataError
  expect(e.table).toBe('checked')
  expect(e.columns).toEqual([column])
  expect(e.message).toContain(`checked.${column}`)
  // The message names the kind of value, never the value.
  for (const secret of ['yesterday', 'abc', 'noon', '1234.5']) expect(e.message).not.toContain(secret)
}

forEachDialect((db) => {
  async function ready() {
    const engine = await db.engine()
    await engine.createAll(schema)
    return engine
  }

  test('inserts refuse every value that does not fit its column, and store nothing', async () => {
    const engine = await ready()
    for (const [column, values] of REFUSED) {
      for (const value of values) {
        const error = await engine.execute(insert(checked).values({ id: 1, [column]: value } as never)).catch((e: unknown) => e)
        expect([column, value, error]).toEqual([column, value, expect.any(DataError)])
        expectRefused(error, column)
        // Many rows at once (PostgreSQL: one array per column from 20 rows on) are checked too.
        const rows = Array.from({ length: 25 }, (_, i) => ({ id: i + 1, [column]: i === 20 ? value : null }))
        expectRefused(await engine.execute(insert(checked).values(rows as never)).catch((e: unknown) => e), column)
      }
    }
    expect(await engine.scalar(select(count()).from(checked))).toBe(0)
  })

  test('updates and where parameters are checked the same way (eq(flag, 1) never matches the false rows)', async () => {
    const engine = await ready()
    await engine.execute(insert(checked).values([{ id: 1, flag: true }, { id: 2, flag: false }]))
    for (const value of NOT_BOOLEANS) {
      expectRefused(await engine.all(select(checked).where(eq(checked.flag, value as never))).catch((e: unknown) => e), 'flag')
      expectRefused(await engine.execute(update(checked).set({ flag: value as never }).where(eq(checked.id, 2))).catch((e: unknown) => e), 'flag')
    }
    expect(await engine.all(select({ id: checked.id }).from(checked).where(eq(checked.flag, true)))).toEqual([{ id: 1 }])
    expect(await engine.all(select({ id: checked.id, flag: checked.flag }).from(checked).orderBy(asc(checked.id)))).toEqual([{ id: 1, flag: true }, { id: 2, flag: false }])
    expectRefused(await engine.execute(update(checked).set({ int: 1.5 }).where(eq(checked.id, 1))).catch((e: unknown) => e), 'int')
    expectRefused(await engine.all(select(checked).where(eq(checked.day, 'yesterday'))).catch((e: unknown) => e), 'day')
    // Writes of text longer than the column, of a non-member or of a non-UUID are refused; a lookup by one finds nothing, as on the servers.
    expectRefused(await engine.execute(update(checked).set({ label: 'x'.repeat(21) }).where(eq(checked.id, 1))).catch((e: unknown) => e), 'label')
    expectRefused(await engine.execute(update(checked).set({ mood: 'HAPPY' as never }).where(eq(checked.id, 1))).catch((e: unknown) => e), 'mood')
    expectRefused(await engine.execute(update(checked).set({ uid: 'not-a-uuid' }).where(eq(checked.id, 1))).catch((e: unknown) => e), 'uid')
    expect(await engine.all(select({ id: checked.id }).from(checked).where(eq(checked.label, 'x'.repeat(21))))).toEqual([])
  })

  test('unpaired surrogates are refused in inserts, updates, where parameters, json values and raw parameters', async () => {
    const engine = await ready()
    await engine.execute(insert(checked).values({ id: 1, body: 'clef 𝄞', doc: { '𝄞': ['𝄞'], path: 'C:\\ud800' } }))
    expectRefused(await engine.execute(update(checked).set({ body: 'x\ud800' }).where(eq(checked.id, 1))).catch((e: unknown) => e), 'body')
    expectRefused(await engine.execute(update(checked).set({ doc: { k: '\udc00' } }).where(eq(checked.id, 1))).catch((e: unknown) => e), 'doc')
    expectRefused(await engine.all(select(checked).where(eq(checked.body, '\ud800'))).catch((e: unknown) => e), 'body')
    const raw = await engine.all(sql`SELECT ${'\ud800'} AS v`).catch((e: unknown) => e)
    expect(raw).toBeInstanceOf(DataError)
    expect((raw as Error).message).toMatch(/unpaired surrogate/)
    // Well-formed text, and a backslash before 'ud800' in a json string, are stored as given.
    expect(await engine.one(select({ body: checked.body, doc: checked.doc }).from(checked))).toEqual({ body: 'clef 𝄞', doc: { '𝄞': ['𝄞'], path: 'C:\\ud800' } })
  })

  test('values at the edges that fit are stored exactly', async () => {
    const engine = await ready()
    const row = {
      id: 1, flag: false, int: -(2 ** 31), small: 32_767, big: 2n ** 63n - 1n, single: 3.4e38, double: -1.7976931348623157e308,
      money: '999.994', day: '2024-02-29', clock: '23:59:59', stamp: new Date('1000-01-01T00:00:00.001Z'), body: '', label: 'é'.repeat(20), doc: null,
      code: '😀bc', uid: '123E4567-E89B-12D3-A456-426614174000', mood: 'sad' as const,
    }
    await engine.execute(insert(checked).values(row))
    expect(await engine.one(select(checked))).toEqual({ ...row, money: '999.99', stamp: row.stamp, uid: row.uid.toLowerCase() })
  })

  test('a Date given to a date column names its calendar day in the local time zone (Asia/Tokyo here)', async () => {
    const engine = await ready()
    const localMidnight = new Date(2024, 0, 15)
    expect(localMidnight.toISOString()).toBe('2024-01-14T15:00:00.000Z')
    const lateEvening = new Date(2024, 0, 15, 23, 59, 59)
    // The types ask for 'YYYY-MM-DD' text; a Date from JavaScript (or a cast) is taken too.
    await engine.execute(insert(checked).values([{ id: 1, day: localMidnight }, { id: 2, day: lateEvening }, { id: 3, day: new Date(2024, 0, 15, 8) }] as never))
    expect(await engine.all(select({ day: checked.day }).from(checked).orderBy(asc(checked.id)))).toEqual([{ day: '2024-01-15' }, { day: '2024-01-15' }, { day: '2024-01-15' }])
    expect(await engine.all(select({ id: checked.id }).from(checked).where(eq(checked.day, new Date(2024, 0, 15, 12) as never)).orderBy(asc(checked.id)))).toEqual([{ id: 1 }, { id: 2 }, { id: 3 }])
  })

  // Stored forms another program (or raw SQL) left: read back as an error, never as a wrong value.
  test.skipIf(db.dialect !== 'sqlite')('a hand-made table holding text in integer and boolean columns is refused on read, not read as NaN or false', async () => {
    const engine = await db.engine()
    await engine.execute(sql`CREATE TABLE hand (id INTEGER PRIMARY KEY, n INTEGER, b BOOLEAN)`)
    const { hand } = defineSchema({ hand: { columns: { id: { type: 'integer', primaryKey: true }, n: { type: 'integer', nullable: true }, b: { type: 'boolean', nullable: true } } } })
    await engine.execute(sql`INSERT INTO hand VALUES (1, 'abc', 1), (2, 5, 'yes')`)
    const n = await engine.all(select({ n: hand.n }).from(hand).where(eq(hand.id, 1))).catch((e: unknown) => e)
    expect(n).toBeInstanceOf(DataError)
    expect((n as DataError).message).toMatch(/hand\.n .*not a number/)
    const b = await engine.all(select({ b: hand.b }).from(hand).where(eq(hand.id, 2))).catch((e: unknown) => e)
    expect(b).toBeInstanceOf(DataError)
    expect((b as DataError).message).toMatch(/hand\.b .*not a boolean/)
  })

  test('a hand-made table with a BOOLEAN column: only true and false go in', async () => {
    const engine = await db.engine()
    await engine.execute(sql`CREATE TABLE hand_flags (id INTEGER PRIMARY KEY, flag BOOLEAN NOT NULL)`)
    const { handFlags } = defineSchema({ handFlags: { name: 'hand_flags', columns: { id: { type: 'integer', primaryKey: true }, flag: { type: 'boolean' } } } })
    await engine.execute(insert(handFlags).values([{ id: 1, flag: true }, { id: 2, flag: false }]))
    for (const value of NOT_BOOLEANS) {
      const error = await engine.execute(insert(handFlags).values({ id: 3, flag: value as never })).catch((e: unknown) => e)
      expect(error).toBeInstanceOf(DataError)
      expect((error as DataError).table).toBe('hand_flags')
      expectRefusedCount(await engine.all(select(handFlags).where(eq(handFlags.flag, value as never))).catch((e: unknown) => e))
    }
    expect(await engine.all(select(handFlags).orderBy(asc(handFlags.id)))).toEqual([{ id: 1, flag: true }, { id: 2, flag: false }])
  })
})

function expectRefusedCount(error: unknown): void {
  expect(error).toBeInstanceOf(DataError)
  expect((error as DataError).columns).toEqual(['flag'])
}
