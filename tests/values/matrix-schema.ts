/** A table with a column of every type, and rows of extreme values, for the round-trip matrix. */
import { defineSchema, schemaMetaOf } from '@quarry/core'

/** A custom type: a point stored as `'x,y'` text. */
const point = {
  type: 'custom',
  sqlType: { sqlite: 'TEXT', postgres: 'text', mysql: 'VARCHAR(100)' },
  toDriver: (p: { x: number; y: number }) => `${p.x},${p.y}`,
  fromDriver: (text: string) => {
    const [x, y] = text.split(',').map(Number)
    return { x, y }
  },
  nullable: true,
} as const

export const matrix = defineSchema({
  samples: {
    columns: {
      id: { type: 'integer', primaryKey: true },
      int: { type: 'integer', nullable: true },
      small: { type: 'smallint', nullable: true },
      big: { type: 'bigint', nullable: true },
      single: { type: 'real', nullable: true },
      double: { type: 'double', nullable: true },
      exact: { type: 'numeric', precision: 38, scale: 10, nullable: true },
      flag: { type: 'boolean', nullable: true },
      body: { type: 'text', nullable: true },
      label: { type: 'varchar', length: 50, nullable: true },
      code: { type: 'char', length: 3, nullable: true },
      uid: { type: 'uuid', nullable: true },
      day: { type: 'date', nullable: true },
      clock: { type: 'time', nullable: true },
      at: { type: 'timestamp', nullable: true },
      atTz: { type: 'timestamp', withTimezone: true, nullable: true },
      doc: { type: 'json', nullable: true },
      blob: { type: 'bytes', nullable: true },
      mood: { type: 'enum', values: ['happy', 'sad'], nullable: true },
      where: point,
    },
  },
})

export const samplesMeta = schemaMetaOf(matrix).tables.samples

const allBytes = Uint8Array.from({ length: 256 }, (_, i) => i)

/** Rows as the application writes them and must read them back, exactly. */
export const rows: Record<string, unknown>[] = [
  {
    id: 1,
    int: 2147483647,
    small: 32767,
    big: 9223372036854775807n,
    single: 0.1,
    double: 1.7976931348623157e308,
    exact: '1234567890123456789012345678.0123456789',
    flag: true,
    body: `𝄞😀 'quoted' "double" back\\slash\ttab\nnewline ${'long '.repeat(20000)}`,
    label: '😀'.repeat(50),
    code: 'abc',
    uid: '123e4567-e89b-12d3-a456-4266141740ff',
    day: '2100-12-31',
    clock: '23:59:59',
    at: new Date('2100-12-31T23:59:59.999Z'),
    atTz: new Date('2100-12-31T23:59:59.999Z'),
    doc: { nested: [1, 'two', null, true, { x: 1.5 }], unicode: '𝄞', quote: `'"\\` },
    blob: allBytes,
    mood: 'happy',
    where: { x: 1.5, y: -2 },
  },
  {
    id: 2,
    int: -2147483648,
    small: -32768,
    big: -9223372036854775808n,
    single: -0.25,
    double: -1.5e-300,
    exact: '-0.0000000001',
    flag: false,
    body: '',
    label: '',
    code: 'xyz',
    uid: '00000000-0000-0000-0000-000000000000',
    day: '1900-01-01',
    clock: '00:00:00',
    at: new Date('1900-01-01T00:00:00.000Z'),
    atTz: new Date('1969-12-31T23:59:59.999Z'),
    doc: 'just a string',
    blob: new Uint8Array(0),
    mood: 'sad',
    where: { x: 0, y: 0 },
  },
  {
    id: 3,
    big: 0n,
    exact: '0.0000000000',
    doc: [true, false, 0, ''],
    at: new Date('1970-01-01T00:00:00.000Z'),
    atTz: new Date('2038-01-19T03:14:08.001Z'),
    blob: Uint8Array.from([0, 0, 0]),
  },
  { id: 4 },
]

/** Every column of a row, missing ones as `null`. */
export function complete(row: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(samplesMeta.columnList.map((c) => [c.key, row[c.key] ?? null]))
}
