/** INSERT / UPDATE / DELETE on every dialect, with upserts and RETURNING (emulated or refused on MySQL). */
import { describe, expect, test } from 'vitest'
import { compile, CompileError, concat, defineSchema, deleteFrom, eq, excluded, insert, like, lt, select, sql, update } from '@quarry/core'
import { node, runnable, withNode } from '@quarry/core/internal'
import { postTags, posts, users } from '../support/blog-schema'
import { compileAll, employees, events, JAN_1 } from './compile-all'

describe('insert', () => {
  test('one row (client defaults filled in, server defaults left to the database)', () => {
    expect(compileAll(insert(users).values({ username: 'alice', email: 'alice@example.com' }))).toMatchSnapshot()
  })

  test('many rows', () => {
    const q = insert(posts).values([
      { title: 'One', body: 'first', authorId: 1 },
      { title: 'Two', body: 'second', authorId: 1 },
    ])
    expect(compileAll(q)).toMatchSnapshot()
  })

  test('many rows, some leaving a column to its default (SQLite has no DEFAULT in VALUES: NULL for nullable columns)', () => {
    const q = insert(users).values([
      { username: 'a', email: 'a@example.com' },
      { username: 'b', email: 'b@example.com', deletedAt: JAN_1, id: 7 },
    ])
    expect(compileAll(q)).toMatchSnapshot()
  })

  test('many rows, some leaving a NOT NULL server-default column out: SQLite refuses, naming the column', () => {
    const q = insert(users).values([
      { username: 'a', email: 'a@example.com' },
      { username: 'b', email: 'b@example.com', createdAt: JAN_1 },
    ])
    expect(compileAll(q, ['postgres', 'mysql'])).toMatchSnapshot()
    expect(() => compile(q, 'sqlite')).toThrow(CompileError)
    expect(() => compile(q, 'sqlite')).toThrow(/users\.createdAt/)
  })

  test('rows of different shapes: keys in another order, added later, or undefined in some rows', () => {
    const same = compileAll(insert(users).values([{ username: 'a', email: 'a@x' }, { username: 'b', email: 'b@x' }]))
    expect(compileAll(insert(users).values([{ username: 'a', email: 'a@x' }, { email: 'b@x', username: 'b' }]))).toEqual(same)
    expect(compileAll(insert(users).values([{ username: 'a', email: 'a@x', bio: undefined }, { username: 'b', email: 'b@x' }]))).toEqual(same)
    const later = [
      { username: 'a', email: 'a@x', deletedAt: undefined },
      { username: 'b', email: 'b@x', deletedAt: JAN_1 },
    ]
    expect(compile(insert(users).values(later), 'postgres')).toMatchObject({
      sql: 'INSERT INTO "users" ("username", "email", "bio", "deleted_at") VALUES ($1, $2, $3, DEFAULT), ($4, $5, $6, $7)',
      params: ['a', 'a@x', null, 'b', 'b@x', null, '2026-01-01 00:00:00.000+00:00'],
    })
    expect(compile(insert(users).values([later[1], later[0]]), 'postgres').sql).toBe(
      'INSERT INTO "users" ("username", "email", "bio", "deleted_at") VALUES ($1, $2, $3, $4), ($5, $6, $7, DEFAULT)',
    )
  })

  test('an expression in a later row binds its parameters in text order', () => {
    const q = insert(users).values([
      { username: 'a', email: 'a@x' },
      { username: concat('b', '!') as unknown as string, email: 'b@x' },
      { username: 'c', email: 'c@x' },
    ])
    expect(compile(q, 'postgres')).toMatchObject({
      sql: 'INSERT INTO "users" ("username", "email", "bio") VALUES ($1, $2, $3), (($4 || $5), $6, $7), ($8, $9, $10)',
      params: ['a', 'a@x', null, 'b', '!', 'b@x', null, 'c', 'c@x', null],
    })
  })

  test('each insert has its own columns, whatever was inserted into the table before', () => {
    expect(compile(insert(users).values({ username: 'a', email: 'a@x' }), 'postgres').sql).toBe('INSERT INTO "users" ("username", "email", "bio") VALUES ($1, $2, $3)')
    expect(compile(insert(users).values({ username: 'a', email: 'a@x', id: 3 }), 'postgres').sql).toBe('INSERT INTO "users" ("id", "username", "email", "bio") VALUES ($1, $2, $3, $4)')
    expect(compile(insert(users).values({ username: 'a', email: 'a@x' }), 'postgres').sql).toBe('INSERT INTO "users" ("username", "email", "bio") VALUES ($1, $2, $3)')
  })

  test('a client default function runs once per row, whatever the shapes of the rows', () => {
    let calls = 0
    const { t } = defineSchema({ t: { columns: { id: { type: 'integer', primaryKey: true }, a: { type: 'integer', nullable: true }, n: { type: 'integer', default: () => ++calls } } } })
    const q = insert(t).values([{ a: 1 }, { a: 2 }, { id: 5 }])
    expect(calls).toBe(3)
    expect(compile(q, 'postgres')).toMatchObject({ sql: 'INSERT INTO "t" ("id", "a", "n") VALUES (DEFAULT, $1, $2), (DEFAULT, $3, $4), ($5, DEFAULT, $6)', params: [1, 1, 2, 2, 5, 3] })
    expect(calls).toBe(3)
  })

  test('rows changed after values() do not change the statement', () => {
    const rows = [{ username: 'a', email: 'a@x' }]
    const q = insert(users).values(rows)
    rows[0].username = 'changed'
    expect(compile(q, 'postgres').params).toEqual(['a', 'a@x', null])
  })

  test('a row of defaults only', () => {
    expect(compileAll(insert(events).values({ payload: { a: 1 }, at: JAN_1 }))).toMatchSnapshot()
    expect(compileAll(insert(employees).values({ name: 'x' }))).toMatchSnapshot()
  })

  test('insert … select', () => {
    const q = insert(posts).fromSelect(select({ title: users.username, body: users.email, authorId: users.id }).from(users).where(like(users.email, '%@x')))
    expect(compileAll(q)).toMatchSnapshot()
  })

  test('on conflict do nothing, with and without a target', () => {
    expect(compileAll(insert(postTags).values({ postId: 1, tagId: 2 }).onConflictDoNothing())).toMatchSnapshot()
    expect(compileAll(insert(users).values({ username: 'a', email: 'a@x' }).onConflictDoNothing({ target: users.email }))).toMatchSnapshot()
  })

  test('on conflict do update with excluded()', () => {
    const q = insert(users)
      .values({ username: 'alice', email: 'alice@example.com' })
      .onConflictDoUpdate({ target: users.email, set: { username: excluded(users.username), bio: concat(users.username, ' (again)') } })
    expect(compileAll(q)).toMatchSnapshot()
  })

  test('on conflict do update … where (MySQL cannot filter an upsert)', () => {
    const q = insert(users)
      .values({ username: 'alice', email: 'alice@example.com' })
      .onConflictDoUpdate({ target: [users.email], set: { bio: 'updated' }, where: lt(users.id, 100) })
    expect(compileAll(q, ['sqlite', 'postgres'])).toMatchSnapshot()
    expect(() => compile(q, 'mysql')).toThrow(CompileError)
    expect(() => compile(q, 'mysql')).toThrow(/users/)
  })

  test('returning the whole row (MySQL: emulated by the engine)', () => {
    const q = insert(users).values({ username: 'alice', email: 'alice@example.com' }).returning()
    const compiled = compileAll(q)
    expect(compiled).toMatchSnapshot()
    expect(compiled.mysql?.emulateReturning).toMatchObject({ table: 'users', primaryKey: 'id', rowCount: 1 })
    expect(compiled.postgres?.emulateReturning).toBeUndefined()
  })

  test('returning chosen columns of many rows', () => {
    const q = insert(users)
      .values([
        { username: 'a', email: 'a@x' },
        { username: 'b', email: 'b@x' },
      ])
      .returning({ id: users.id, name: users.username })
    const compiled = compileAll(q)
    expect(compiled).toMatchSnapshot()
    expect(compiled.mysql?.emulateReturning).toMatchObject({ rowCount: 2 })
  })

  test('MySQL cannot emulate returning without an auto-increment key, nor for an upsert', () => {
    expect(() => compile(insert(postTags).values({ postId: 1, tagId: 2 }).returning(), 'mysql')).toThrow(/post_tags/)
    const upsert = insert(users).values({ username: 'a', email: 'a@x' }).onConflictDoNothing().returning()
    expect(() => compile(upsert, 'mysql')).toThrow(CompileError)
    expect(compileAll(upsert, ['sqlite', 'postgres'])).toMatchSnapshot()
  })
})

describe('update', () => {
  test('MySQL evaluates SET left to right: an assignment reading another column is moved before it; a swap is refused', () => {
    const q = update(users).set({ email: 'x@y', username: users.email }).all()
    expect(compile(q, 'mysql').sql).toMatch(/^UPDATE `users` SET `username` = `users`\.`email`, `email` = \?, `updated_at` = /)
    expect(compile(q, 'postgres').sql).toMatch(/^UPDATE "users" SET "email" = \$1, "username" = "users"\."email", "updated_at" = /)
    const swap = update(users).set({ username: users.email, email: users.username }).all()
    expect(() => compile(swap, 'mysql')).toThrow(CompileError)
    expect(() => compile(swap, 'mysql')).toThrow(/assignments to users\.\(username, email\) read each other's columns/)
    expect(compile(swap, 'sqlite').sql).toContain('SET "username" = "users"."email", "email" = "users"."username"')
    // Raw text naming a column set beside it goes first; CURRENT_TIMESTAMP (the onUpdate) stays where it is.
    expect(compile(update(users).set({ email: 'z@z', bio: sql`concat('was ', email)` }).all(), 'mysql').sql).toMatch(/^UPDATE `users` SET `bio` = concat\('was ', email\), `email` = \?, `updated_at` = /)
    // A column reading itself (revision = revision + 1) needs no order.
    expect(compile(update(users).set({ bio: concat(users.bio, '!'), email: 'z@z' }).all(), 'mysql').sql).toMatch(/SET `bio` = .*, `email` = \?/)
  })

  test('from rows given as data (the session batch): PostgreSQL reads one array per column, SQLite a VALUES list, every value encoded; MySQL refuses, naming the columns', () => {
    const ref = (key: string, meta: object) => node({ kind: 'column', scope: 'v', qualifier: 'v', key, meta } as never) as never
    const base = update(users).set({ email: ref('email', users.email.meta) }).where(eq(users.id, ref('id', { ...users.id.meta, name: 'key' }))).returning({ id: users.id, updatedAt: users.updatedAt })
    const rows = node({ kind: 'rows' as const, alias: 'v', columns: [users.id, users.email], names: ['key', 'email'], rows: [[1, 'a@x'], [2, null]] })
    const q = runnable(withNode(base.ast, { from: rows })) as unknown as typeof base
    expect(compile(q, 'postgres')).toMatchObject({
      sql: 'UPDATE "users" SET "email" = "v"."email", "updated_at" = (CURRENT_TIMESTAMP AT TIME ZONE \'UTC\') FROM unnest($1::integer[], $2::varchar[]) AS "v" ("key", "email") WHERE "users"."id" = "v"."key" RETURNING "users"."id", "users"."updated_at" AS "updatedAt"',
      params: [[1, 2], ['a@x', null]],
    })
    expect(compile(q, 'sqlite')).toMatchObject({
      sql: 'UPDATE "users" SET "email" = "v"."email", "updated_at" = (strftime(\'%Y-%m-%d %H:%M:%S\', \'now\') || CASE WHEN strftime(\'%f\', \'now\') LIKE \'%.000\' THEN \'\' ELSE substr(strftime(\'%f\', \'now\'), 3) END) FROM (SELECT column1 AS "key", column2 AS "email" FROM (VALUES (?, ?), (?, ?))) AS "v" WHERE "users"."id" = "v"."key" RETURNING "users"."id", "users"."updated_at" AS "updatedAt"',
      params: [1, 'a@x', 2, null],
    })
    expect(() => compile(q, 'mysql')).toThrow(/mysql cannot read rows given as data \(id, email\)/)
  })

  test('set values and expressions; the onUpdate column is refreshed automatically', () => {
    const q = update(users).set({ bio: 'Legacy user', username: concat(users.username, '_old') }).where(lt(users.createdAt, JAN_1))
    const compiled = compileAll(q)
    expect(compiled).toMatchSnapshot()
    // CURRENT_TIMESTAMP is written in the column's storage form: UTC, with milliseconds.
    expect(compiled.sqlite!.sql).toContain(`"updated_at" = (strftime('%Y-%m-%d %H:%M:%S', 'now') || CASE WHEN strftime('%f', 'now') LIKE '%.000' THEN '' ELSE substr(strftime('%f', 'now'), 3) END)`)
    expect(compiled.postgres!.sql).toContain(`"updated_at" = (CURRENT_TIMESTAMP AT TIME ZONE 'UTC')`)
    expect(compiled.mysql!.sql).toContain('`updated_at` = (UTC_TIMESTAMP(3))')
  })

  test('an onUpdate column set explicitly is not refreshed too', () => {
    const { sql: text } = compile(update(users).set({ updatedAt: JAN_1 }).all(), 'postgres')
    expect(text).toBe('UPDATE "users" SET "updated_at" = $1')
  })

  test('set called twice keeps one assignment per column', () => {
    expect(compileAll(update(users).set({ bio: 'a' }).set({ bio: 'b', deletedAt: null }).where(eq(users.id, 1)))).toMatchSnapshot()
  })

  test('returning (MySQL: emulated by the engine, the update compiled without it)', () => {
    const q = update(users).set({ bio: 'x' }).where(eq(users.id, 1)).returning({ id: users.id, bio: users.bio })
    expect(compileAll(q, ['sqlite', 'postgres'])).toMatchSnapshot()
    expect(compile(q, 'mysql').sql).toMatch(/^UPDATE `users` SET `bio` = \?, `updated_at` = .* WHERE `users`\.`id` = \?$/)
    expect(compile(q, 'mysql').emulateReturning).toMatchObject({ kind: 'update', keyColumns: '`users`.`id`' })
    expect(() => compile(update(postTags).set({ tagId: 1 }).all().returning(), 'mysql')).not.toThrow()
    expect(compileAll(update(posts).set({ title: 'T' }).all().returning(), ['sqlite', 'postgres'])).toMatchSnapshot()
  })

  test('a raw sql value', () => {
    expect(compileAll(update(users).set({ deletedAt: sql<Date>`CURRENT_TIMESTAMP` }).where(eq(users.id, 3)))).toMatchSnapshot()
  })
})

describe('delete', () => {
  test('where', () => {
    expect(compileAll(deleteFrom(posts).where(eq(posts.authorId, 1), like(posts.title, 'Draft%')))).toMatchSnapshot()
  })

  test('everything', () => {
    expect(compileAll(deleteFrom(postTags).all())).toMatchSnapshot()
  })

  test('returning (MySQL cannot: CompileError)', () => {
    const q = deleteFrom(users).where(eq(users.id, 1)).returning()
    expect(compileAll(q, ['sqlite', 'postgres'])).toMatchSnapshot()
    expect(() => compile(q, 'mysql')).toThrow(CompileError)
    expect(() => compile(q, 'mysql')).toThrow(/mysql cannot return rows from a delete/)
  })
})
