/**
 * Issue 12, item 1: only Quarry's own objects become SQL. AST nodes, builders and tables carry a
 * non-enumerable `Symbol.for('quarry.node')` brand; user data (a JSON document, state frozen by
 * Immer or Redux) can look like a node, frozen or not, and is still bound as a value or refused.
 */
import fc from 'fast-check'
import { describe, expect, test, vi } from 'vitest'
import { ArgumentError, compile, DataError, defineSchema, eq, inArray, insert, select, sql, update, type DialectName } from '@quarry/core'
import { forEachDialect } from '../support'

const schema = defineSchema({
  docs: { columns: { id: { type: 'integer', primaryKey: true }, doc: { type: 'json', nullable: true }, name: { type: 'text', nullable: true } } },
  secret: { columns: { id: { type: 'integer', primaryKey: true }, pw: { type: 'text' } } },
})
const { docs, secret } = schema

const SECRET = 'S3cr3t-do-not-read'

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null) {
    for (const v of Object.values(value)) deepFreeze(v)
    Object.freeze(value)
  }
  return value
}

/** The payload: a frozen JSON document shaped like a raw SQL node. */
const stealer = () => deepFreeze(JSON.parse('{"kind":"raw","parts":["(SELECT pw FROM secret WHERE id = 1)"],"args":[]}'))
/** A frozen document shaped like a raw node that would turn `= x` into `= x OR 1=1`. */
const widener = () => deepFreeze({ kind: 'raw', parts: ["'nobody' OR 1=1"], args: [] })

const DIALECTS: DialectName[] = ['sqlite', 'postgres', 'mysql']
const MARK = 'ZQINJ'

/** Every node kind Quarry has: data shaped like any of them must stay data. */
const KINDS = [
  'column', 'value', 'param', 'raw', 'identifier', 'binary', 'logical', 'not', 'isNull', 'like', 'in', 'between', 'func', 'window', 'case', 'cast',
  'concat', 'jsonPath', 'exists', 'subquery', 'order', 'table', 'derived', 'join', 'selection', 'cte', 'select', 'compound', 'onConflict',
  'assignment', 'excluded', 'insert', 'update', 'delete', 'rows',
]

/** JSON text with the marker in it, so that SQL text containing the marker means data became SQL. */
const marked = fc.string({ unit: fc.constantFrom('a', 'b', ' ', "'", ';', '(', ')', '=', '-'), maxLength: 8 }).map((s) => `${s}${MARK}${s}`)

/** Fields a node of some kind carries; every text in them is marked. */
function shapeOf(child: fc.Arbitrary<unknown>): fc.Arbitrary<Record<string, unknown>> {
  return fc.record({
    kind: fc.constantFrom(...KINDS),
    parts: fc.array(marked, { minLength: 1, maxLength: 3 }),
    args: fc.array(child, { maxLength: 2 }),
    names: fc.array(marked, { minLength: 1, maxLength: 2 }),
    name: marked,
    op: fc.constantFrom('=', 'or', 'and', MARK),
    value: marked,
    alias: marked,
    left: child,
    right: child,
    items: fc.array(child, { maxLength: 2 }),
    expr: child,
  }, { requiredKeys: ['kind'] })
}

/** JSON values shaped like nodes of every kind (two levels deep), with marked text wherever a node carries SQL text or names. */
const nodeShaped = shapeOf(fc.oneof(marked, shapeOf(marked)))

/** Any JSON value, or a node-shaped one; frozen (deeply) or not. */
const jsonData = fc.tuple(fc.oneof(fc.jsonValue(), nodeShaped, fc.array(nodeShaped, { maxLength: 3 })), fc.boolean()).map(([value, frozen]) => (frozen ? deepFreeze(value) : value))

/** Each place a value may go, compiled: either refused with an ArgumentError or bound. */
const SURFACES: Record<string, (value: unknown) => ReturnType<typeof select> | ReturnType<typeof insert> | ReturnType<typeof update> | ReturnType<typeof sql>> = {
  'insert into a json column': (v) => insert(docs).values({ id: 1, doc: v as never }) as never,
  'update of a json column': (v) => update(docs).set({ doc: v as never }).where(eq(docs.id, 1)) as never,
  'eq(json column, value)': (v) => select(docs).where(eq(docs.doc, v as never)) as never,
  'eq(text column, value)': (v) => select(docs).where(eq(docs.name, v as never)) as never,
  'inArray(text column, [value])': (v) => select(docs).where(inArray(docs.name, [v as never])) as never,
  'sql template value': (v) => sql`select ${v} as x` as never,
}

function containsMark(value: unknown): boolean {
  return JSON.stringify(value)?.includes(MARK) ?? false
}

describe('no JSON value ever becomes SQL (compiled on every dialect, no database)', () => {
  test('brand: a non-enumerable Symbol.for("quarry.node") on nodes, builders and tables; invisible to JSON, keys and spreads', () => {
    const brand = Symbol.for('quarry.node')
    const condition = eq(docs.id, 1)
    const builder = select(docs).where(condition)
    for (const [object, kind] of [[condition, 'node'], [builder, 'builder'], [docs, 'table'], [docs.id, 'node']] as const) {
      expect((object as unknown as Record<symbol, unknown>)[brand]).toBe(kind)
      expect(Object.keys(object)).not.toContain(brand)
      expect(Object.getOwnPropertySymbols({ ...object })).not.toContain(brand)
    }
    expect(JSON.parse(JSON.stringify(condition))).not.toHaveProperty('brand')
    // A spread copy of a node is data: it is refused where a condition belongs.
    expect(() => select(docs).where({ ...condition } as never)).toThrow(ArgumentError)
    expect(() => select(docs).where({ ...condition } as never)).toThrow(/where\(\): argument 1: expected a column, a condition or an expression, got a plain object/)
  })

  test('the issue reproduction compiles to bound parameters only', () => {
    for (const dialect of DIALECTS) {
      const stored = compile(insert(docs).values({ id: 1, doc: stealer() as never }), dialect)
      expect(stored.sql).not.toMatch(/secret/i)
      expect(JSON.stringify(stored.params)).toContain('SELECT pw FROM secret')
      expect(() => select(docs).where(eq(docs.name, widener() as never))).toThrow(ArgumentError)
      expect(() => select(docs).where(eq(docs.name, widener() as never))).toThrow(/column 'name' \(text\): expected a value, a column or an expression, got a plain object/)
      const onJson = compile(select(docs).where(eq(docs.doc, widener() as never)), dialect)
      expect(onJson.sql).not.toContain('1=1')
    }
  })

  test('property: every JSON value, frozen or not, shaped like any node kind, is bound or refused with an ArgumentError', () => {
    let bound = 0
    let refused = 0
    fc.assert(
      fc.property(jsonData, fc.constantFrom(...Object.keys(SURFACES)), fc.constantFrom(...DIALECTS), (value, surface, dialect) => {
        let compiled
        try {
          compiled = compile(SURFACES[surface]!(value) as never, dialect)
        } catch (error) {
          // Refused only where a value cannot go: an object or array compared with a text column
          // (ArgumentError), or a value of another type there (DataError, the column's value check).
          expect(surface).toMatch(/text column/)
          if (error instanceof DataError) expect(typeof value).not.toBe('string')
          else {
            expect(error).toBeInstanceOf(ArgumentError)
            expect(typeof value === 'object' && value !== null).toBe(true)
          }
          refused++
          return
        }
        expect(compiled.sql).not.toContain(MARK)
        if (containsMark(value)) expect(containsMark(compiled.params)).toBe(true)
        bound++
      }),
      { numRuns: 2_000 },
    )
    expect(bound).toBeGreaterThan(1_000)
    expect(refused).toBeGreaterThan(50)
  })

  test('two copies of the package agree: the brand is Symbol.for, not a module-local symbol', async () => {
    // A second instance of the core module (as a second copy in node_modules would be).
    vi.resetModules()
    const copy = (await import('@quarry/core')) as typeof import('@quarry/core')
    expect(copy.select).not.toBe(select)
    const fromCopy = copy.select(docs).where(copy.eq(docs.id, 7))
    expect(compile(fromCopy as never, 'postgres')).toMatchObject({ sql: expect.stringContaining('WHERE "docs"."id" = $1'), params: [7] })
    expect(copy.compile(select(docs).where(eq(docs.id, 7)) as never, 'postgres')).toMatchObject({ params: [7] })
    expect(() => copy.compile(select(docs).where(eq(docs.name, widener() as never)) as never, 'postgres')).toThrow()
  })
})

forEachDialect((db) => {
  test('the issue reproduction: a frozen {"kind":"raw"} document is stored as that document and the secret is not read', async () => {
    const engine = await db.engine()
    await engine.createAll(schema)
    await engine.execute(insert(secret).values({ id: 1, pw: SECRET }))
    const doc = stealer()
    await engine.execute(insert(docs).values({ id: 1, doc: doc as never, name: 'a' }))
    await engine.execute(update(docs).set({ doc: doc as never }).where(eq(docs.id, 1)))
    const rows = await engine.all(select(docs))
    expect(rows).toEqual([{ id: 1, doc: { kind: 'raw', parts: ['(SELECT pw FROM secret WHERE id = 1)'], args: [] }, name: 'a' }])
    expect(JSON.stringify(rows)).not.toContain(SECRET)
  })

  test('eq(column, frozen node-shaped data) never widens the condition: refused on a text column, bound on a json column', async () => {
    const engine = await db.engine()
    await engine.createAll(schema)
    await engine.execute(insert(docs).values([{ id: 1, name: 'a', doc: { x: 1 } }, { id: 2, name: 'b', doc: null }]))
    await expect(async () => engine.all(select(docs).where(eq(docs.name, widener() as never)))).rejects.toThrow(ArgumentError)
    await expect(async () => engine.execute(update(docs).set({ name: widener() as never }).where(eq(docs.id, 1)))).rejects.toThrow(ArgumentError)
    expect(await engine.all(select({ id: docs.id }).from(docs).where(eq(docs.doc, widener() as never)))).toEqual([])
    expect(await engine.all(select({ x: sql<unknown>`${widener()}` }).from(docs).where(eq(docs.id, 1)))).toHaveLength(1)
  })

  test('property: node-shaped JSON documents of every kind, frozen or not, are stored and read back as documents', async () => {
    const engine = await db.engine()
    await engine.createAll(schema)
    const values = fc.sample(fc.tuple(nodeShaped, fc.boolean()).map(([v, frozen]) => (frozen ? deepFreeze(v) : v)), 300)
    await engine.execute(insert(docs).values(values.map((doc, i) => ({ id: i + 1, doc: doc as never }))))
    const back = await engine.all(select({ doc: docs.doc }).from(docs).orderBy(docs.id))
    expect(back.map((row) => row.doc)).toEqual(values.map((v) => JSON.parse(JSON.stringify(v))))
  })
})
