/**
 * Issue 13 §5, `ilike` beyond ASCII: SQLite's `lower()` folds ASCII only, so `ilike(name, '%É%')`
 * missed 'é' there and matched it on PostgreSQL and MariaDB. Case folds code point by code point,
 * beyond ASCII too, on every dialect.
 */
import { asc, defineSchema, ilike, insert, notIlike, select, sql, type Condition } from '@quarry/core'
import { expect, test } from 'vitest'
import { forEachDialect } from '../../support'
import { seeded } from './seed'

const schema = defineSchema({
  words: { columns: { id: { type: 'integer', primaryKey: true }, name: { type: 'varchar', length: 40 } } },
})
const { words } = schema
const NAMES = ['é', 'É', 'e', 'ÉCOLE', 'école', 'Σ', 'σ', 'ΣΟΦΙΑ', 'Straße', 'STRASSE', 'Ωmega', 'x']

forEachDialect((db) => {
  test('ilike folds case beyond ASCII', async () => {
    const engine = await seeded(db, schema, insert(words).values(NAMES.map((name, i) => ({ id: i + 1, name }))))
    const find = async (where: Condition<'words'>) => await engine.all(select(words.name).from(words).where(where).orderBy(asc(words.id)))
    expect(await find(ilike(words.name, '%É%'))).toEqual(['é', 'É', 'ÉCOLE', 'école'])
    expect(await find(ilike(words.name, 'é'))).toEqual(['é', 'É'])
    expect(await find(ilike(words.name, 'École'))).toEqual(['ÉCOLE', 'école'])
    expect(await find(ilike(words.name, 'σ%'))).toEqual(['Σ', 'σ', 'ΣΟΦΙΑ'])
    expect(await find(ilike(words.name, '%sofia%'))).toEqual([])
    expect(await find(ilike(words.name, 'σοφια'))).toEqual(['ΣΟΦΙΑ'])
    expect(await find(ilike(words.name, 'ωMEGA'))).toEqual(['Ωmega'])
    // No multi-letter folding anywhere: 'ß' is not 'ss'.
    expect(await find(ilike(words.name, 'strasse'))).toEqual(['STRASSE'])
    expect(await find(notIlike(words.name, '%é%'))).toEqual(['e', 'Σ', 'σ', 'ΣΟΦΙΑ', 'Straße', 'STRASSE', 'Ωmega', 'x'])
    // The pattern a column holds folds the same way.
    expect(await find(ilike(sql<string>`'ÉCOLE'`, words.name))).toEqual(['ÉCOLE', 'école'])
  })
})
