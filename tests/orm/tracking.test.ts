/**
 * How the session keeps its state beside the objects, on every dialect: date snapshots, relation
 * accessors of added objects, close() versus rollback(), and batched UPDATEs of many rows (every
 * column type through them).
 */
import { asc, eq, select } from '@quarry/core'
import { RelationNotLoadedError } from '@quarry/orm'
import { expect, test } from 'vitest'
import { forEachDialect } from '../support/dialects'
import { posts, schema, users } from '../support/blog-schema'
import { complete, matrix, rows as samplesRows } from '../values/matrix-schema'
import { setUp } from './helpers'

forEachDialect((db) => {
  test('dates: a change in place is tracked, an equal Date is no change, rollback restores a fresh Date', async () => {
    const { log, session } = await setUp(db, schema)
    await using s = session()
    const alice = s.add(users, { username: 'alice', email: 'a@x', deletedAt: new Date('2020-01-02T03:04:05Z') })
    await s.commit()
    const saved = alice.deletedAt!
    log.reset()
    alice.deletedAt = new Date(saved.getTime())
    expect(s.isModified(alice)).toBe(false)
    await s.flush()
    expect(log.count()).toBe(0)

    alice.deletedAt!.setTime(Date.UTC(2021, 0, 1))
    expect(s.isModified(alice)).toBe(true)
    await s.flush()
    expect(log.statements.filter((q) => /^UPDATE/i.test(q))).toHaveLength(1)
    await s.rollback()
    expect(alice.deletedAt).toBeInstanceOf(Date)
    expect(alice.deletedAt!.toISOString()).toBe('2020-01-02T03:04:05.000Z')
    expect(s.isModified(alice)).toBe(false)
  })

  test('an added object: unloaded relations throw and stay out of JSON, also after a rollback undoes an assignment', async () => {
    const { session } = await setUp(db, schema)
    await using s = session()
    const carol = s.add(users, { username: 'carol', email: 'c@x' })
    await s.commit()
    const bob = s.add(users, { username: 'bob', email: 'b@x' })
    const post = s.add(posts, { title: 't', body: 'b', author: bob })
    const other = s.add(posts, { title: 'u', body: 'c', authorId: carol.id })
    await s.commit()
    expect(other.authorId).toBe(carol.id)
    expect(() => (other as unknown as { author: unknown }).author).toThrow(RelationNotLoadedError)
    expect(Object.keys(JSON.parse(JSON.stringify(other))).sort()).toEqual(['authorId', 'body', 'id', 'tags', 'title'])
    expect((post as unknown as { author: unknown }).author).toBe(bob)
    expect(bob.posts).toEqual([post])

    ;(other as unknown as { author: unknown }).author = bob
    expect(Object.keys(other)).toContain('author')
    await s.rollback()
    expect(() => (other as unknown as { author: unknown }).author).toThrow(RelationNotLoadedError)
    expect(Object.keys(other)).not.toContain('author')
  })

  test('close() rolls back and detaches without restoring loaded objects; new rows lose their generated key', async () => {
    const { engine, session } = await setUp(db, schema)
    {
      await using s = session()
      s.add(users, { username: 'kept', email: 'k@x' })
      await s.commit()
    }
    const s = session()
    const kept = await s.one(select(users).where(eq(users.username, 'kept')))
    kept.email = 'changed@x'
    const fresh = s.add(users, { username: 'fresh', email: 'f@x' })
    await s.flush()
    expect(typeof fresh.id).toBe('number')
    await s.close()
    expect(kept.email).toBe('changed@x')
    expect(s.statusOf(kept)).toBe('detached')
    expect(s.statusOf(fresh)).toBe('detached')
    expect(fresh.id).toBeUndefined()
    expect(await engine.all(select(users.email).from(users))).toEqual(['k@x'])
  })

  test('a batched UPDATE writes every column type exactly, NULLs included', async () => {
    const { samples } = matrix
    const { engine, log, session } = await setUp(db, matrix)
    const { id: _id, ...nulls } = complete({ id: 0 })
    await using s = session()
    // Four rows of NULLs; then rows 1, 2 and 4 take every column of the extreme rows 1, 2 and 1
    // (one batch of three rows changing every column), row 3 the sparse row 3.
    const added = s.addAll(samples, [1, 2, 3, 4].map((id) => ({ id, ...nulls })) as never)
    await s.commit()
    const targets = [samplesRows[0], samplesRows[1], samplesRows[2], samplesRows[0]]
    added.forEach((row, i) => Object.assign(row, complete(targets[i]), { id: i + 1 }))
    log.reset()
    await s.commit()
    const updates = log.statements.filter((q) => /^UPDATE/i.test(q))
    expect(updates).toHaveLength(2)
    // Where the dialect reads rows as data, the batch of three reads every column from them.
    if (db.dialectObject.rowsSource) expect(updates.filter((q) => / FROM .* AS "v" /.test(q))).toHaveLength(1)
    const back = (await engine.all(select(samples).orderBy(asc(samples.id)))) as Record<string, unknown>[]
    targets.forEach((target, i) => {
      const expected: Record<string, unknown> = { ...complete(target), id: i + 1 }
      for (const key of Object.keys(expected)) expect([i, key, back[i][key]]).toEqual([i, key, expected[key]])
    })
    // And back to NULL: again a batch of three changing every column, and row 3 on its own.
    for (const row of added) Object.assign(row, nulls)
    log.reset()
    await s.commit()
    expect(log.statements.filter((q) => /^UPDATE/i.test(q))).toHaveLength(2)
    for (const row of (await engine.all(select(samples).orderBy(asc(samples.id)))) as Record<string, unknown>[]) expect({ ...row, id: 0 }).toEqual({ ...nulls, id: 0 })
  })

  test('many changed rows: one UPDATE from the rows as data where the dialect reads them, else batches of at most 100 rows, every row written', async () => {
    const { engine, log, session } = await setUp(db, schema)
    {
      await using s = session()
      const author = s.add(users, { username: 'a', email: 'a@x' })
      for (let i = 0; i < 450; i++) s.add(posts, { title: `t${i}`, body: 'b', author })
      await s.commit()
    }
    await using s = session()
    const rows = await s.all(select(posts).orderBy(asc(posts.id)))
    for (const p of rows) p.title = `new ${p.id}`
    log.reset()
    await s.commit()
    const updates = log.statements.filter((q) => /^UPDATE/i.test(q))
    if (db.dialectObject.rowsSource) expect(updates).toEqual([expect.stringMatching(/^UPDATE \S+ SET .* FROM .* AS "v" /)])
    else expect(updates).toHaveLength(5)
    const titles = (await engine.all(select(posts).orderBy(asc(posts.id)))).map((p) => p.title)
    expect(titles).toEqual(rows.map((p) => `new ${p.id}`))
  })
})
