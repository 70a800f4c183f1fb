/**
 * Running statements: all/first/one/scalar/execute/iterate, raw SQL, shaped and decoded rows,
 * prepared statements, echo, and a closed engine. Written once, run on every dialect.
 */
import { expect, test, vi } from 'vitest'
import {
  asc,
  count,
  eq,
  insert,
  param,
  prepare,
  select,
  sql,
  update,
} from '../../packages/core/src/index'
import type { EchoEvent } from '../../packages/core/src/engine'
import { CompileError, EngineClosedError, MultipleResultsError, NoResultError } from '../../packages/core/src/errors'
import { forEachDialect } from '../support'
import { itemRows, items, posts, schema, users } from './fixtures'

forEachDialect((db) => {
  async function seeded() {
    const engine = await db.engine()
    await engine.createAll(schema)
    await engine.execute(
      insert(users).values([
        { id: 1, username: 'alice', email: 'alice@example.com', age: 30 },
        { id: 2, username: 'bob', email: 'bob@example.com', age: null },
        { id: 3, username: 'carol', email: 'carol@example.com', age: 41 },
      ]),
    )
    await engine.execute(insert(posts).values([{ title: 'Hello', authorId: 1 }, { title: 'Again', authorId: 1 }]))
    return engine
  }

  test('raw sql: all, first, one, scalar', async () => {
    const engine = await db.engine()
    expect(await engine.all(sql<{ a: number; b: string }>`SELECT 1 AS a, ${'x'} AS b`)).toEqual([{ a: 1, b: 'x' }])
    expect(await engine.first(sql`SELECT 2 AS a`)).toEqual({ a: 2 })
    expect(await engine.one(sql`SELECT 3 AS a`)).toEqual({ a: 3 })
    expect(await engine.scalar(sql<{ n: number }>`SELECT 42 AS n`)).toBe(42)
    expect(await engine.first(sql`SELECT 1 AS a FROM (SELECT 1 AS x) t WHERE 1 = 0`)).toBeUndefined()
  })

  test('one() and scalar() refuse a wrong row count', async () => {
    const engine = await seeded()
    await expect(engine.one(select(users).where(eq(users.id, 99)))).rejects.toThrow(NoResultError)
    await expect(engine.one(select(users))).rejects.toThrow(MultipleResultsError)
    await expect(engine.one(select(users))).rejects.toThrow('found 3')
    await expect(engine.scalar(select({ id: users.id }).from(users).where(eq(users.id, 99)))).rejects.toThrow(NoResultError)
  })

  test('builders: rows decoded by the result shape', async () => {
    const engine = await seeded()
    expect(await engine.all(select(users).orderBy(asc(users.id)))).toEqual([
      { id: 1, username: 'alice', email: 'alice@example.com', age: 30 },
      { id: 2, username: 'bob', email: 'bob@example.com', age: null },
      { id: 3, username: 'carol', email: 'carol@example.com', age: 41 },
    ])
    expect(await engine.scalar(select(count()).from(users))).toBe(3)
    const bob = await engine.first(select({ name: users.username, years: users.age }).from(users).where(eq(users.id, 2)))
    expect(bob).toEqual({ name: 'bob', years: null })
  })

  test('typed values come back as their declared JS types', async () => {
    const engine = await db.engine()
    await engine.createAll(schema)
    const [row] = itemRows(1)
    await engine.execute(insert(items).values(row!))
    const read = await engine.one(select(items))
    expect(read).toEqual({ id: expect.any(Number), ...row })
    expect(typeof read.big).toBe('bigint')
    expect(read.active).toBe(true)
    expect(read.createdAt).toBeInstanceOf(Date)
  })

  test('joins nest tables and an outer-joined table with no row is null', async () => {
    const engine = await seeded()
    const rows = await engine.all(
      select({ user: users, post: posts }).from(users).leftJoin(posts, eq(posts.authorId, users.id)).orderBy(asc(users.id), asc(posts.id)),
    )
    expect(rows.map((row) => [row.user.username, row.post?.title ?? null])).toEqual([
      ['alice', 'Hello'],
      ['alice', 'Again'],
      ['bob', null],
      ['carol', null],
    ])
    expect(rows[2]!.post).toBeNull()
  })

  test('execute: rows affected, generated id, RETURNING (emulated on MySQL)', async () => {
    const engine = await seeded()
    const updated = await engine.execute(update(users).set({ age: 50 }).where(eq(users.username, 'bob')))
    expect(updated.rowsAffected).toBe(1)
    const inserted = await engine.execute(insert(posts).values({ title: 'Third', authorId: 2 }))
    expect(inserted.rowsAffected).toBe(1)
    if (db.dialect !== 'postgres') expect(Number(inserted.insertId)).toBe(3)
    const returned = await engine.all(
      insert(posts).values([{ title: 'Four', authorId: 3 }, { title: 'Five', authorId: 3 }]).returning({ id: posts.id, title: posts.title }),
    )
    expect(returned).toEqual([{ id: 4, title: 'Four' }, { id: 5, title: 'Five' }])
    const viaExecute = await engine.execute(insert(posts).values({ title: 'Six', authorId: 3 }).returning())
    expect(viaExecute.rows).toEqual([{ id: 6, title: 'Six', authorId: 3 }])
    expect(viaExecute.rowsAffected).toBe(1)
  })

  test('raw statements run for their effect', async () => {
    const engine = await db.engine()
    await engine.execute(sql`CREATE TABLE notes (id INTEGER PRIMARY KEY, body VARCHAR(20))`)
    const result = await engine.execute(sql`INSERT INTO notes (id, body) VALUES (${1}, ${'a'}), (${2}, ${'b'})`)
    expect(result.rowsAffected).toBe(2)
    expect((await engine.execute(sql`DELETE FROM notes WHERE id = ${1}`)).rowsAffected).toBe(1)
    expect(await engine.all(sql`SELECT id, body FROM notes`)).toEqual([{ id: 2, body: 'b' }])
  })

  test('iterate streams rows, and the connection is reusable after an early break', async () => {
    const engine = await db.engine({ pool: { size: 1, maxOverflow: 0 } })
    await engine.createAll(schema)
    await engine.execute(insert(items).values(itemRows(3000)))
    let seen = 0
    for await (const item of engine.iterate(select(items).orderBy(asc(items.id)))) {
      expect(item.name).toBe(`item-${seen}`)
      expect(typeof item.big).toBe('bigint')
      seen++
    }
    expect(seen).toBe(3000)
    let partial = 0
    for await (const row of engine.iterate(sql<{ name: string }>`SELECT name FROM items ORDER BY id`)) {
      expect(row.name).toBe(`item-${partial}`)
      if (++partial === 10) break
    }
    expect(await engine.scalar(select(count()).from(items))).toBe(3000)
  })

  test('iterate inside a transaction, breaking early, keeps the transaction usable', async () => {
    const engine = await db.engine()
    await engine.createAll(schema)
    await engine.execute(insert(items).values(itemRows(2000)))
    await engine.transaction(async (tx) => {
      for await (const item of tx.iterate(select(items).orderBy(asc(items.id)))) if (item.qty === 5) break
      await tx.execute(update(items).set({ qty: -1 }).where(eq(items.name, 'item-0')))
    })
    expect(await engine.scalar(select({ qty: items.qty }).from(items).where(eq(items.name, 'item-0')))).toBe(-1)
  })

  test('prepared statements take named values', async () => {
    const engine = await seeded()
    const byId = prepare(select(users).where(eq(users.id, param('id'))))
    expect((await engine.one(byId, { id: 1 })).username).toBe('alice')
    expect((await engine.one(byId, { id: 3 })).username).toBe('carol')
    expect(await engine.first(byId, { id: 99 })).toBeUndefined()
    await expect(engine.all(byId)).rejects.toThrow(CompileError)
    await expect(engine.all(byId, {})).rejects.toThrow("no value given for param('id')")
    await expect(engine.all(byId, { id: 1, idd: 2 })).rejects.toThrow("value given for 'idd'")
    const rename = prepare(update(users).set({ username: param('name') }).where(eq(users.id, param('id'))))
    expect((await engine.execute(rename, { id: 2, name: 'robert' })).rowsAffected).toBe(1)
    expect((await engine.one(byId, { id: 2 })).username).toBe('robert')
  })

  test('echo: true prints statements with parameters and duration', async () => {
    const log = vi.spyOn(console, 'log').mockImplementation(() => {})
    try {
      const engine = await db.engine({ echo: true })
      await engine.all(sql`SELECT ${7} AS n`)
      const line = log.mock.calls.map((call) => String(call[0])).find((text) => text.includes('AS n'))
      expect(line).toMatch(/^\[quarry\] \d+\.\d ms {2}SELECT .* AS n {2}\[7\] {2}→ 1 row$/)
    } finally {
      log.mockRestore()
    }
  })

  test('echo: a function receives sql, params and duration', async () => {
    const events: EchoEvent[] = []
    const engine = await db.engine({ echo: (event) => events.push(event) })
    await engine.all(sql`SELECT ${'x'} AS v`)
    await engine.all(sql`SELECT * FROM no_such_table`).catch(() => {})
    expect(events[0]).toMatchObject({ params: ['x'], rowCount: 1 })
    expect(events[0]!.sql).toContain('AS v')
    expect(events[0]!.durationMs).toBeGreaterThanOrEqual(0)
    expect(events[1]!.error).toBeInstanceOf(Error)
  })

  test('a closed engine refuses work', async () => {
    const engine = await db.engine()
    await engine.scalar(sql`SELECT 1 AS n`)
    await engine.close()
    await engine.close()
    await expect(engine.all(sql`SELECT 1`)).rejects.toThrow(EngineClosedError)
    await expect(engine.transaction(async () => 1)).rejects.toThrow(/is closed/)
    await expect(engine.connect()).rejects.toThrow(EngineClosedError)
  })
})
