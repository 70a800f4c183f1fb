/**
 * A session after `close()` (issue 12, "Developer mistakes"): every method that would read, write
 * or track throws `SessionClosedError` at once, sending nothing; `close()` again and `await using`
 * are harmless, and the inspection methods still answer (every object is detached).
 */
import { expect, test } from 'vitest'
import { count, defineSchema, eq, select, update } from '@quarry/core'
import { SessionClosedError, SessionError } from '@quarry/orm'
import { forEachDialect } from '../support'
import { setUp } from './helpers'

const schema = defineSchema({ notes: { columns: { id: { type: 'integer', primaryKey: true }, body: { type: 'text' } } } })
const { notes } = schema

forEachDialect((db) => {
  test('every use of a closed session throws SessionClosedError and sends nothing', async () => {
    const { engine, log, session } = await setUp(db, schema)
    const s = session()
    const kept = s.add(notes, { id: 1, body: 'a' })
    await s.commit()
    await s.close()
    log.reset()
    const uses: [string, () => unknown][] = [
      ['add', () => s.add(notes, { id: 2, body: 'b' })],
      ['addAll', () => s.addAll(notes, [{ id: 3, body: 'c' }])],
      ['get', () => s.get(notes, 1)],
      ['all', () => s.all(select(notes))],
      ['first', () => s.first(select(notes))],
      ['one', () => s.one(select(notes).where(eq(notes.id, 1)))],
      ['scalar', () => s.scalar(select(count()).from(notes))],
      ['execute', () => s.execute(update(notes).set({ body: 'x' }).all())],
      ['merge', () => s.merge(notes, { id: 1, body: 'm' })],
      ['nested', () => s.nested(async () => undefined)],
      ['delete', () => s.delete(kept)],
      ['hardDelete', () => s.hardDelete(kept)],
      ['flush', () => s.flush()],
      ['commit', () => s.commit()],
      ['rollback', () => s.rollback()],
      ['refresh', () => s.refresh(kept)],
      ['expunge', () => s.expunge(kept)],
      ['on', () => s.on('beforeFlush', () => undefined)],
    ]
    for (const [name, use] of uses) {
      const error = await (async () => use())().then(() => undefined, (e: unknown) => e)
      expect(error, name).toBeInstanceOf(SessionClosedError)
      expect(error, name).toBeInstanceOf(SessionError)
      expect((error as Error).message, name).toMatch(new RegExp(`^${name}\\(\\): this session was closed; create a new session`))
    }
    expect(log.statements).toEqual([])
    // Closing again and disposing are harmless; inspection still answers.
    await s.close()
    await s[Symbol.asyncDispose]()
    expect(s.statusOf(kept)).toBe('detached')
    expect(s.isModified(kept)).toBe(false)
    expect(await engine.all(select(notes))).toEqual([{ id: 1, body: 'a' }])
  })
})
