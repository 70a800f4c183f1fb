/**
 * Session features on every dialect: savepoints (`nested`), a session bound to a transaction
 * (the per-test fixture), `merge`, bulk statements that keep loaded objects true, soft-deleted
 * rows hidden inside many-to-many `any()`, and a session dropped without `close()`.
 */
import { setFlagsFromString } from 'node:v8'
import { runInNewContext } from 'node:vm'
import { any, concat, defineSchema, deleteFrom, eq, like, select, update, UniqueViolation, type Engine } from '@quarry/core'
import { createSession, withDeleted, type Session } from '@quarry/orm'
import { expect, test, vi } from 'vitest'
import { forEachDialect } from '../support/dialects'
import { posts, schema, users } from '../support/blog-schema'
import { setUp } from './helpers'

const labelled = defineSchema({
  docs: {
    columns: { id: { type: 'integer', primaryKey: true }, title: { type: 'varchar', length: 40 } },
    relations: { labels: { many: 'labels', through: 'docLabels' } },
  },
  labels: {
    softDelete: 'deletedAt',
    columns: { id: { type: 'integer', primaryKey: true }, name: { type: 'varchar', length: 40 }, deletedAt: { type: 'timestamp', nullable: true } },
  },
  docLabels: {
    name: 'doc_labels',
    columns: { docId: { type: 'integer', references: 'docs.id', primaryKey: true }, labelId: { type: 'integer', references: 'labels.id', primaryKey: true } },
  },
})

/** What the fixture's transaction is rolled back with. */
const ROLLBACK = new Error('roll back the test transaction')

/** The README's fixture: the test body (`use`) gets a session on a transaction rolled back at its end. */
function rollingBack(engine: Engine) {
  return async ({}, use: (session: Session) => Promise<void>) => {
    await engine
      .transaction(async (tx) => {
        await using session = createSession(tx)
        await use(session)
        throw ROLLBACK
      })
      .catch((error) => {
        if (error !== ROLLBACK) throw error
      })
  }
}

forEachDialect((db) => {
  test('nested(): a failure rolls back to the savepoint, and objects return to their state there', async () => {
    const { engine, session } = await setUp(db, schema)
    await using s = session()
    const alice = s.add(users, { username: 'alice', email: 'alice@x' })
    await s.flush()
    let bob: { id?: number } | undefined
    await expect(
      s.nested(async () => {
        alice.email = 'changed@x'
        bob = s.add(users, { username: 'bob', email: 'bob@x' })
        await s.flush()
        expect(bob.id).toBeGreaterThan(0)
        throw new Error('boom')
      }),
    ).rejects.toThrow('boom')
    expect(alice.email).toBe('alice@x')
    expect(s.isModified(alice)).toBe(false)
    expect(s.statusOf(bob!)).toBe('detached')
    expect(bob!.id).toBeUndefined()
    // A failed flush inside: the savepoint takes the error, the session goes on.
    await expect(s.nested(async () => void (s.add(users, { username: 'alice', email: 'again@x' }), await s.flush()))).rejects.toBeInstanceOf(UniqueViolation)
    const kept = await s.nested(async () => {
      alice.bio = 'kept'
      return 'done'
    })
    expect(kept).toBe('done')
    await s.commit()
    expect(await engine.all(select({ username: users.username, email: users.email, bio: users.bio }).from(users))).toEqual([{ username: 'alice', email: 'alice@x', bio: 'kept' }])
  })

  test('createSession(tx): commits release a savepoint of the test transaction, which the fixture rolls back at the end', async () => {
    const { engine } = await setUp(db, schema)
    // The README's vitest fixture, given the test body as `use`.
    const fixture = rollingBack(engine)
    let seen: unknown[] = []
    await fixture({}, async (session) => {
      const alice = session.add(users, { username: 'alice', email: 'alice@x' })
      await session.commit()
      expect(await session.scalar(select(users.username).from(users).where(eq(users.id, alice.id)))).toBe('alice')
      alice.email = 'second@x'
      await session.commit()
      session.add(users, { username: 'bob', email: 'bob@x' })
      await session.rollback()
      seen = await session.all(select(users))
      expect(seen).toEqual([alice])
      expect(alice.email).toBe('second@x')
    })
    expect(seen).toHaveLength(1)
    expect(await engine.all(select(users))).toEqual([])
  })

  test('merge(): a detached object is copied onto the tracked row, loaded or found by key; without a known key it is added', async () => {
    const { engine, session } = await setUp(db, schema)
    await using s = session()
    const alice = s.add(users, { username: 'alice', email: 'alice@x' })
    await s.commit()
    const merged = await s.merge(users, { id: alice.id, username: 'alice', email: 'new@x' })
    expect(merged).toBe(alice)
    expect(alice.email).toBe('new@x')
    await s.commit()
    await using other = session()
    const fromBody = { id: alice.id, email: 'body@x' }
    const loaded = await other.merge(users, fromBody)
    expect(loaded).not.toBe(fromBody)
    expect(other.statusOf(loaded)).toBe('persistent')
    expect(loaded.username).toBe('alice')
    expect(other.isModified(loaded)).toBe(true)
    const added = await other.merge(users, { username: 'carol', email: 'carol@x' })
    expect(other.statusOf(added)).toBe('pending')
    await other.commit()
    expect(await engine.all(select({ username: users.username, email: users.email }).from(users).orderBy(users.id))).toEqual([
      { username: 'alice', email: 'body@x' },
      { username: 'carol', email: 'carol@x' },
    ])
  })

  test('execute(): bulk UPDATE and DELETE keep loaded objects true (WHERE evaluated in JS, or the keys fetched)', async () => {
    const { log, session } = await setUp(db, schema)
    await using s = session()
    const author = s.add(users, { username: 'alice', email: 'alice@x' })
    const [a, b, c] = s.addAll(posts, [
      { title: 'one', body: '…', author },
      { title: 'two', body: '…', author },
      { title: 'three', body: '…', author },
    ])
    await s.commit()
    log.reset()
    // A numeric WHERE is evaluated in JavaScript: the UPDATE alone runs.
    await s.execute(update(posts).set({ title: 'renamed' }).where(eq(posts.id, a.id)))
    expect(log.count()).toBe(1)
    expect(a.title).toBe('renamed')
    expect(s.isModified(a)).toBe(false)
    expect(b.title).toBe('two')
    // A string WHERE: the keys it matches are selected first.
    await s.execute(update(posts).set({ body: 'x' }).where(like(posts.title, 't%')))
    expect([a.body, b.body, c.body]).toEqual(['…', 'x', 'x'])
    // A value computed in SQL is read back.
    await s.execute(update(posts).set({ title: concat(posts.title, '!') }).where(eq(posts.id, b.id)))
    expect(b.title).toBe('two!')
    await s.execute(deleteFrom(posts).where(eq(posts.id, c.id)))
    expect(s.statusOf(c)).toBe('deleted')
    expect(await s.get(posts, c.id)).toBeUndefined()
    // Without synchronising, loaded objects are left as they are.
    await s.execute(update(posts).set({ title: 'raw' }).where(eq(posts.id, a.id)), { synchronize: false })
    expect(a.title).toBe('renamed')
    await s.rollback()
    expect([a.title, b.title, c.title]).toEqual(['one', 'two', 'three'])
    expect(s.statusOf(c)).toBe('persistent')
  })

  test('a soft-deleted row on the far side of a many-to-many does not make any() match', async () => {
    const { session } = await setUp(db, labelled)
    await using s = session()
    const { docs, labels } = labelled
    const old = s.add(labels, { name: 'old' })
    s.add(docs, { title: 'memo', labels: [old] })
    await s.commit()
    s.delete(old)
    await s.commit()
    expect(await s.all(select(docs).where(any(docs.labels, eq(labels.name, 'old'))))).toEqual([])
    expect((await s.all(select(docs).where(any(docs.labels, eq(labels.name, 'old'))), withDeleted())).map((d) => d.title)).toEqual(['memo'])
  })

  test('a session dropped with its transaction open warns, naming where it was created, and gives its connection back', async () => {
    setFlagsFromString('--expose-gc')
    const gc = runInNewContext('gc') as () => void
    const { engine } = await setUp(db, schema)
    const warnings: string[] = []
    const warn = vi.spyOn(console, 'warn').mockImplementation((message: string) => void warnings.push(message))
    try {
      await (async function leak() {
        const s = createSession(engine)
        s.add(users, { username: 'leaked', email: 'leaked@x' })
        await s.flush()
      })()
      // Finalizers run after a collection, at a later turn: collect until the warning comes (bounded, never a sleep).
      for (let i = 0; i < 50 && warnings.length === 0; i++) {
        gc()
        await new Promise((resolve) => setImmediate(resolve))
      }
      expect(warnings[0]).toMatch(/a session was garbage-collected with its transaction open/)
      expect(warnings[0]).toMatch(/session-features\.test\.ts/)
      // Its transaction was rolled back and its connection given back: the engine answers (SQLite has one connection).
      expect(await engine.all(select(users))).toEqual([])
    } finally {
      warn.mockRestore()
    }
  })
})
