/** Compilation is deterministic and builders are immutable; bad input from untyped JS fails with a clear message. */
import { describe, expect, test, vi } from 'vitest'
import {
  compile,
  CompileError,
  count,
  deleteFrom,
  desc,
  eq,
  excluded,
  gt,
  inArray,
  insert,
  jsonGet,
  jsonText,
  like,
  or,
  over,
  param,
  prepare,
  recursiveCte,
  rowNumber,
  scalar,
  SchemaError,
  ArgumentError,
  select,
  sql,
  update,
  alias,
  caseWhen,
  cast,
  concat,
  coalesce,
  ilike,
  div,
} from '@quarry/core'
import { postTags, posts, users } from '../support/blog-schema'
import { DIALECTS, events, JAN_1 } from './compile-all'

function build() {
  return select({ name: users.username, n: count(posts.id) })
    .from(users)
    .leftJoin(posts, eq(posts.authorId, users.id))
    .where(or(like(users.email, '%@example.com'), inArray(users.id, [1, 2, 3])))
    .groupBy(users.id, users.username)
    .having(gt(count(posts.id), 1))
    .orderBy(desc(users.username))
    .limit(10)
}

describe('determinism', () => {
  test.each(DIALECTS)('%s: the same statement compiled twice gives the same text and parameters', (dialect) => {
    const q = build()
    const first = compile(q, dialect)
    const second = compile(q, dialect)
    expect(second.sql).toBe(first.sql)
    expect(second.params).toEqual(first.params)
    expect(compile(q.ast, dialect).sql).toBe(first.sql)
  })

  test.each(DIALECTS)('%s: two separately built equal statements give the same text and parameters', (dialect) => {
    const a = compile(build(), dialect)
    const b = compile(build(), dialect)
    expect(b.sql).toBe(a.sql)
    expect(b.params).toEqual(a.params)
    const insertA = compile(insert(users).values([{ username: 'a', email: 'a@x' }, { username: 'b', email: 'b@x', bio: 'hi' }]), dialect)
    const insertB = compile(insert(users).values([{ username: 'a', email: 'a@x' }, { username: 'b', email: 'b@x', bio: 'hi' }]), dialect)
    expect(insertB).toEqual(insertA)
  })

  test('builders are immutable values: deriving a statement leaves the original alone', () => {
    const base = select(users)
    const before = compile(base, 'postgres').sql
    const filtered = base.where(eq(users.id, 1))
    base.orderBy(users.id).limit(1)
    expect(compile(base, 'postgres').sql).toBe(before)
    expect(compile(filtered, 'postgres').sql).not.toBe(before)
    expect(Object.isFrozen(base)).toBe(true)
    expect(Object.isFrozen(base.ast)).toBe(true)
    const change = update(users).set({ bio: 'x' }).all()
    change.where(eq(users.id, 1))
    expect(compile(change, 'sqlite').sql).not.toMatch(/WHERE/)
  })

  test.each(DIALECTS)('%s: compiling runs no regular expression (no re-parsing of SQL text)', (dialect) => {
    const boss = alias(users, 'bo"s`s')
    const ids = select({ id: users.id }).from(users)
    const chain = recursiveCte('chain', select({ id: users.id }).from(users).where(eq(users.id, 1)), (self) =>
      select({ id: users.id }).from(users).innerJoin(self, eq(users.id, self.id)),
    )
    const statements = [
      build(),
      select({ name: boss.username, n: over(rowNumber(), { partitionBy: [boss.id], orderBy: [desc(boss.createdAt)] }), half: div(boss.id, 2) })
        .from(boss)
        .where(ilike(boss.email, '%x'), gt(boss.createdAt, JAN_1), inArray(boss.id, select(posts.authorId).from(posts)))
        .forUpdate({ skipLocked: true }),
      select({ a: jsonGet(events.payload, 'k"e\\y', 0), b: jsonText(events.payload, "it's"), c: caseWhen([[events.done, 'yes']], 'no'), d: cast(events.id, 'text') })
        .from(events)
        .where(eq(events.done, true)),
      select({ n: scalar(select(count()).from(posts).correlate(users).where(eq(posts.authorId, users.id))), label: concat(users.username, '!'), bio: coalesce(users.bio, '') }).from(users),
      select(chain),
      ids.union(select({ id: posts.authorId }).from(posts)).orderBy(desc(sql.identifier('id'))).limit(3).offset(1),
      insert(users).values([{ username: 'a', email: 'a@x', updatedAt: JAN_1 }, { username: 'b', email: 'b@x', updatedAt: JAN_1 }]).onConflictDoUpdate({ target: users.email, set: { username: excluded(users.username) } }).returning(),
      insert(postTags).values({ postId: 1, tagId: 2 }).onConflictDoNothing(),
      update(users).set({ bio: 'x' }).where(eq(users.id, 1)),
      deleteFrom(posts).where(eq(posts.id, param('id'))),
      sql`select ${sql.identifier('we"ird`name')} from ${users} where ${users.email} = ${"o'brien"}`,
    ]
    const ok = (q: (typeof statements)[number]) => !(dialect === 'mysql' && 'ast' in q && q.ast.kind === 'insert' && q.ast.returning.length && q.ast.onConflict)
    const exec = vi.spyOn(RegExp.prototype, 'exec')
    try {
      for (const q of statements) if (ok(q)) compile(q, dialect)
      prepare(select(users).where(eq(users.id, param('id')))).bind(dialect, { id: 1 })
      expect(exec).not.toHaveBeenCalled()
    } finally {
      exec.mockRestore()
    }
    // The spy does see a regular expression when one runs.
    const seen = vi.spyOn(RegExp.prototype, 'exec')
    'a"b'.replace(/"/g, '""')
    expect(seen).toHaveBeenCalled()
    seen.mockRestore()
  })

  test('placeholders are numbered in text order on PostgreSQL', () => {
    const { sql, params } = compile(build(), 'postgres')
    expect([...sql.matchAll(/\$(\d+)/g)].map((m) => Number(m[1]))).toEqual(params.map((_, i) => i + 1))
  })
})

// What untyped JavaScript (or a cast) can pass: the types would reject all of it.
const loose = (value: unknown) => value as never

describe('clear errors for bad runtime input', () => {
  test('insert naming an unknown column names the table and the column', () => {
    expect(() => insert(users).values(loose({ username: 'a', email: 'b', nickname: 'al' }))).toThrow(SchemaError)
    expect(() => insert(users).values(loose({ username: 'a', email: 'b', nickname: 'al' }))).toThrow("insert into users: unknown column 'nickname'")
    expect(() => insert(users).values(loose([{ username: 'a', email: 'b' }, { usrname: 'x' }]))).toThrow(/users.*'usrname'/)
    // The same keys in every row, the unknown one set only in a later row.
    expect(() => insert(users).values(loose([{ username: 'a', email: 'b', nickname: undefined }, { username: 'c', email: 'd', nickname: 'x' }]))).toThrow("insert into users: unknown column 'nickname'")
    expect(() => insert(users).values(loose([{ username: 'a', email: 'b' }, { username: 'c', email: 'd', nickname: 'x' }]))).toThrow("insert into users: unknown column 'nickname'")
  })

  test('insert with no rows', () => {
    expect(() => insert(users).values([])).toThrow(/insert into users: values\(\) needs at least one row/)
  })

  test('update setting an unknown column, or nothing', () => {
    expect(() => update(users).set(loose({ nickname: 'al' }))).toThrow(/update users: table users has no column 'nickname'/)
    expect(() => compile(update(posts).set({}).all(), 'postgres')).toThrow(CompileError)
    expect(() => compile(update(posts).set({}).all(), 'postgres')).toThrow(/update posts: set\(\) names no column/)
  })

  test('upsert setting an unknown column', () => {
    expect(() => insert(users).values({ username: 'a', email: 'b' }).onConflictDoUpdate({ target: users.email, set: loose({ nick: 1 }) })).toThrow(/users.*'nick'/)
  })

  test('insert … select whose output names an unknown column', () => {
    expect(() => insert(posts).fromSelect(loose(select({ headline: users.username }).from(users)))).toThrow(/posts.*'headline'/)
  })

  test('excluded() of something that is not a column', () => {
    expect(() => excluded(loose('username'))).toThrow(/excluded\(\) takes a column/)
  })

  test('select from something that is not a table', () => {
    // An ArgumentError (issue 12, developer mistakes) naming the method and what it got.
    expect(() => select({ n: count() }).from(loose({ name: 'users' }))).toThrow(ArgumentError)
    expect(() => select({ n: count() }).from(loose({ name: 'users' }))).toThrow(/from\(\): expected a table, an alias, a subquery \.as\(\) or a CTE, got a plain object/)
    expect(() => select(loose({ id: 'users.id' }))).toThrow(/selection 'id'/)
  })

  test('an unknown dialect name', () => {
    expect(() => compile(select(users), loose('oracle'))).toThrow(/unknown dialect 'oracle'.*sqlite, postgres, mysql/)
  })

  test('MySQL refusals name what they refuse', () => {
    expect(() => compile(deleteFrom(users).all().returning(), 'mysql')).toThrow(/mysql cannot return rows from a delete/)
    expect(() => compile(select(users.id).from(users).fullJoin(posts, eq(posts.authorId, users.id)), 'mysql')).toThrow(/mysql has no FULL JOIN \(joining posts\)/)
  })
})
