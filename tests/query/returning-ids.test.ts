/**
 * Issue 12 item 11: an insert's RETURNING gives every inserted row, or refuses before anything is
 * sent. Where RETURNING is emulated (MySQL/MariaDB re-selects rows by the generated id range), a
 * batch that mixes explicit and generated ids cannot be found again (the ids after an explicit one
 * continue from it), so it is refused; a batch of explicit ids is re-selected by those ids.
 */
import { expect, test } from 'vitest'
import { asc, count, defineSchema, insert, select } from '../../packages/core/src/index'
import { CompileError } from '../../packages/core/src/errors'
import { forEachDialect } from '../support'

const schema = defineSchema({ notes: { columns: { id: { type: 'integer', primaryKey: true }, body: { type: 'text' } } } })
const { notes } = schema

forEachDialect((db) => {
  test('explicit and generated ids mixed: every row returned, or refused before sending', async () => {
    const engine = await db.engine()
    await engine.createAll(schema)
    const mixed = insert(notes).values([{ body: 'a' }, { id: 5000, body: 'b' }, { body: 'c' }]).returning()
    if (db.capabilities.returning) {
      const rows = await engine.all(mixed)
      expect(rows.map((r) => r.body)).toEqual(['a', 'b', 'c'])
      expect(rows[1].id).toBe(5000)
      return
    }
    const error = await engine.all(mixed).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(CompileError)
    expect((error as Error).message).toMatch(/notes.*mixes rows that give id with rows that leave it to the database/)
    expect(await engine.scalar(select(count()).from(notes))).toBe(0)
  })

  test('explicit ids only: every row returned', async () => {
    const engine = await db.engine()
    await engine.createAll(schema)
    await engine.execute(insert(notes).values({ body: 'before' }))
    const rows = await engine.all(insert(notes).values([{ id: 7000, body: 'x' }, { id: 6000, body: 'y' }, { id: 9000, body: 'z' }]).returning())
    expect([...rows].sort((a, b) => a.id - b.id)).toEqual([{ id: 6000, body: 'y' }, { id: 7000, body: 'x' }, { id: 9000, body: 'z' }])
    // Generated ids only, after explicit ones: both rows come back (MySQL numbers on from 9000, PostgreSQL's sequence from 1).
    const more = await engine.all(insert(notes).values([{ body: 'p' }, { body: 'q' }]).returning())
    expect(more.map((r) => r.body)).toEqual(['p', 'q'])
    expect(new Set([...rows, ...more].map((r) => r.id)).size).toBe(5)
    expect(await engine.all(select(notes).orderBy(asc(notes.id)))).toHaveLength(6)
  })
})
