/**
 * Issue 13 §5, trailing spaces: MariaDB's PAD SPACE collations (utf8mb4_bin, utf8mb4_general_ci…)
 * make 'a' = 'a ', so `eq(name, 'a ')` matched the row 'a' there and nowhere else. Text compares
 * code point by code point, trailing spaces included, on every dialect: on a table Quarry created
 * and on hand-written ones (MariaDB: under the usual collations and character sets).
 */
import { and, asc, defineSchema, eq, gt, inArray, insert, lt, ne, notInArray, select, sql, type Condition, type Engine } from '@quarry/core'
import { expect, test } from 'vitest'
import { forEachDialect, type TestDatabase } from '../../support'
import { seeded } from './seed'

const schema = defineSchema({
  words: { columns: { id: { type: 'integer', primaryKey: true }, name: { type: 'varchar', length: 40 }, body: { type: 'text' } } },
})
const { words } = schema
const NAMES = ['a', 'a ', 'a  ', 'A', 'b']

/** The table as another tool made it, with an index on name and `charset` as its MySQL table options. */
async function handWritten(db: TestDatabase, charset: string): Promise<Engine> {
  const engine = await db.engine()
  const options = db.dialect === 'mysql' ? ` ${charset}` : ''
  await engine.execute(sql.raw(`CREATE TABLE words (id INTEGER PRIMARY KEY, name VARCHAR(40) NOT NULL, body TEXT NOT NULL)${options}`))
  await engine.execute(sql.raw('CREATE INDEX words_name ON words (name)'))
  await engine.execute(sql.raw(`INSERT INTO words (id, name, body) VALUES ${NAMES.map((n, i) => `(${i + 1}, '${n}', '${n}')`).join(', ')}`))
  return engine
}

async function expectCodePoints(engine: Engine) {
  const find = async (where: Condition<'words'>) => await engine.all(select(words.id).from(words).where(where).orderBy(asc(words.id)))
  expect(await find(eq(words.name, 'a '))).toEqual([2])
  expect(await find(eq(words.name, 'a'))).toEqual([1])
  expect(await find(eq(words.body, 'a  '))).toEqual([3])
  expect(await find(ne(words.name, 'a'))).toEqual([2, 3, 4, 5])
  expect(await find(ne(words.body, 'a '))).toEqual([1, 3, 4, 5])
  expect(await find(inArray(words.name, ['a ', 'b']))).toEqual([2, 5])
  expect(await find(notInArray(words.name, ['a ', 'b']))).toEqual([1, 3, 4])
  expect(await find(inArray(words.body, ['a']))).toEqual([1])
  // Ordering: 'a' < 'a ' < 'a  ', and 'A' below them all.
  expect(await find(and(gt(words.name, 'a'), lt(words.name, 'b')))).toEqual([2, 3])
  expect(await find(lt(words.name, 'a '))).toEqual([1, 4])
  // A column against a column (a self-comparison through a raw alias would hide it: compare body with name).
  expect(await find(eq(words.name, words.body))).toEqual([1, 2, 3, 4, 5])
}

forEachDialect((db) => {
  test('trailing spaces count in text comparisons on a table Quarry created', async () => {
    const engine = await seeded(db, schema, insert(words).values(NAMES.map((name, i) => ({ id: i + 1, name, body: name }))))
    await expectCodePoints(engine)
  })

  test('a unique varchar on a table Quarry created keeps values that differ only in trailing spaces apart', async () => {
    const unique = defineSchema({ handles: { columns: { id: { type: 'integer', primaryKey: true }, handle: { type: 'varchar', length: 40, unique: true } } } })
    const engine = await seeded(db, unique, insert(unique.handles).values([{ id: 1, handle: 'a' }, { id: 2, handle: 'a ' }]))
    expect(await engine.all(select(unique.handles.id).from(unique.handles).where(eq(unique.handles.handle, 'a ')))).toEqual([2])
    // The constraint still holds for the same text.
    await expect(engine.execute(insert(unique.handles).values({ id: 3, handle: 'a ' }))).rejects.toThrow(/handles/)
  })

  const tables = [
    'DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_general_ci',
    'DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin',
    'DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_nopad_bin',
    'DEFAULT CHARSET=utf8mb3 COLLATE=utf8mb3_general_ci',
    'DEFAULT CHARSET=latin1',
  ]
  for (const charset of db.dialect === 'mysql' ? tables : tables.slice(0, 1)) {
    test(`trailing spaces count in text comparisons on a hand-written table${db.dialect === 'mysql' ? ` (${charset})` : ''}`, async () => {
      const engine = await handWritten(db, charset)
      // Even under a case-insensitive collation: the comparison is by code point, as elsewhere.
      await expectCodePoints(engine)
    })
  }
})
