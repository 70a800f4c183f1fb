/**
 * Issue 13 §2, LIKE and scalar functions, on every dialect with the same expected rows:
 * like/ilike with an escape character, contains/startsWith/endsWith escaping the user's text,
 * round half away from zero (doubles, integers, numerics), trim, nullif, substr, replace, abs,
 * ceil, floor, greatest/least (NULL if any operand is), charLength, intDiv, literal constants
 * and cast to unbounded or bounded text (a recursive CTE growing past its anchor's length).
 */
import { expect, test } from 'vitest'
import {
  abs,
  add,
  asc,
  cast,
  ceil,
  charLength,
  compile,
  concat,
  contains,
  defineSchema,
  endsWith,
  eq,
  floor,
  greatest,
  ilike,
  insert,
  intDiv,
  least,
  like,
  literal,
  lt,
  ltrim,
  notLike,
  nullif,
  recursiveCte,
  replace,
  round,
  rtrim,
  select,
  startsWith,
  substr,
  trim,
  type Condition,
  type Expr,
} from '@quarry/core'
import { forEachDialect } from '../../support/dialects'
import { seeded as seed } from './seed'

const schema = defineSchema({
  items: {
    columns: {
      id: { type: 'integer', primaryKey: true },
      name: { type: 'varchar', length: 40 },
      note: { type: 'varchar', length: 40, nullable: true },
      qty: { type: 'integer' },
      ratio: { type: 'double' },
      price: { type: 'numeric', precision: 10, scale: 3 },
    },
  },
})
const { items } = schema

const ROWS = [
  { id: 1, name: '50% off', note: '  pad  ', qty: 15, ratio: 2.5, price: '2.125' },
  { id: 2, name: '50 off', note: null, qty: 25, ratio: -2.5, price: '-2.125' },
  { id: 3, name: 'a_b', note: 'x', qty: -15, ratio: 0.125, price: '1.000' },
  { id: 4, name: 'axb', note: 'y', qty: 14, ratio: -0.125, price: '0.500' },
  { id: 5, name: 'back\\slash', note: 'z', qty: 7, ratio: 2.675, price: '3.999' },
  { id: 6, name: 'Café', note: 'w', qty: -7, ratio: 1.5, price: '0.000' },
]

/** -0 and 0 are the same answer here (PostgreSQL and MariaDB keep the sign of a rounded negative zero). */
const plain = (values: unknown[]) => values.map((v) => (typeof v === 'number' ? v + 0 : v))

forEachDialect((db) => {
  const seeded = () => seed(db, schema, insert(items).values(ROWS))
  const names = (rows: { name: string }[]) => rows.map((r) => r.name)

  test('like with an escape character; contains/startsWith/endsWith match %, _ and \\ literally', async () => {
    const engine = await seeded()
    const find = (cond: Condition<'items'>) => engine.all(select(items).where(cond).orderBy(items.id)).then(names)
    expect(await find(like(items.name, '50!%%', { escape: '!' }))).toEqual(['50% off'])
    expect(await find(notLike(items.name, '%!_%', { escape: '!' }))).toEqual(['50% off', '50 off', 'axb', 'back\\slash', 'Café'])
    expect(await find(ilike(items.name, 'A!_%', { escape: '!' }))).toEqual(['a_b'])
    expect(await find(contains(items.name, '%'))).toEqual(['50% off'])
    expect(await find(contains(items.name, '_'))).toEqual(['a_b'])
    expect(await find(contains(items.name, '\\'))).toEqual(['back\\slash'])
    expect(await find(startsWith(items.name, '50%'))).toEqual(['50% off'])
    expect(await find(endsWith(items.name, '_b'))).toEqual(['a_b'])
    expect(await find(startsWith(items.name, 'back\\s'))).toEqual(['back\\slash'])
    expect(await find(contains(items.name, 'OFF', { caseInsensitive: true }))).toEqual(['50% off', '50 off'])
    expect(await find(contains(items.name, 'OFF'))).toEqual([])
  })

  test('contains compiles to LIKE … ESCAPE, with the text bound, and a bad escape is refused naming the option', () => {
    const { sql, params } = compile(select(items.id).from(items).where(contains(items.name, '5%_')), db.dialect)
    // MySQL writes the backslash in hex, the same under every sql_mode (NO_BACKSLASH_ESCAPES included).
    expect(sql).toMatch(db.dialect === 'mysql' ? /LIKE .* ESCAPE X'5c'$/ : /LIKE .* ESCAPE '\\'$/)
    expect(params).toEqual(['%5\\%\\_%'])
    expect(() => like(items.name, 'x', { escape: '!!' })).toThrow(/like\(\): option 'escape' must be one character/)
  })

  test('round: halves away from zero on doubles, integers (negative digits) and numerics', async () => {
    const engine = await seeded()
    const q = <T,>(expr: Expr<T, 'items'>): Promise<T[]> => engine.all(select(expr).from(items).orderBy(items.id))
    expect(plain(await q(round(items.ratio)))).toEqual([3, -3, 0, 0, 3, 2])
    // 2.675 is stored as 2.67499…, but scaled by 100 in double arithmetic it is exactly 267.5: a tie, as people expect.
    expect(plain(await q(round(items.ratio, 2)))).toEqual([2.5, -2.5, 0.13, -0.13, 2.68, 1.5])
    expect(plain(await q(round(items.ratio, 1)))).toEqual([2.5, -2.5, 0.1, -0.1, 2.7, 1.5])
    expect(await q(round(items.qty, -1))).toEqual([20, 30, -20, 10, 10, -10])
    expect(await q(round(items.qty))).toEqual([15, 25, -15, 14, 7, -7])
    const prices: string[] = await q(round(items.price, 2))
    expect(prices.map(Number)).toEqual([2.13, -2.13, 1, 0.5, 4, 0])
    expect(prices.every((p) => typeof p === 'string')).toBe(true)
    expect(() => round(items.ratio, 1.5)).toThrow(/round\(\): digits must be an integer/)
  })

  test('trim, ltrim, rtrim, nullif, substr, replace, charLength', async () => {
    const engine = await seeded()
    const row = await engine.one(
      select({
        trim: trim(items.note),
        ltrim: ltrim(items.note),
        rtrim: rtrim(items.note),
        nullif: nullif(items.name, '50% off'),
        other: nullif(items.name, 'nothing'),
        substr: substr(items.name, 2, 3),
        tail: substr(items.name, 4),
        replaced: replace(items.name, 'O', '0'),
        replaced2: replace(items.name, 'o', '0'),
        chars: charLength(items.name),
      })
        .from(items)
        .where(eq(items.id, 1)),
    )
    expect(row).toEqual({ trim: 'pad', ltrim: 'pad  ', rtrim: '  pad', nullif: null, other: '50% off', substr: '0% ', tail: ' off', replaced: '50% off', replaced2: '50% 0ff', chars: 7 })
    const cafe = await engine.one(select({ chars: charLength(items.name), sub: substr(items.name, 4, 1), nullNote: charLength(items.note) }).from(items).where(eq(items.id, 6)))
    expect(cafe).toEqual({ chars: 4, sub: 'é', nullNote: 1 })
    expect(await engine.scalar(select(charLength(items.note)).from(items).where(eq(items.id, 2)))).toBeNull()
    expect(() => substr(items.name, 0)).toThrow(/substr\(\): start must be an integer from 1/)
  })

  test('abs, ceil, floor, greatest and least (NULL when any operand is NULL, on every dialect)', async () => {
    const engine = await seeded()
    const rows = await engine.all(
      select({
        abs: abs(items.qty),
        ceil: ceil(items.ratio),
        floor: floor(items.ratio),
        absPrice: abs(items.price),
        greatest: greatest(items.qty, 10, items.id),
        least: least(items.qty, 10),
        withNull: greatest(items.name, items.note),
        leastNull: least(items.note, 'm'),
      })
        .from(items)
        .orderBy(items.id),
    )
    expect(rows.map((r) => r.abs)).toEqual([15, 25, 15, 14, 7, 7])
    expect(plain(rows.map((r) => r.ceil))).toEqual([3, -2, 1, 0, 3, 2])
    expect(plain(rows.map((r) => r.floor))).toEqual([2, -3, 0, -1, 2, 1])
    expect(rows.map((r) => Number(r.absPrice))).toEqual([2.125, 2.125, 1, 0.5, 3.999, 0])
    expect(rows.map((r) => r.greatest)).toEqual([15, 25, 10, 14, 10, 10])
    expect(rows.map((r) => r.least)).toEqual([10, 10, -15, 10, 7, -7])
    expect(rows.map((r) => r.withNull)).toEqual(['50% off', null, 'x', 'y', 'z', 'w'])
    expect(rows.map((r) => r.leastNull)).toEqual(['  pad  ', null, 'm', 'm', 'm', 'm'])
  })

  test('intDiv truncates toward zero and is NULL on a zero divisor, on every dialect', async () => {
    const engine = await seeded()
    const rows = await engine.all(select({ q: intDiv(items.qty, 2), byZero: intDiv(items.qty, 0), neg: intDiv(items.qty, -4) }).from(items).orderBy(items.id))
    expect(rows).toEqual([
      { q: 7, byZero: null, neg: -3 },
      { q: 12, byZero: null, neg: -6 },
      { q: -7, byZero: null, neg: 3 },
      { q: 7, byZero: null, neg: -3 },
      { q: 3, byZero: null, neg: -1 },
      { q: -3, byZero: null, neg: 1 },
    ])
  })

  test('literal constants are typed columns of a select and of a union branch', async () => {
    const engine = await seeded()
    const orders = select({ kind: literal('order'), n: literal(1), ok: literal(true), id: items.id }).from(items).where(lt(items.id, 3))
    const others = select({ kind: literal("it's"), n: literal(2.5), ok: literal(false), id: items.id }).from(items).where(eq(items.id, 6))
    expect(await engine.all(orders.unionAll(others).orderBy('id'))).toEqual([
      { kind: 'order', n: 1, ok: true, id: 1 },
      { kind: 'order', n: 1, ok: true, id: 2 },
      { kind: "it's", n: 2.5, ok: false, id: 6 },
    ])
  })

  test("cast(x, 'text') is unbounded (a recursive path outgrows its anchor) and case-sensitive; a length truncates everywhere", async () => {
    const engine = await seeded()
    const paths = recursiveCte(
      'paths',
      select({ depth: literal(1), path: cast(items.name, 'text') }).from(items).where(eq(items.id, 3)),
      (self) => select({ depth: add(self.depth, 1), path: concat(self.path, '/', self.path) }).from(self).where(lt(self.depth, 6)),
    )
    const rows = await engine.all(select({ depth: paths.depth, path: paths.path }).from(paths).orderBy(asc(paths.depth)))
    expect(rows.map((r) => r.path?.length)).toEqual([3, 7, 15, 31, 63, 127])
    expect(await engine.all(select(items.id).from(items).where(eq(cast(items.name, 'text'), 'CAFÉ')))).toEqual([])
    expect(await engine.all(select(items.id).from(items).where(eq(cast(items.name, 'text'), 'Café')))).toEqual([6])
    expect(await engine.all(select(cast(items.name, 'varchar', { length: 3 })).from(items).orderBy(items.id))).toEqual(['50%', '50 ', 'a_b', 'axb', 'bac', 'Caf'])
    expect(() => cast(items.name, 'integer', { length: 3 })).toThrow(/cast\(\): option 'length' applies to 'text' and 'varchar'/)
  })
})
