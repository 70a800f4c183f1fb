/**
 * Multi-row inserts of every column type, written once for every dialect. PostgreSQL sends rows
 * of plain values as one array per column (`INSERT … SELECT * FROM unnest($1::int[], …)`) from
 * 20 rows on; these tests check that what is stored, returned and upserted is exactly what VALUES
 * gives, that a 70,000-row insert is one statement there and chunks elsewhere, and the SQL itself.
 */
import { describe, expect, test } from 'vitest'
import { asc, compile, count, defineSchema, excluded, gte, insert, schemaMetaOf, select, sql } from '../../packages/core/src/index'
import { formatEcho, type EchoEvent } from '../../packages/core/src/engine'
import { node, runnable, withNode } from '../../packages/core/src/internal'
import { forEachDialect } from '../support'

const schema = defineSchema(
  {
    samples: {
      columns: {
        id: { type: 'integer', primaryKey: true },
        int: { type: 'integer', nullable: true },
        small: { type: 'smallint', nullable: true },
        big: { type: 'bigint', nullable: true },
        single: { type: 'real', nullable: true },
        double: { type: 'double', nullable: true },
        exact: { type: 'numeric', precision: 12, scale: 3, nullable: true },
        flag: { type: 'boolean', nullable: true },
        body: { type: 'text', nullable: true },
        label: { type: 'varchar', length: 60, nullable: true },
        code: { type: 'char', length: 4, nullable: true },
        uid: { type: 'uuid', nullable: true },
        mood: { type: 'enum', values: ['calm', 'glad', 'sad'], nullable: true },
        day: { type: 'date', nullable: true },
        clock: { type: 'time', nullable: true },
        at: { type: 'timestamp', nullable: true },
        atTz: { type: 'timestamp', withTimezone: true, nullable: true },
        doc: { type: 'json', nullable: true },
        blob: { type: 'bytes', nullable: true },
        tag: { type: 'varchar', length: 20 },
      },
    },
    posts: {
      columns: {
        id: { type: 'integer', primaryKey: true },
        title: { type: 'varchar', length: 100, unique: true },
        views: { type: 'integer' },
      },
    },
  },
  { casing: 'snake_case' },
)

const { samples, posts } = schema
const SAMPLE_KEYS = schemaMetaOf(schema).tables.samples.columnList.map((column) => column.key)

/** Strings that break naive array literals, CSV and SQL quoting. */
const AWKWARD = [
  '',
  'NULL',
  'null',
  "it's",
  'say "hi"',
  'back\\slash',
  '\\"',
  'a,b',
  '{braces}',
  '{"a","b"}',
  'line\nbreak\ttab\r',
  '😀 𝄞 é ñ 中文',
  ' padded ',
  'ROW(1,2)',
  '$1',
  "'); DROP TABLE samples; --",
]

/** Four characters each, none trailing a space (MySQL trims CHAR, PostgreSQL pads it). */
const CODES = ['NULL', 'a"b\\', '{,}"', '😀é中x', "it's", '   x', '""""']

const ALL_BYTES = Uint8Array.from({ length: 256 }, (_, i) => i)
const pad = (n: number, width = 2) => String(n).padStart(width, '0')

type Sample = Record<string, unknown> & { id: number; tag: string }

/** Row `i` of the samples: row 0 is NULL in every nullable column, others NULL here and there. */
function sample(i: number, id = i + 1): Sample {
  if (i === 0) {
    const nulls = Object.fromEntries(SAMPLE_KEYS.map((key) => [key, null]))
    return { ...nulls, id, tag: 'all nulls' }
  }
  const sign = i % 2 ? -1 : 1
  const row: Sample = {
    id,
    int: i === 1 ? 2147483647 : i === 2 ? -2147483648 : sign * i * 7_000_001,
    small: i === 1 ? 32767 : i === 2 ? -32768 : sign * i * 100,
    big: i === 1 ? 9_223_372_036_854_775_807n : i === 2 ? -9_223_372_036_854_775_808n : BigInt(sign) * (9_007_199_254_740_993n + BigInt(i)),
    single: sign * (i + 0.25),
    double: i % 5 === 0 ? sign * 1.7976931348623157e308 : sign * (i / 7),
    exact: `${sign < 0 ? '-' : ''}${i * 1234}.${pad(i % 1000, 3)}`,
    flag: i % 2 === 0,
    body: AWKWARD[i % AWKWARD.length] + ` #${i}` + (i % 50 === 3 ? ' long'.repeat(5000) : ''),
    label: AWKWARD[(i + 5) % AWKWARD.length],
    code: CODES[i % CODES.length],
    uid: `${pad(i, 8)}-0000-4000-8${pad(i % 1000, 3)}-${pad(i * 31, 12)}`,
    mood: (['calm', 'glad', 'sad'] as const)[i % 3],
    day: new Date(Date.UTC(1990, 0, 1 + i * 37)).toISOString().slice(0, 10),
    clock: `${pad(i % 24)}:${pad(i % 60)}:${pad((i * 7) % 60)}`,
    at: new Date(Date.UTC(2001, 0, 1) + i * 86_400_123),
    atTz: new Date(Date.UTC(2030, 5, 30, 23, 59, 59, 999) - i * 3_600_007),
    doc: [
      { nested: { list: [1, 'two', null, true, { x: i + 0.5 }] }, quote: `'"\\`, unicode: '😀 𝄞', braces: '{}', i },
      [i, 'a,b', { deep: [[], {}] }, `say "hi" \\ ${i}`],
      `a "string" \\ value ${i}`,
      i * 1.5,
    ][i % 4],
    blob: [ALL_BYTES, new Uint8Array(0), Uint8Array.from([i & 255, 0, 255, 92, 34, 123, 44])][i % 3],
    tag: `t${i}`,
  }
  // Sprinkle NULLs over every nullable column, in a different row for each.
  Object.keys(row).forEach((key, k) => {
    if (key !== 'id' && key !== 'tag' && (i + k) % 11 === 0) row[key] = null
  })
  return row
}

/** Posts `from` … `to - 1`, titles and views from the index. */
function postRows(from: number, to: number, views = (i: number) => i) {
  return Array.from({ length: to - from }, (_, k) => ({ title: `post ${from + k}`, views: views(from + k) }))
}

const inserts = (events: readonly EchoEvent[]) => events.filter((event) => event.sql.startsWith('INSERT'))

forEachDialect((db) => {
  /** True where plain rows go as one array per column (PostgreSQL). */
  const columnArrays = db.dialectObject.columnArrays !== undefined

  test('300 rows of every column type round-trip exactly, whether the first row is NULLs or values', async () => {
    const engine = await db.engine()
    await engine.createAll(schema)
    const nullsFirst = Array.from({ length: 300 }, (_, i) => sample(i))
    // The same values from id 1001 on, the NULL row last: a first element of every type.
    const valuesFirst = Array.from({ length: 300 }, (_, i) => sample((i + 1) % 300, 1001 + i))
    for (const rows of [nullsFirst, valuesFirst]) {
      const result = await engine.execute(insert(samples).values(rows as never))
      expect(result.rowsAffected).toBe(300)
    }
    const stored = await engine.all(select(samples).orderBy(asc(samples.id)))
    expect(stored).toHaveLength(600)
    expect(stored.slice(0, 300)).toEqual(nullsFirst)
    expect(stored.slice(300)).toEqual(valuesFirst)
    expect(stored[0]).toEqual(sample(0))
    expect(stored[1]).toMatchObject({ big: 9_223_372_036_854_775_807n, int: 2147483647, small: 32767, label: AWKWARD[6] })
    expect(stored[2]).toMatchObject({ big: -9_223_372_036_854_775_808n, code: CODES[2], label: null, blob: Uint8Array.from([2, 0, 255, 92, 34, 123, 44]) })
  })

  test('RETURNING gives the generated keys in the order of the rows', async () => {
    const engine = await db.engine()
    await engine.createAll(schema)
    // Titles out of order, so the order of the rows is not the order of any column.
    const rows = Array.from({ length: 500 }, (_, i) => ({ title: `post ${(i * 7919) % 500}`, views: i }))
    const returned = await engine.all(insert(posts).values(rows).returning({ id: posts.id, title: posts.title, views: posts.views }))
    expect(returned.map((row) => row.title)).toEqual(rows.map((row) => row.title))
    expect(returned.map((row) => row.views)).toEqual(rows.map((row) => row.views))
    const ids = returned.map((row) => row.id)
    expect(ids.every((id, i) => i === 0 || id > ids[i - 1]!)).toBe(true)
    const stored = await engine.all(select({ id: posts.id, title: posts.title, views: posts.views }).from(posts).orderBy(asc(posts.id)))
    expect(stored).toEqual(returned)
  })

  test('upserts of many rows: ON CONFLICT DO UPDATE, then DO NOTHING', async () => {
    const engine = await db.engine()
    await engine.createAll(schema)
    await engine.execute(insert(posts).values(postRows(0, 200, () => 0)))
    await engine.execute(
      insert(posts)
        .values(postRows(100, 400))
        .onConflictDoUpdate({ target: posts.title, set: { views: excluded(posts.views) } }),
    )
    await engine.execute(insert(posts).values(postRows(300, 600, () => 999)).onConflictDoNothing({ target: posts.title }))
    const stored = await engine.all(select({ title: posts.title, views: posts.views }).from(posts).orderBy(asc(posts.id)))
    const expected = [...postRows(0, 100, () => 0), ...postRows(100, 400), ...postRows(400, 600, () => 999)]
    expect(stored).toEqual(expected)
  })

  test.runIf(db.capabilities.returning)('an upsert of many rows returns the inserted and updated rows in order', async () => {
    const engine = await db.engine()
    await engine.createAll(schema)
    await engine.execute(insert(posts).values(postRows(0, 100, () => 0)))
    const upsert = insert(posts)
      .values(postRows(50, 250))
      .onConflictDoUpdate({ target: posts.title, set: { views: excluded(posts.views) } })
      .returning({ title: posts.title, views: posts.views })
    expect(await engine.all(upsert)).toEqual(postRows(50, 250))
    const skipped = insert(posts).values(postRows(200, 300)).onConflictDoNothing({ target: posts.title }).returning({ title: posts.title })
    expect(await engine.all(skipped)).toEqual(postRows(250, 300).map(({ title }) => ({ title })))
  })

  test('70,000 rows: one statement where rows go as column arrays, chunks elsewhere; rows and counts right', async () => {
    const events: EchoEvent[] = []
    const engine = await db.engine({ echo: (event) => events.push(event) })
    await engine.createAll(schema)
    const rows = postRows(0, 70_000)
    const result = await engine.execute(insert(posts).values(rows).returning({ id: posts.id, title: posts.title }))
    expect(result.rowsAffected).toBe(70_000)
    const returned = result.rows as { id: number; title: string }[]
    expect(returned.map((row) => row.title)).toEqual(rows.map((row) => row.title))
    expect(returned.every((row, i) => i === 0 || row.id > returned[i - 1]!.id)).toBe(true)
    const statements = inserts(events)
    // Two columns: one parameter per column, or one per cell cut at the parameter limit.
    expect(statements).toHaveLength(columnArrays ? 1 : Math.ceil(70_000 / Math.floor(db.capabilities.maxParams / 2)))
    for (const event of statements) expect(event.params.length).toBeLessThanOrEqual(db.capabilities.maxParams)
    expect(await engine.scalar(select(count()).from(posts))).toBe(70_000)
    expect(await engine.one(select({ views: posts.views }).from(posts).where(gte(posts.id, returned[69_999]!.id)))).toEqual({ views: 69_999 })
  })

  test.runIf(columnArrays)('rows go as column arrays from 20 rows on, as VALUES below and with a DEFAULT cell', async () => {
    const events: EchoEvent[] = []
    const engine = await db.engine({ echo: (event) => events.push(event) })
    await engine.createAll(schema)
    await engine.execute(insert(posts).values(postRows(0, 19)))
    await engine.execute(insert(posts).values(postRows(19, 39)))
    // One row sets the id, so the others leave it to DEFAULT: VALUES, whatever the count.
    await engine.execute(insert(posts).values([...postRows(39, 99), { id: 1000, title: 'explicit', views: -1 }]))
    const [small, large, withDefault] = inserts(events)
    expect(small!.sql).toBe(`INSERT INTO "posts" ("title", "views") VALUES ${Array.from({ length: 19 }, (_, i) => `($${2 * i + 1}, $${2 * i + 2})`).join(', ')}`)
    expect(small!.params).toEqual(postRows(0, 19).flatMap((row) => [row.title, row.views]))
    expect(large!.sql).toBe('INSERT INTO "posts" ("title", "views") SELECT * FROM unnest($1::varchar[], $2::integer[])')
    expect(large!.params).toEqual([postRows(19, 39).map((row) => row.title), postRows(19, 39).map((row) => row.views)])
    expect(withDefault!.sql).toMatch(/^INSERT INTO "posts" \("id", "title", "views"\) VALUES \(DEFAULT, \$1, \$2\), /)
    expect(await engine.all(select({ title: posts.title, views: posts.views }).from(posts).orderBy(asc(posts.views), asc(posts.title)))).toEqual([
      { title: 'explicit', views: -1 },
      ...postRows(0, 99),
    ])
  })

  // Quarry checks the length before binding (on every dialect: SQLite would store the text whole), so the array path cannot skip it.
  test.runIf(columnArrays)('a value too long for varchar(n) or char(n) fails as in VALUES: the array casts carry no length', async () => {
    const engine = await db.engine()
    await engine.createAll(schema)
    const rows = Array.from({ length: 30 }, (_, i) => sample(i + 1))
    await expect(engine.execute(insert(samples).values([...rows, { ...sample(40), label: 'x'.repeat(61) }] as never))).rejects.toThrow(/samples\.label \(varchar\): text of 61 characters; varchar\(\d+\) holds/)
    await expect(engine.execute(insert(samples).values([...rows, { ...sample(40), code: 'abcde' }] as never))).rejects.toThrow(/samples\.code \(char\): text of 5 characters; char\(\d+\) holds/)
    expect(await engine.scalar(select(count()).from(samples))).toBe(0)
  })

  test.runIf(columnArrays)('WITH … INSERT of column arrays', async () => {
    const engine = await db.engine()
    await engine.createAll(schema)
    await engine.execute(insert(posts).values(postRows(0, 3)))
    const cte = node({ kind: 'cte', name: 'earlier', query: select({ n: count() }).from(posts).ast, recursive: false } as const)
    const plain = insert(posts).values(postRows(3, 103)).returning({ title: posts.title })
    const withCte = runnable(withNode(plain.ast, { ctes: Object.freeze([cte]) })) as unknown as typeof plain
    expect(compile(withCte, db.dialect).sql).toBe(
      'WITH "earlier" AS (SELECT count(*) AS "n" FROM "posts") INSERT INTO "posts" ("title", "views") SELECT * FROM unnest($1::varchar[], $2::integer[]) RETURNING "posts"."title"',
    )
    expect(await engine.all(withCte)).toEqual(postRows(3, 103).map(({ title }) => ({ title })))
    expect(await engine.scalar(select(count()).from(posts))).toBe(103)
  })

  test.runIf(db.dialect === 'postgres')('PostgreSQL keeps one prepared statement for column-array inserts of any row count', async () => {
    const engine = await db.engine({ pool: { size: 1, maxOverflow: 0 } })
    await engine.createAll(schema)
    for (const [from, to] of [[0, 50], [50, 1_050], [1_050, 1_073]]) await engine.execute(insert(posts).values(postRows(from!, to!)))
    const prepared = await engine.all(sql<{ statement: string }>`SELECT statement FROM pg_prepared_statements WHERE statement LIKE 'INSERT INTO%'`)
    expect(prepared.map((row) => row.statement)).toEqual(['INSERT INTO "posts" ("title", "views") SELECT * FROM unnest($1::varchar[], $2::integer[])'])
    expect(await engine.scalar(select(count()).from(posts))).toBe(1_073)
  })
})

describe('compiled SQL (no database)', () => {
  const twenty = Array.from({ length: 20 }, (_, i) => sample(i + 1))

  test('each column array is cast to its type without modifiers (bpchar for char)', () => {
    expect(compile(insert(samples).values(twenty as never), 'postgres').sql).toBe(
      'INSERT INTO "samples" ("id", "int", "small", "big", "single", "double", "exact", "flag", "body", "label", "code", "uid", "mood", "day", "clock", "at", "at_tz", "doc", "blob", "tag") ' +
        'SELECT * FROM unnest($1::integer[], $2::integer[], $3::smallint[], $4::bigint[], $5::real[], $6::double precision[], $7::numeric[], $8::boolean[], $9::text[], ' +
        '$10::varchar[], $11::bpchar[], $12::uuid[], $13::text[], $14::date[], $15::time[], $16::timestamp[], $17::timestamptz[], $18::jsonb[], $19::bytea[], $20::varchar[])',
    )
  })

  test('each array holds its column’s encoded values, NULL as null', () => {
    const rows = [sample(0), ...twenty.slice(1)]
    const { params } = compile(insert(samples).values(rows as never), 'postgres')
    expect(params).toHaveLength(20)
    const big = params[3] as unknown[]
    expect(big[0]).toBeNull()
    expect(big[1]).toBe(String(rows[1]!.big))
    expect((params[17] as unknown[])[1]).toBe(JSON.stringify(rows[1]!.doc))
    expect((params[15] as unknown[])[1]).toBe('2001-01-03 00:00:00.246+00:00')
    expect((params[7] as unknown[]).slice(0, 3)).toEqual([null, true, false])
  })

  test('echo shows the first few values of each column array', () => {
    const { sql: text, params } = compile(insert(posts).values(postRows(0, 25)), 'postgres')
    expect(formatEcho({ sql: text, params, durationMs: 1.25, rowCount: 25 })).toBe(
      '[quarry] 1.3 ms  INSERT INTO "posts" ("title", "views") SELECT * FROM unnest($1::varchar[], $2::integer[])  ' +
        '[["post 0", "post 1", "post 2", … 22 more], [0, 1, 2, … 22 more]]  → 25 rows',
    )
  })

  test('other dialects keep VALUES at any row count', () => {
    for (const dialect of ['sqlite', 'mysql'] as const) {
      const { sql: text, params } = compile(insert(posts).values(postRows(0, 500)), dialect)
      expect(text).toContain(' VALUES (?, ?), (?, ?)')
      expect(params).toHaveLength(1000)
    }
  })

  test('a custom type with modifiers or an array type keeps VALUES', () => {
    const custom = defineSchema({
      codes: { columns: { id: { type: 'integer', primaryKey: true }, bits: { type: 'custom', sqlType: 'bit(8)' } } },
      lists: { columns: { id: { type: 'integer', primaryKey: true }, names: { type: 'custom', sqlType: 'text[]' } } },
      plain: { columns: { id: { type: 'integer', primaryKey: true }, net: { type: 'custom', sqlType: 'inet' } } },
    })
    const ids = Array.from({ length: 30 }, (_, i) => i + 1)
    expect(compile(insert(custom.codes).values(ids.map((id) => ({ id, bits: '10101010' }))), 'postgres').sql).toContain(' VALUES ($1, $2), ')
    expect(compile(insert(custom.lists).values(ids.map((id) => ({ id, names: '{a}' }))), 'postgres').sql).toContain(' VALUES ($1, $2), ')
    expect(compile(insert(custom.plain).values(ids.map((id) => ({ id, net: '10.0.0.1' }))), 'postgres').sql).toBe(
      'INSERT INTO "plain" ("id", "net") SELECT * FROM unnest($1::integer[], $2::inet[])',
    )
  })
})
