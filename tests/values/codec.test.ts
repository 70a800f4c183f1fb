/** Value codecs without a database: encoding per dialect, and decoding whatever the drivers hand over. */
import { getDialect, type ColumnMeta, type ColumnType } from '@quarry/core'
import { describe, expect, it } from 'vitest'
import { decimalText, fixScale, formatTimestamp, parseTimestamp } from '../../packages/core/src/dialects/shared-values'

const column = (type: ColumnType, extra: Partial<ColumnMeta> = {}): ColumnMeta => ({
  key: 'c', name: 'c', type, nullable: true, primaryKey: false, autoIncrement: false, unique: false, hasDefault: false, ...extra,
})
const sqlite = getDialect('sqlite')
const postgres = getDialect('postgres')
const mysql = getDialect('mysql')
const instant = new Date('2024-02-29T23:04:05.678Z')

describe('encode', () => {
  it('sends timestamps as UTC text the server can compare', () => {
    expect(sqlite.encode(instant, column('timestamp'))).toBe('2024-02-29 23:04:05.678')
    expect(postgres.encode(instant, column('timestamp'))).toBe('2024-02-29 23:04:05.678+00:00')
    expect(mysql.encode(instant, column('timestamp', { withTimezone: true }))).toBe('2024-02-29 23:04:05.678')
    expect(sqlite.encode('2024-02-29T23:04:05.678+01:00', column('timestamp'))).toBe('2024-02-29 22:04:05.678')
  })

  it('sends booleans, bigints, numerics, json and bytes as each driver needs', () => {
    expect([sqlite, postgres, mysql].map((d) => d.encode(true, column('boolean')))).toEqual([1, true, true])
    expect([sqlite, postgres, mysql].map((d) => d.encode(2n ** 63n - 1n, column('bigint')))).toEqual([2n ** 63n - 1n, '9223372036854775807', 2n ** 63n - 1n])
    expect(sqlite.encode(5, column('bigint'))).toBe(5n)
    // SQLite stores a numeric as its sortable key (plain text or a number where the column says so).
    expect(sqlite.encode('1.005', column('numeric', { precision: 10, scale: 2 }))).toBe('P5001:1.01')
    expect(sqlite.encode('1.005', column('numeric', { precision: 10, scale: 2, stored: 'text' }))).toBe('1.01')
    expect(sqlite.encode('-1.005', column('numeric', { precision: 10, scale: 2, stored: 'number' }))).toBe(-1.01)
    expect(postgres.encode(0.1, column('numeric'))).toBe('0.1')
    expect([sqlite, postgres, mysql].map((d) => d.encode('x', column('json')))).toEqual(['"x"', '"x"', '"x"'])
    const bytes = Uint8Array.from([0, 255])
    expect(sqlite.encode(bytes, column('bytes'))).toBe(bytes)
    expect(Buffer.isBuffer(mysql.encode(bytes, column('bytes')))).toBe(true)
    expect(postgres.encode(new Date('2100-12-31T00:00:00Z'), column('date'))).toBe('2100-12-31')
  })

  it('encodes values met without a column sensibly', () => {
    expect([sqlite, postgres, mysql].map((d) => d.encode(instant))).toEqual(['2024-02-29 23:04:05.678', '2024-02-29 23:04:05.678+00:00', '2024-02-29 23:04:05.678'])
    expect([sqlite, postgres, mysql].map((d) => d.encode(false))).toEqual([0, false, false])
    expect(sqlite.encode({ a: [1] })).toBe('{"a":[1]}')
    expect(postgres.encode(10n)).toBe('10')
    expect([sqlite.encode(undefined), postgres.encode('s'), mysql.encode(1.5)]).toEqual([null, 's', 1.5])
  })

  it('runs custom codecs and never hands NULL to them', () => {
    const custom = column('custom', { sqlType: 'text', toDriver: (v) => `<${v}>`, fromDriver: (v) => String(v).slice(1, -1) })
    expect(postgres.encode('a', custom)).toBe('<a>')
    expect(postgres.decode('<a>', custom)).toBe('a')
    expect(postgres.encode(null, custom)).toBeNull()
    expect(postgres.decode(null, custom)).toBeNull()
  })

  it('rejects what it cannot send faithfully', () => {
    expect(() => sqlite.encode(new Date('x'), column('timestamp'))).toThrow(/invalid Date/)
    expect(() => sqlite.encode(new Date('+010000-01-01T00:00:00Z'), column('timestamp'))).toThrow(/outside/)
    expect(() => sqlite.encode('abc', column('numeric'))).toThrow(/decimal/)
    expect(() => sqlite.encode(Infinity, column('numeric'))).toThrow(/finite/)
  })
})

describe('decode', () => {
  it('gives each column its declared type whatever the driver hands over', () => {
    expect(sqlite.decode(1n, column('boolean'))).toBe(true)
    expect(mysql.decode(0, column('boolean'))).toBe(false)
    expect(postgres.decode('t', column('boolean'))).toBe(true)
    expect(sqlite.decode(7n, column('integer'))).toBe(7)
    expect([0.10000000149011612, 0.1, 3.4028234663852886e38, -0.25].map((v) => mysql.decode(v, column('real')))).toEqual([0.1, 0.1, 3.4028235e38, -0.25])
    expect(postgres.encode('ABCDEF00-0000-0000-0000-000000000000', column('uuid'))).toBe('abcdef00-0000-0000-0000-000000000000')
    expect(postgres.decode('9223372036854775807', column('bigint'))).toBe(2n ** 63n - 1n)
    expect(sqlite.decode(1.5, column('numeric', { stored: 'number' }))).toBe('1.5')
    expect(sqlite.decode('N4999:8.49~', column('numeric', { scale: 2 }))).toBe('-1.50')
    expect(mysql.decode('{"a":1}', column('json'))).toEqual({ a: 1 })
    expect(postgres.decode('"x"', column('json'))).toBe('x')
    const fromBuffer = mysql.decode(Buffer.from([1, 2]), column('bytes'))
    expect(Object.getPrototypeOf(fromBuffer)).toBe(Uint8Array.prototype)
    expect(fromBuffer).toEqual(Uint8Array.from([1, 2]))
    expect(postgres.decode('\\x00ff', column('bytes'))).toEqual(Uint8Array.from([0, 255]))
    expect(mysql.decode(new Date('1900-01-01T00:00:00Z'), column('date'))).toBe('1900-01-01')
    expect(postgres.decode(instant, column('timestamp'))).toBe(instant)
  })

  it('reads timestamp text in every form servers print', () => {
    const cases: [string, string][] = [
      ['2024-02-29 23:04:05.678', '2024-02-29T23:04:05.678Z'],
      ['2024-02-29 23:04:05', '2024-02-29T23:04:05.000Z'],
      ['2024-02-29T23:04:05.678123Z', '2024-02-29T23:04:05.678Z'],
      ['2024-03-01 04:49:05.678+05:45', '2024-02-29T23:04:05.678Z'],
      ['2024-02-29 20:04:05.678-03', '2024-02-29T23:04:05.678Z'],
      ['1900-01-01 05:41:16+05:41:16', '1900-01-01T00:00:00.000Z'],
      ['2024-02-29', '2024-02-29T00:00:00.000Z'],
      ['0050-06-01 00:00:00', '0050-06-01T00:00:00.000Z'],
    ]
    for (const [text, iso] of cases) expect([text, parseTimestamp(text).toISOString()]).toEqual([text, iso])
    expect(parseTimestamp('0001-01-01 00:00:00 BC').getUTCFullYear()).toBe(0)
    expect(() => parseTimestamp('yesterday')).toThrow()
  })

  it('reads the same text twice running as two separate Dates (the repeat is remembered, the Date is not shared)', () => {
    const a = parseTimestamp('2024-02-29 23:04:05.678')
    const b = parseTimestamp('2024-02-29 23:04:05.678')
    expect(b).not.toBe(a)
    a.setTime(0)
    expect(b.toISOString()).toBe('2024-02-29T23:04:05.678Z')
    expect(parseTimestamp('2024-02-29 23:04:05.678').toISOString()).toBe('2024-02-29T23:04:05.678Z')
    expect(parseTimestamp('2024-03-01 00:00:00').toISOString()).toBe('2024-03-01T00:00:00.000Z')
    expect(() => parseTimestamp('')).toThrow()
  })

  it('parses every formatted day back to the same instant, year 100 to 9999', () => {
    const first = Date.parse('0100-01-01T00:00:00.000Z')
    const last = Date.parse('9999-12-31T23:59:59.999Z')
    const instants = [first, last, -1, 0, Date.parse('2000-02-29T23:59:59.999Z'), Date.parse('1900-02-28T12:00:00Z')]
    // Every day of the edge years, the leap-rule years and a spread of others, at a time of day that moves…
    instants.push(...everyDayOf(sampleYears(100)))
    // …and a stride through all the years between.
    for (let t = first; t < last; t += 86_400_000 * 31 + 3_601_007) instants.push(t)
    // One assertion over the mismatches: an expect per instant costs more than the codec it checks.
    const checked = instants.filter((t) => t <= last)
    const wrong = checked.filter((t) => parseTimestamp(formatTimestamp(new Date(t)) + 'Z').getTime() !== t)
    expect(wrong.map((t) => new Date(t).toISOString())).toEqual([])
    expect(checked.length).toBeGreaterThan(100_000)
  })

  it('formats instants before 1970 and after 2038', () => {
    expect(formatTimestamp(new Date('1900-01-01T00:00:00Z'))).toBe('1900-01-01 00:00:00.000')
    expect(formatTimestamp(new Date('2100-12-31T23:59:59.999Z'), '+00:00')).toBe('2100-12-31 23:59:59.999+00:00')
  })

  it('formats every day as toISOString does, from year 1 to 9999, and refuses the rest', () => {
    const iso = (d: Date) => d.toISOString().slice(0, 10) + ' ' + d.toISOString().slice(11, 23)
    const first = Date.parse('0001-01-01T00:00:00.000Z')
    const last = Date.parse('9999-12-31T23:59:59.999Z')
    const edges = [first, last, -1, 0, Date.parse('2000-02-29T12:00:00.001Z'), Date.parse('1900-03-01T00:00:00Z') - 1, Date.parse('0999-12-31T23:59:59.999Z')]
    edges.push(...everyDayOf(sampleYears(1)))
    for (let t = first; t < last; t += 86_400_000 * 97 + 3_601_007) edges.push(t)
    const checked = edges.filter((t) => t <= last)
    expect(checked.filter((t) => formatTimestamp(new Date(t)) !== iso(new Date(t))).map((t) => new Date(t).toISOString())).toEqual([])
    expect(() => formatTimestamp(new Date(first - 1))).toThrow(/year 0 is outside 1\.\.9999/)
    expect(() => formatTimestamp(new Date(last + 1))).toThrow(/year 10000 is outside/)
    expect(() => formatTimestamp(new Date(NaN))).toThrow(/invalid Date/)
  })
})

/**
 * Years whose every day the codec tests check: the first and last of the range, the leap-rule
 * cases (…00, …04, 400s), the epoch and 2038, and every 97th year between.
 */
function sampleYears(from: number): number[] {
  const edges = [from, from + 1, 999, 1000, 1582, 1600, 1700, 1899, 1900, 1969, 1970, 1999, 2000, 2004, 2038, 2100, 2400, 9998, 9999]
  const spread = Array.from({ length: Math.floor((9999 - from) / 97) }, (_, i) => from + i * 97)
  return [...new Set([...edges, ...spread])].filter((year) => year >= from)
}

/** An instant on every day of the years (day 366 of a common year is the next 1 January), at a time of day that moves. */
function everyDayOf(years: readonly number[]): number[] {
  return years.flatMap((year) => {
    const start = new Date(0).setUTCFullYear(year, 0, 1)
    return Array.from({ length: 366 }, (_, day) => start + day * 86_400_000 + ((day * 3_601_007) % 86_400_000))
  })
}

describe('decimal text', () => {
  it('is exact and never uses an exponent', () => {
    expect(decimalText(1e21)).toBe('1000000000000000000000')
    expect(decimalText(1.5e-7)).toBe('0.00000015')
    expect(decimalText('-1.25E+3')).toBe('-1250')
    expect(decimalText('007.50')).toBe('7.50')
    expect(decimalText(12345678901234567890n)).toBe('12345678901234567890')
  })

  it('rounds to the scale half away from zero, like the servers', () => {
    expect(fixScale('1.005', 2)).toBe('1.01')
    expect(fixScale('9.999', 2)).toBe('10.00')
    expect(fixScale('-0.001', 2)).toBe('0.00')
    expect(fixScale('-2.5', 0)).toBe('-3')
    expect(fixScale('1', 3)).toBe('1.000')
    expect(fixScale('1234567890123456789012345678.0123456789', 10)).toBe('1234567890123456789012345678.0123456789')
  })
})
