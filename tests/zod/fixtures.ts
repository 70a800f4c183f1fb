/**
 * One column of every type (with the limits a column can declare), once NOT NULL and once
 * nullable, and a fast-check arbitrary of the valid values of each.
 */
import fc from 'fast-check'
import { z } from 'zod'
import { defineSchema, type ColumnInput } from '../../packages/core/src/index'

export const Settings = z.object({ theme: z.enum(['light', 'dark']), size: z.number().int().positive() })

/** Column definitions by name; each name is also its column key. */
export const COLUMNS = {
  integer: { type: 'integer' },
  smallint: { type: 'smallint' },
  bigint: { type: 'bigint' },
  real: { type: 'real' },
  double: { type: 'double' },
  numeric: { type: 'numeric', precision: 10, scale: 2 },
  boolean: { type: 'boolean' },
  text: { type: 'text' },
  varchar: { type: 'varchar', length: 20 },
  char: { type: 'char', length: 3 },
  uuid: { type: 'uuid' },
  date: { type: 'date' },
  time: { type: 'time' },
  timestamp: { type: 'timestamp' },
  json: { type: 'json' },
  settings: { type: 'json', schema: Settings },
  bytes: { type: 'bytes' },
  enum: { type: 'enum', values: ['draft', 'published'] },
} as const satisfies Record<string, ColumnInput>

export type ColumnName = keyof typeof COLUMNS

const nullable = Object.fromEntries(Object.entries(COLUMNS).map(([key, column]) => [key, { ...column, nullable: true }])) as {
  [K in ColumnName]: (typeof COLUMNS)[K] & { nullable: true }
}

export const schema = defineSchema({
  every: { columns: { id: { type: 'integer', primaryKey: true }, ...COLUMNS } },
  maybe: { columns: { id: { type: 'integer', primaryKey: true }, ...nullable } },
})

const noNul = (s: string) => !s.includes('\0')
const pad = (n: number, width = 2) => String(n).padStart(width, '0')
/** No negative zero: JSON has none, so -0 comes back as 0 (documented). */
const plain = (n: number) => (Object.is(n, -0) ? 0 : n)

/** Valid values of each column. */
export const VALID: { [K in ColumnName]: fc.Arbitrary<unknown> } = {
  integer: fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }),
  smallint: fc.integer({ min: -32768, max: 32767 }),
  bigint: fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }),
  real: fc.float({ noNaN: true, noDefaultInfinity: true }).map(plain).filter((n) => n === 0 || Math.fround(n) !== 0),
  double: fc.double({ noNaN: true, noDefaultInfinity: true }).map(plain),
  numeric: fc.stringMatching(/^-?(0|[1-9]\d{0,7})(\.\d{1,2})?$/),
  boolean: fc.boolean(),
  text: fc.string({ unit: 'grapheme', maxLength: 40 }).filter(noNul),
  varchar: fc.string({ unit: 'binary', maxLength: 20 }).filter((s) => s.length <= 20 && noNul(s)),
  char: fc.string({ unit: 'grapheme-ascii', minLength: 3, maxLength: 3 }).filter((s) => s.length === 3 && noNul(s) && !s.endsWith(' ')),
  uuid: fc.uuid(),
  date: fc.date({ min: new Date('1000-01-01T00:00:00Z'), max: new Date('9999-12-31T00:00:00Z'), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10)),
  time: fc.tuple(fc.integer({ min: 0, max: 23 }), fc.integer({ min: 0, max: 59 }), fc.integer({ min: 0, max: 59 })).map(([h, m, s]) => `${pad(h)}:${pad(m)}:${pad(s)}`),
  timestamp: fc.date({ min: new Date('1000-01-01T00:00:00Z'), max: new Date('9999-12-31T23:59:59.999Z'), noInvalidDate: true }),
  json: fc.jsonValue().filter((v) => v !== null && !JSON.stringify(v).includes('\\u0000') && !Object.is(v, -0)).map((v) => JSON.parse(JSON.stringify(v)) as unknown),
  settings: fc.record({ theme: fc.constantFrom('light', 'dark'), size: fc.integer({ min: 1, max: 1000 }) }),
  bytes: fc.uint8Array({ maxLength: 64 }),
  enum: fc.constantFrom('draft', 'published'),
}

/** A whole row of valid values; in `maybe`, any of them may be null. */
export function rowOf(nullables: boolean): fc.Arbitrary<Record<string, unknown>> {
  const fields = Object.fromEntries(Object.entries(VALID).map(([key, arb]) => [key, nullables ? fc.option(arb, { nil: null }) : arb]))
  return fc.record(fields) as fc.Arbitrary<Record<string, unknown>>
}
