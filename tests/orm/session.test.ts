/**
 * TOUR section 4: the session's CRUD cycle, identity map, change tracking, transactions and the
 * failed-flush protocol, on every dialect.
 */
import { count, deleteFrom, eq, inArray, insert, IntegrityError, NoResultError, PoolTimeoutError, select, UniqueViolation, update } from '@quarry/core'
import { PendingRollbackError, SessionError, StaleDataError, createSession, selectinload } from '@quarry/orm'
import { expect, test } from 'vitest'
import { forEachDialect } from '../support/dialects'
import { posts, schema, users } from '../support/blog-schema'
import { extra, settings } from './orm-schema'
import { setUp } from './helpers'

forEachDialect((db) => {
  test('add, commit, get through the identity map, update only what changed, delete', async () => {
    const { engine, log, session } = await setUp(db, schema)
    {
      await using s = session()
      const alice = s.add(users, { username: 'alice', email: 'alice@example.com' })
      expect(s.statusOf(alice)).toBe('pending')
      await s.commit()
      expect(alice.id).toBe(1)
      expect(alice.bio).toBeNull()
      expect(alice.createdAt).toBeInstanceOf(Date)
      expect(s.statusOf(alice)).toBe('persistent')

      s.addAll(users, [
        { username: 'bob', email: 'bob@example.com' },
        { username: 'charlie', email: 'charlie@example.com' },
      ])
      log.reset()
      await s.commit()
      expect(log.statements.filter((q) => /^INSERT/i.test(q))).toHaveLength(1)

      const user = await s.get(users, 1)
      expect(user).toBe(alice)
      expect(await s.get(users, 1)).toBe(alice)
      log.reset()
      user!.email = 'newalice@example.com'
      expect(s.isModified(user!)).toBe(true)
      await s.commit()
      const updates = log.statements.filter((q) => /^UPDATE/i.test(q))
      expect(updates).toHaveLength(1)
      expect(updates[0]).toMatch(/email/)
      expect(updates[0]).not.toMatch(/username/)

      log.reset()
      await s.commit()
      expect(log.count()).toBe(0)

      s.delete(user!)
      await s.commit()
      expect(s.statusOf(user!)).toBe('detached')
      expect(await s.get(users, 1)).toBeUndefined()
    }
    expect(await engine.all(select(users.username).from(users).orderBy(users.id))).toEqual(['bob', 'charlie'])
  })

  test('queries return tracked entities: the same object for the same row', async () => {
    const { session } = await setUp(db, schema)
    await using s = session()
    s.addAll(users, [{ username: 'a', email: 'a@x' }, { username: 'b', email: 'b@x' }])
    await s.commit()
    const all = await s.all(select(users).orderBy(users.id))
    const a = await s.one(select(users).where(eq(users.username, 'a')))
    expect(a).toBe(all[0])
    expect(await s.first(select(users).where(eq(users.username, 'zzz')))).toBeUndefined()
    expect(await s.scalar(select(count()).from(users))).toBe(2)
    // Untracked shapes come back as plain rows.
    expect(await s.all(select({ name: users.username }).from(users).orderBy(users.id))).toEqual([{ name: 'a' }, { name: 'b' }])
    // Grouped selections track each whole-table group.
    const pairs = await s.all(select({ u: users }).from(users).orderBy(users.id))
    expect(pairs[0].u).toBe(all[0])
  })

  test('autoflush before queries, and switching it off', async () => {
    const { session } = await setUp(db, schema)
    {
      await using s = session()
      s.add(users, { username: 'a', email: 'a@x' })
      expect(await s.scalar(select(count()).from(users))).toBe(1)
    }
    {
      await using s = session({ autoflush: false })
      s.add(users, { username: 'b', email: 'b@x' })
      expect(await s.scalar(select(count()).from(users))).toBe(0)
      await s.flush()
      expect(await s.scalar(select(count()).from(users))).toBe(1)
    }
  })

  test('leaving the block without commit rolls back; rollback restores objects', async () => {
    const { engine, session } = await setUp(db, schema)
    {
      await using s = session()
      s.add(users, { username: 'kept', email: 'k@x' })
      await s.commit()
      s.add(users, { username: 'lost', email: 'l@x' })
      await s.flush()
    }
    expect(await engine.all(select(users.username).from(users))).toEqual(['kept'])

    await using s = session()
    const kept = (await s.one(select(users).where(eq(users.username, 'kept'))))
    kept.email = 'changed@x'
    const fresh = s.add(users, { username: 'fresh', email: 'f@x' })
    await s.flush()
    expect(typeof fresh.id).toBe('number')
    await s.rollback()
    expect(kept.email).toBe('k@x')
    expect(s.statusOf(kept)).toBe('persistent')
    expect(s.statusOf(fresh)).toBe('detached')
    expect(fresh.id).toBeUndefined()
    expect(s.isModified(kept)).toBe(false)
    expect(await s.get(users, kept.id)).toBe(kept)
  })

  test('a failed flush: the IntegrityError reaches the caller, then PendingRollbackError until rollback()', async () => {
    const { session } = await setUp(db, schema)
    await using s = session()
    s.add(users, { username: 'alice', email: 'a@x' })
    await s.commit()
    s.add(users, { username: 'alice', email: 'other@x' })
    const error = await s.commit().catch((e: unknown) => e)
    expect(error).toBeInstanceOf(UniqueViolation)
    expect(error).toBeInstanceOf(IntegrityError)
    await expect(s.all(select(users))).rejects.toBeInstanceOf(PendingRollbackError)
    await expect(s.flush()).rejects.toBeInstanceOf(PendingRollbackError)
    expect(() => s.add(users, { username: 'x', email: 'x@x' })).toThrow(PendingRollbackError)
    await expect(s.commit()).rejects.toThrow(/call session.rollback\(\)/)
    await s.rollback()
    expect(await s.all(select(users.username).from(users))).toEqual(['alice'])
  })

  test('refresh discards local column changes; expunge stops tracking', async () => {
    const { session } = await setUp(db, schema)
    await using s = session()
    const u = s.add(users, { username: 'a', email: 'a@x' })
    await s.commit()
    u.email = 'local@x'
    await s.refresh(u)
    expect(u.email).toBe('a@x')
    expect(s.isModified(u)).toBe(false)
    s.expunge(u)
    expect(s.statusOf(u)).toBe('detached')
    u.email = 'ignored@x'
    await s.commit()
    const again = await s.get(users, u.id)
    expect(again).not.toBe(u)
    expect(again!.email).toBe('a@x')
  })

  test('an UPDATE that matches no row raises StaleDataError; an unchanged value is no false alarm', async () => {
    const { session } = await setUp(db, schema)
    await using s = session()
    const [a, b] = s.addAll(users, [{ username: 'a', email: 'a@x' }, { username: 'b', email: 'b@x' }])
    await s.commit()
    // Bulk statements that leave loaded objects as they are: the database changes behind the session, as another transaction would change it.
    await s.execute(update(users).set({ email: 'same@x' }).where(eq(users.id, a.id)), { synchronize: false })
    a.email = 'same@x'
    await s.flush()
    await s.execute(deleteFrom(users).where(eq(users.id, b.id)), { synchronize: false })
    b.email = 'gone@x'
    await expect(s.flush()).rejects.toBeInstanceOf(StaleDataError)
    await s.rollback()
  })

  test('misuse is refused with a clear error', async () => {
    const { session } = await setUp(db, schema)
    await using s = session()
    const u = s.add(users, { username: 'a', email: 'a@x' })
    await s.commit()
    await expect(s.one(select(users).where(eq(users.id, 99)))).rejects.toBeInstanceOf(NoResultError)
    expect(() => s.delete({ id: 1 })).toThrow(SessionError)
    s.expunge(u)
    const loaded = (await s.get(users, u.id))!
    expect(loaded).not.toBe(u)
    expect(() => ((loaded as unknown as { posts: unknown[] }).posts = [])).toThrow(/before it is loaded/)
    const other = createSession(await db.engine())
    expect(() => other.add(users, loaded)).toThrow(/another session/)
    await other.close()
    const p = s.add(posts, { title: 't', body: 'b', authorId: u.id })
    await expect(s.refresh(p)).rejects.toThrow(/pending/)
    s.expunge(p)
  })

  test('composite primary keys and server defaults read back', async () => {
    const { session } = await setUp(db, extra)
    await using s = session()
    const a = s.add(settings, { scope: 'app', name: 'theme', value: 'dark' })
    const b = s.add(settings, { scope: 'app', name: 'lang', value: null })
    await s.commit()
    expect(a.touchedAt).toBeInstanceOf(Date)
    expect(await s.get(settings, { scope: 'app', name: 'theme' })).toBe(a)
    b.value = 'en'
    await s.commit()
    s.delete(a)
    await s.commit()
    const rows = await s.all(select(settings))
    expect(rows).toEqual([b])
    expect(b.value).toBe('en')
  })

  test('sessions are independent: one sees what another committed', async () => {
    const { engine } = await setUp(db, schema)
    {
      await using s1 = createSession(engine)
      s1.add(users, { username: 'a', email: 'a@x' })
      await s1.commit()
    }
    await using s2 = createSession(engine)
    const [u] = await s2.all(select(users))
    expect(u.username).toBe('a')
    const p = s2.add(posts, { title: 't', body: 'b', authorId: u.id })
    await s2.commit()
    expect(p.id).toBe(1)
  })

  test('the transaction begins with the first statement, or at READ COMMITTED with the first write or locking read', async () => {
    const seen: string[] = []
    const engine = await db.engine({ echo: (e) => seen.push(/^\s*(BEGIN|START TRANSACTION)/i.test(e.sql) ? 'BEGIN' : e.sql.trim().split(/\s/)[0].toUpperCase()) })
    await engine.createAll(schema)
    await engine.execute(insert(users).values({ username: 'a', email: 'a@x' }))
    const late = db.capabilities.defaultIsolation === 'read committed'
    const began = () => seen.filter((s) => s === 'BEGIN').length
    seen.length = 0
    {
      await using s = createSession(engine)
      const [u] = await s.all(select(users), selectinload(users.posts))
      expect(u.posts).toEqual([])
      expect(await s.scalar(select(count()).from(users))).toBe(1)
    }
    // Only reads: no transaction at all at READ COMMITTED.
    expect(seen).toEqual(late ? ['SELECT', 'SELECT', 'SELECT'] : ['BEGIN', 'SELECT', 'SELECT', 'SELECT', 'ROLLBACK'])

    seen.length = 0
    {
      await using s = createSession(engine)
      const [u] = await s.all(select(users))
      expect(began()).toBe(late ? 0 : 1)
      s.add(posts, { title: 't', body: 'b', authorId: u.id })
      // Autoflush writes the post in the transaction; the read after it runs there too and sees it.
      expect(await s.scalar(select(count()).from(posts))).toBe(1)
      expect(began()).toBe(1)
    }
    expect(seen.at(-1)).toBe('ROLLBACK')
    expect(await engine.scalar(select(count()).from(posts))).toBe(0)

    // A locking read, or an isolation level given, begins the transaction before the read.
    for (const [options, statement] of [
      [{}, select(users).forUpdate()],
      [{}, select(posts).where(inArray(posts.authorId, select({ id: users.id }).from(users).forUpdate()))],
      [{ isolation: 'read committed' }, select(users)],
    ] as const) {
      seen.length = 0
      {
        await using s = createSession(engine, options)
        await s.all(statement)
      }
      // (MySQL sets the isolation level first.)
      expect(seen.filter((s) => s !== 'SET')[0]).toBe('BEGIN')
    }
  })

  test('one connection: a session inside engine.transaction(), or the engine beside an open session, times out naming the cause', async () => {
    const engine = await db.engine({ pool: { size: 1, maxOverflow: 0, timeoutMs: 300 } })
    await engine.createAll(schema)
    const inside = await engine.transaction(async () => createSession(engine).get(users, 1)).catch((e: unknown) => e)
    expect(inside).toBeInstanceOf(PoolTimeoutError)
    expect((inside as Error).message).toMatch(/run statements on the tx argument/)
    await using s = createSession(engine)
    await s.get(users, 1)
    // PostgreSQL at READ COMMITTED: a session that has only read holds no connection.
    const afterRead = await engine.scalar(select(count()).from(users)).catch((e: unknown) => e)
    if (db.capabilities.defaultIsolation === 'read committed') expect(afterRead).toBe(0)
    else expect(afterRead).toBeInstanceOf(PoolTimeoutError)
    s.add(users, { username: 'a', email: 'a@x' })
    await s.flush()
    const beside = await engine.scalar(select(count()).from(users)).catch((e: unknown) => e)
    expect(beside).toBeInstanceOf(PoolTimeoutError)
    expect((beside as Error).message).toMatch(/a session holds one from its first query, on PostgreSQL from its first write, until commit\(\) or rollback\(\)/)
    await s.commit()
    expect(await engine.scalar(select(count()).from(users))).toBe(1)
  })
})
