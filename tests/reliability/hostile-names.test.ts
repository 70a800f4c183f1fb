/**
 * Hostile strings where they become part of a statement's text rather than a parameter: CTE and
 * derived-table names, enum members and column defaults (both rendered as literals in the DDL).
 * Each is created, used and read back exactly, and none changes the statement. With the values,
 * aliases and table/column names of hostile.test.ts, the full run tries ≥ 10,000 cases per dialect.
 */
import fc from 'fast-check'
import { asc, defineSchema, eq, insert, select, sql } from '../../packages/core/src/index'
import { expect, test } from 'vitest'
import { forEachDialect } from '../support'
import { FULL, size } from './size'
import { hostile, isBmp } from './hostile-strings'

forEachDialect((db) => {
  test('hostile CTE and derived-table names name the query they stand for', { timeout: FULL ? 600_000 : 60_000 }, async () => {
    const engine = await db.engine()
    const base = defineSchema({ things: { columns: { id: { type: 'integer', primaryKey: true }, body: { type: 'text' } } } })
    const { things } = base
    await engine.createAll(base)
    await engine.execute(insert(things).values([{ id: 1, body: 'one' }, { id: 2, body: 'two' }]))
    // Identifiers: PostgreSQL cuts at 63 bytes (12 pieces of ≤ 4 bytes fit); MySQL's hold the BMP only and drop trailing spaces.
    const names = [...new Set(fc.sample(hostile(12), size(4_000, 60)).map((name) => (db.dialect === 'mysql' ? name.trimEnd() : name)).filter((name) => name !== '' && (db.dialect !== 'mysql' || isBmp(name))))]
    for (const name of names) {
      const cte = select({ id: things.id, body: things.body }).from(things).where(eq(things.id, 2)).cte(name)
      expect(await engine.all(select({ body: cte.body }).from(cte))).toEqual([{ body: 'two' }])
      const derived = select({ id: things.id }).from(things).as(name)
      expect(await engine.all(select({ id: derived.id }).from(derived).orderBy(asc(derived.id)))).toEqual([{ id: 1 }, { id: 2 }])
    }
    if (FULL) console.log(`[reliability] ${db.dialect}: ${names.length} hostile CTE/derived names`)
    expect(names.length).toBeGreaterThan(0)
  })

  test('hostile enum members and text defaults are created as literals and read back exactly', { timeout: FULL ? 600_000 : 60_000 }, async () => {
    const engine = await db.engine()
    // MySQL/MariaDB ENUM members lose trailing spaces and compare case-insensitively: members kept distinct regardless.
    const clean = (text: string) => (db.dialect === 'mysql' ? text.trimEnd() : text)
    const texts = [...new Set(fc.sample(hostile(30), size(6_000, 60)).map(clean).filter((text) => text !== ''))]
    const BATCH = 20
    let tried = 0
    for (let i = 0; i < texts.length; i += BATCH) {
      const members = [...new Map(texts.slice(i, i + BATCH).map((text) => [text.toLowerCase(), text])).values()]
      const fallback = members[0]!
      const schema = defineSchema({
        pick: {
          columns: {
            id: { type: 'integer', primaryKey: true },
            choice: { type: 'enum', values: members as unknown as readonly ['a', ...string[]] },
            note: { type: 'text', serverDefault: sql`${fallback}` },
            label: { type: 'varchar', length: 200, default: fallback },
          },
        },
      })
      await engine.createAll(schema)
      await engine.execute(insert(schema.pick).values(members.map((choice, j) => ({ id: j + 1, choice: choice as 'a' }))))
      // A row written without Quarry gets both defaults from the DDL's literals.
      await engine.execute(sql`INSERT INTO pick (id, choice) VALUES (${members.length + 1}, ${fallback})`)
      const rows = await engine.all(select(schema.pick).orderBy(asc(schema.pick.id)))
      expect(rows.map((row) => row.choice)).toEqual([...members, fallback])
      expect(new Set(rows.map((row) => row.note))).toEqual(new Set([fallback]))
      expect(new Set(rows.map((row) => row.label))).toEqual(new Set([fallback]))
      // A member compared as a value finds exactly its rows (the last one, and the raw row when it is also the first).
      const last = members.at(-1)!
      const expected = [{ id: members.length }, ...(last === fallback ? [{ id: members.length + 1 }] : [])]
      expect(await engine.all(select({ id: schema.pick.id }).from(schema.pick).where(eq(schema.pick.choice, last as 'a')).orderBy(asc(schema.pick.id)))).toEqual(expected)
      await engine.dropAll(schema)
      tried += members.length
    }
    if (FULL) console.log(`[reliability] ${db.dialect}: ${tried} hostile enum members and defaults`)
    expect(tried).toBeGreaterThan(0)
  })
})
