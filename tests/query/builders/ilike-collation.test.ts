/**
 * Issue 13 §1: `ilike` on tables Quarry did not create. MariaDB compares under the column's
 * collation, and a `*_general_ci` (or latin1) one folds accents, so `ilike(name, '%CAFE%')`
 * matched 'café' there and nowhere else. The case-folded operands compare code point by code
 * point on every dialect, whatever the column's character set.
 */
import { asc, defineSchema, ilike, notIlike, select, sql, type Condition } from '@quarry/core'
import { expect, test } from 'vitest'
import { forEachDialect, type TestDatabase } from '../../support'

const { words } = defineSchema({
  words: { columns: { id: { type: 'integer', primaryKey: true }, name: { type: 'varchar', length: 40 } } },
})

const NAMES = ['café', 'CAFE', 'Cafe', 'CAFÉ', 'decaf', 'cafés', 'xyz']

/** The table as another tool made it, with `charset` as its MySQL table options. */
async function handWritten(db: TestDatabase, charset: string) {
  const engine = await db.engine()
  const options = db.dialect === 'mysql' ? ` ${charset}` : ''
  await engine.execute(sql.raw(`CREATE TABLE words (id INTEGER PRIMARY KEY, name VARCHAR(40) NOT NULL)${options}`))
  await engine.execute(sql.raw(`INSERT INTO words (id, name) VALUES ${NAMES.map((n, i) => `(${i + 1}, '${n}')`).join(', ')}`))
  return engine
}

forEachDialect((db) => {
  const tables = [
    'DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_general_ci',
    'DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci',
    'DEFAULT CHARSET=utf8mb3 COLLATE=utf8mb3_general_ci',
    'DEFAULT CHARSET=latin1',
  ]
  for (const charset of db.dialect === 'mysql' ? tables : tables.slice(0, 1)) {
    test(`ilike folds case only, not accents, on a hand-written table${db.dialect === 'mysql' ? ` (${charset})` : ''}`, async () => {
      const engine = await handWritten(db, charset)
      const find = async (where: Condition<'words'>) =>
        (await engine.all(select(words.name).from(words).where(where).orderBy(asc(words.id))))
      expect(await find(ilike(words.name, '%CAFE%'))).toEqual(['CAFE', 'Cafe'])
      expect(await find(ilike(words.name, 'cafe'))).toEqual(['CAFE', 'Cafe'])
      expect(await find(ilike(words.name, 'caf_'))).toEqual(['café', 'CAFE', 'Cafe', 'CAFÉ'])
      expect(await find(ilike(words.name, '%caf%'))).toEqual(['café', 'CAFE', 'Cafe', 'CAFÉ', 'decaf', 'cafés'])
      expect(await find(notIlike(words.name, '%cafe%'))).toEqual(['café', 'CAFÉ', 'decaf', 'cafés', 'xyz'])
      // The pattern a column holds compares the same way.
      expect(await find(ilike(sql<string>`'CAFE'`, words.name))).toEqual(['CAFE', 'Cafe'])
    })
  }
})
