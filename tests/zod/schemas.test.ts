/**
 * @quarry/zod without a database: the constraints each column type carries, the wire codecs'
 * round trip (row → encode → JSON → decode → row) for every column type by fast-check, JSON
 * Schema in both directions, overrides, brands and CHECKs.
 */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { z } from 'zod'
import { defineSchema, sql } from '../../packages/core/src/index'
import { insertSchema, selectSchema, untranslatedChecks, updateSchema } from '../../packages/zod/src/index'
import { COLUMNS, rowOf, schema, VALID } from './fixtures'

const { every, maybe } = schema

function accepts(table: typeof every, column: string, value: unknown): boolean {
  return insertSchema(table).shape[column as 'integer'].safeParse(value).success
}

describe('constraints per column type', () => {
  it('accepts every valid value of every column type (fast-check)', () => {
    const Insert = insertSchema(every)
    for (const [name, arbitrary] of Object.entries(VALID)) {
      fc.assert(fc.property(arbitrary, (value) => {
        const result = Insert.shape[name as 'integer'].safeParse(value)
        if (!result.success) throw new Error(`${name} refused ${String(value)}: ${result.error.message}`)
      }), { numRuns: 60 })
    }
  })

  it('integer, smallint and bigint ranges', () => {
    expect([2 ** 31 - 1, -(2 ** 31), 2 ** 31, 1.5].map((v) => accepts(every, 'integer', v))).toEqual([true, true, false, false])
    expect([32767, -32768, 32768, -32769].map((v) => accepts(every, 'smallint', v))).toEqual([true, true, false, false])
    expect([2n ** 63n - 1n, -(2n ** 63n), 2n ** 63n, 1].map((v) => accepts(every, 'bigint', v))).toEqual([true, true, false, false])
  })

  it('numeric precision and scale: digits before and after the point', () => {
    expect(['12345678.99', '-0.5', '0', '123456789', '1.234', '1e5', '01', '', '.5', '1.'].map((v) => accepts(every, 'numeric', v)))
      .toEqual([true, true, true, false, false, false, false, false, false, false])
  })

  it('varchar max, char exact, no NUL, no lone surrogate', () => {
    expect(['x'.repeat(20), 'x'.repeat(21), 'a\0b', '\uD800'].map((v) => accepts(every, 'varchar', v))).toEqual([true, false, false, false])
    expect(['abc', 'ab', 'abcd', 'ab '].map((v) => accepts(every, 'char', v))).toEqual([true, false, false, false])
  })

  it('real range and underflow, finite doubles', () => {
    expect([3.4e38, 3.5e38, 1e-50, 0, -1.5].map((v) => accepts(every, 'real', v))).toEqual([true, false, false, true, true])
    expect([Infinity, NaN, 1e308].map((v) => accepts(every, 'double', v))).toEqual([false, false, true])
  })

  it('uuid, date, time, timestamp, enum, bytes and json formats', () => {
    expect(['123e4567-e89b-12d3-a456-426614174000', 'not-a-uuid'].map((v) => accepts(every, 'uuid', v))).toEqual([true, false])
    expect(['2024-02-29', '2023-02-29', '2024-13-01', '0999-12-31', '24-01-01'].map((v) => accepts(every, 'date', v))).toEqual([true, false, false, false, false])
    expect(['23:59:59', '24:00:00', '12:00', '1:00:00'].map((v) => accepts(every, 'time', v))).toEqual([true, false, false, false])
    expect([new Date(), new Date('x'), new Date('+010000-01-01T00:00:00Z'), '2024-01-01'].map((v) => accepts(every, 'timestamp', v))).toEqual([true, false, false, false])
    expect(['draft', 'archived'].map((v) => accepts(every, 'enum', v))).toEqual([true, false])
    expect([new Uint8Array([1]), [1], 'AQ=='].map((v) => accepts(every, 'bytes', v))).toEqual([true, false, false])
    expect([{ a: [1, 'x'] }, 'text', null, { a: 'x\0' }, { a: Infinity }, { a: undefined }, new Date()].map((v) => accepts(every, 'json', v)))
      .toEqual([true, true, false, false, false, false, false])
    expect([{ theme: 'dark', size: 2 }, { theme: 'blue', size: 2 }].map((v) => accepts(every, 'settings', v))).toEqual([true, false])
  })

  it('nullable → .nullable(); defaults, server defaults, nullable and auto-increment keys optional on insert', () => {
    const t = defineSchema({
      t: {
        columns: {
          id: { type: 'integer', primaryKey: true },
          name: { type: 'text' },
          bio: { type: 'text', nullable: true },
          score: { type: 'integer', default: 0 },
          at: { type: 'timestamp', serverDefault: sql`CURRENT_TIMESTAMP` },
        },
      },
    }).t
    expect(insertSchema(t).safeParse({ name: 'a' }).success).toBe(true)
    expect(insertSchema(t).safeParse({}).error?.issues.map((i) => i.path)).toEqual([['name']])
    expect(insertSchema(t).safeParse({ name: 'a', score: null }).success).toBe(false)
    expect(insertSchema(t).safeParse({ name: 'a', bio: null }).success).toBe(true)
    expect(insertSchema(t).safeParse({ name: 'a', nope: 1 }).error?.issues[0]?.code).toBe('unrecognized_keys')
    expect(updateSchema(t).safeParse({}).success).toBe(true)
    expect(updateSchema(t).safeParse({ name: null }).success).toBe(false)
    expect(selectSchema(t).safeParse({ id: 1, name: 'a', bio: null, score: 0, at: new Date() }).success).toBe(true)
    expect(selectSchema(t).safeParse({ id: 1, name: 'a', score: 0, at: new Date() }).success).toBe(false)
  })
})

describe('wire codecs', () => {
  for (const nullables of [false, true]) {
    const table = nullables ? maybe : every
    it(`row → encode → JSON → decode → the same row, every column type${nullables ? ', nulls included' : ''} (fast-check)`, () => {
      const Wire = selectSchema(table, { wire: true })
      const Insert = insertSchema(table, { wire: true })
      fc.assert(fc.property(rowOf(nullables), fc.integer({ min: 1, max: 2 ** 31 - 1 }), (values, id) => {
        const row = { id, ...values }
        const json = JSON.parse(JSON.stringify(z.encode(Wire, row as never))) as unknown
        expect(z.decode(Wire, json as never)).toEqual(row)
        expect(Insert.parse(json)).toEqual(row)
      }), { numRuns: 150 })
    })
  }

  it('a json document keeps every key, "__proto__" included, through the validators and the wire (found by fast-check)', () => {
    const doc = JSON.parse('{"__proto__":null,"a":{"__proto__":1,"b":[{"__proto__":"x"}]}}') as unknown
    const Wire = selectSchema(every, { wire: true }).pick({ json: true })
    const wire = JSON.parse(JSON.stringify(z.encode(Wire, { json: doc } as never))) as unknown
    expect(JSON.stringify(z.decode(Wire, wire as never))).toBe(JSON.stringify({ json: doc }))
    expect(JSON.stringify(insertSchema(every).pick({ json: true }).parse({ json: doc }))).toBe(JSON.stringify({ json: doc }))
    expect(Object.prototype).not.toHaveProperty('b')
  })

  it('the JSON forms: bigint as a decimal string, Date as ISO 8601, bytes as base64; others as they are', () => {
    const Wire = selectSchema(every, { wire: true })
    const json = z.encode(Wire.pick({ bigint: true, timestamp: true, bytes: true, numeric: true, date: true }), {
      bigint: 2n ** 63n - 1n, timestamp: new Date('2024-01-02T03:04:05.678Z'), bytes: new Uint8Array([0, 255]), numeric: '1.50', date: '2024-01-02',
    })
    expect(json).toEqual({ bigint: '9223372036854775807', timestamp: '2024-01-02T03:04:05.678Z', bytes: 'AP8=', numeric: '1.50', date: '2024-01-02' })
    const Insert = insertSchema(every, { wire: true })
    const bad = Insert.safeParse({ bigint: '1.5', timestamp: '2024-01-02', bytes: '***', date: '2024-02-30', time: '25:00:00' })
    const paths = bad.error?.issues.map((i) => i.path[0])
    expect(paths).toEqual(expect.arrayContaining(['bigint', 'timestamp', 'bytes', 'date', 'time']))
    expect(Insert.shape.bigint.safeParse('9223372036854775808').success).toBe(false)
  })
})

describe('JSON Schema', () => {
  it('every derived schema converts in input and output modes', () => {
    for (const table of [every, maybe]) {
      for (const make of [selectSchema, insertSchema, updateSchema]) {
        for (const wire of [false, true]) {
          for (const io of ['input', 'output'] as const) {
            const json = z.toJSONSchema(make(table, { wire }), { io }) as { properties: Record<string, Record<string, unknown>> }
            expect(Object.keys(json.properties).sort()).toEqual(['id', ...Object.keys(COLUMNS)].sort())
          }
        }
      }
    }
  })

  it('describes each column by its constraints and its wire form', () => {
    const json = z.toJSONSchema(insertSchema(every, { wire: true }), { io: 'input' }) as { properties: Record<string, Record<string, unknown>>; required: string[]; additionalProperties: boolean }
    expect(json.properties.integer).toMatchObject({ type: 'integer', minimum: -2147483648, maximum: 2147483647 })
    expect(json.properties.varchar).toMatchObject({ type: 'string', maxLength: 20 })
    expect(json.properties.char).toMatchObject({ minLength: 3, maxLength: 3 })
    expect(json.properties.timestamp).toMatchObject({ type: 'string', format: 'date-time' })
    expect(json.properties.bigint).toMatchObject({ type: 'string' })
    expect(json.properties.bytes).toMatchObject({ type: 'string', contentEncoding: 'base64' })
    expect(json.properties.enum).toMatchObject({ enum: ['draft', 'published'] })
    expect(json.required).not.toContain('id')
    expect(json.additionalProperties).toBe(false)
    const output = z.toJSONSchema(selectSchema(every), { io: 'output' }) as { properties: Record<string, Record<string, unknown>> }
    expect(output.properties.timestamp).toMatchObject({ type: 'string', format: 'date-time' })
  })
})

describe('overrides, refinements, brands and CHECKs', () => {
  const s = defineSchema({
    users: {
      columns: {
        id: { type: 'integer', primaryKey: true, schema: z.number().brand<'UserId'>() },
        email: { type: 'varchar', length: 120 },
        age: { type: 'integer', nullable: true },
        nick: { type: 'text', nullable: true },
        starts: { type: 'date' },
        ends: { type: 'date' },
      },
      checks: {
        adult: sql`age >= 18 AND age <= 150`,
        nickNotEmpty: sql`${sql.identifier('nick')} <> ''`,
        nickShort: sql`length(nick) <= ${10}`,
        ordered: sql`starts < ends`,
      },
    },
  })

  it('refines a column with a function of its schema and replaces one with a schema; nullability follows the column', () => {
    const NewUser = insertSchema(s.users, { columns: { email: (e) => e.email(), nick: z.string().regex(/^[a-z]+$/) } })
    const base = { email: 'a@b.co', starts: '2024-01-01', ends: '2024-01-02' }
    expect(NewUser.safeParse(base).success).toBe(true)
    expect(NewUser.safeParse({ ...base, email: 'nope' }).error?.issues[0]?.path).toEqual(['email'])
    expect(NewUser.safeParse({ ...base, nick: 'ABC' }).success).toBe(false)
    expect(NewUser.safeParse({ ...base, nick: null }).success).toBe(true)
    expect(() => insertSchema(s.users, { columns: { emial: z.string() } as never })).toThrow(/no column 'emial'/)
  })

  it('CHECKs of simple forms become refinements; the others are listed', () => {
    const NewUser = insertSchema(s.users)
    const base = { email: 'a@b.co', starts: '2024-01-01', ends: '2024-01-02' }
    expect(NewUser.safeParse({ ...base, age: 17 }).error?.issues.map((i) => [i.path, i.message])).toEqual([[['age'], 'must be >= 18 (check users_adult_check)']])
    expect(NewUser.safeParse({ ...base, age: 151 }).success).toBe(false)
    expect(NewUser.safeParse({ ...base, age: null }).success).toBe(true)
    expect(NewUser.safeParse({ ...base, nick: '' }).success).toBe(false)
    expect(NewUser.safeParse({ ...base, nick: 'x'.repeat(11) }).success).toBe(false)
    expect(untranslatedChecks(s.users)).toEqual(['users_ordered_check'])
  })

  it('a brand declared on the column is checked by the column schema it pipes into', () => {
    const User = selectSchema(s.users)
    expect(User.shape.id.parse(5)).toBe(5)
    expect(User.shape.id.safeParse(2 ** 31).success).toBe(false)
  })
})
