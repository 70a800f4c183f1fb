/** Expressions on every dialect: functions, windows, CASE, CAST, arithmetic, JSON, the `sql` template, prepared statements. */
import { describe, expect, test } from 'vitest'
import {
  add,
  asc,
  avg,
  cast,
  caseWhen,
  coalesce,
  compile,
  CompileError,
  concat,
  count,
  countDistinct,
  denseRank,
  desc,
  div,
  eq,
  gt,
  isDistinctFrom,
  isNotDistinctFrom,
  jsonGet,
  jsonText,
  lag,
  lead,
  length,
  lower,
  max,
  min,
  mod,
  mul,
  notIlike,
  notLike,
  now,
  over,
  param,
  postgresDialect,
  prepare,
  rank,
  rowNumber,
  select,
  sql,
  sub,
  sum,
  update,
  upper,
} from '@quarry/core'
import { posts, users } from '../support/blog-schema'
import { compileAll, employees, events } from './compile-all'

describe('aggregates', () => {
  test('count, count distinct, sum, avg, min, max', () => {
    const q = select({ n: count(), ids: count(posts.id), authors: countDistinct(posts.authorId), s: sum(posts.id), a: avg(posts.id), lo: min(posts.title), hi: max(posts.title) }).from(posts)
    expect(compileAll(q)).toMatchSnapshot()
  })
})

describe('window functions', () => {
  test('row_number, rank, dense_rank over partition and order', () => {
    const q = select({
      title: posts.title,
      n: over(rowNumber(), { partitionBy: [posts.authorId], orderBy: [desc(posts.id)] }),
      r: over(rank(), { orderBy: [posts.title] }),
      d: over(denseRank(), { partitionBy: [posts.authorId, posts.body], orderBy: [desc(posts.title)] }),
    }).from(posts)
    expect(compileAll(q)).toMatchSnapshot()
  })

  test('lag, lead and aggregates over a window', () => {
    const q = select({
      prev: over(lag(posts.id), { orderBy: [asc(posts.id)] }),
      next: over(lead(posts.title, 2), { orderBy: [posts.id] }),
      running: over(sum(posts.id), { partitionBy: [posts.authorId], orderBy: [posts.id] }),
      total: over(count()),
    }).from(posts)
    expect(compileAll(q)).toMatchSnapshot()
  })
})

describe('scalar expressions', () => {
  test('case when, with and without else', () => {
    const q = select({
      size: caseWhen([[gt(users.id, 100), 'big'], [gt(users.id, 10), 'medium']], 'small'),
      maybe: caseWhen([[eq(users.username, 'root'), users.email]]),
    }).from(users)
    expect(compileAll(q)).toMatchSnapshot()
  })

  test('cast', () => {
    expect(compileAll(select({ a: cast(users.id, 'text'), b: cast(users.username, 'integer'), c: cast(users.id, 'double'), d: cast(users.bio, 'varchar') }).from(users))).toMatchSnapshot()
  })

  test('arithmetic, with real division', () => {
    const q = select({ a: add(users.id, 1), s: sub(users.id, posts.id), m: mul(users.id, 2), r: mod(users.id, 3), d: div(users.id, 2), dd: div(users.id, posts.id) })
      .from(users)
      .innerJoin(posts, eq(posts.authorId, users.id))
    expect(compileAll(q)).toMatchSnapshot()
  })

  test('concat, coalesce, lower, upper, length, now', () => {
    const q = select({
      label: concat(users.username, ' <', users.email, '>'),
      bio: coalesce(users.bio, users.email, 'none'),
      lo: lower(users.username),
      up: upper(users.email),
      len: length(users.username),
      at: now(),
    }).from(users)
    expect(compileAll(q)).toMatchSnapshot()
  })

  test('not like, not ilike, distinct from', () => {
    const q = select(users).where(notLike(users.email, '%spam%'), notIlike(users.username, 'ADMIN%'), isDistinctFrom(users.bio, 'x'), isNotDistinctFrom(users.deletedAt, null))
    expect(compileAll(q)).toMatchSnapshot()
  })

  test('json access, as json and as text', () => {
    const q = select({ tags: jsonGet(events.payload, 'tags'), first: jsonGet(events.payload, 'tags', 0), kind: jsonText(events.payload, 'kind'), quoted: jsonText(events.payload, "it's") })
      .from(events)
      .where(eq(jsonText(events.payload, 'kind'), 'signup'))
    expect(compileAll(q)).toMatchSnapshot()
  })
})

describe('the sql template', () => {
  test('values become parameters, columns and tables are inlined', () => {
    const q = select({ next: sql<number>`${users.id} + ${5}`, name: users.username }).from(users).where(sql<boolean>`${users.email} like ${'%@example.com'}`)
    expect(compileAll(q)).toMatchSnapshot()
  })

  test('a whole statement, with sql.identifier, sql.raw and sql.join', () => {
    const q = sql<{ id: number }>`select ${sql.identifier('users', 'id')} from ${users} where ${users.id} in (${sql.join([1, 2, 3])}) order by ${sql.raw('1')} desc`
    expect(compileAll(q)).toMatchSnapshot()
  })

  test('identifiers with quote characters are escaped', () => {
    const q = sql`select ${sql.identifier('we"ird`name')} from ${employees}`
    expect(compileAll(q)).toMatchSnapshot()
  })

  test('an update from a raw expression', () => {
    expect(compileAll(update(users).set({ bio: sql<string>`upper(${users.bio})` }).where(eq(users.id, 1)))).toMatchSnapshot()
  })
})

describe('prepared statements', () => {
  const byId = prepare(select(users).where(eq(users.id, param('id')), gt(users.createdAt, param('since'))).limit(param('limit')))

  test('compile once per dialect with named placeholders', () => {
    const compiled = Object.fromEntries(
      (['sqlite', 'postgres', 'mysql'] as const).map((d) => {
        const { sql: text, params, paramSlots } = byId.compiled(d)
        return [d, { sql: text, params, slots: paramSlots?.map((s) => [s.index, s.name]) }]
      }),
    )
    expect(compiled).toMatchSnapshot()
    expect(byId.compiled('postgres')).toBe(byId.compiled('postgres'))
  })

  test('bind fills the named values in placeholder order', () => {
    const since = new Date(Date.UTC(2026, 0, 1))
    // Encoded like inline values, whether the dialect is given by name or as an object.
    expect(byId.bind('postgres', { id: 7, since, limit: 10 })).toEqual([7, '2026-01-01 00:00:00.000+00:00', 10])
    expect(byId.bind(postgresDialect, { id: 7, since, limit: 10 })).toEqual([7, '2026-01-01 00:00:00.000+00:00', 10])
    expect(byId.bind('sqlite', { id: 7, since, limit: 10 })).toEqual([7, '2026-01-01 00:00:00', 10])
    expect(() => byId.bind('sqlite', { id: 7, limit: 10 })).toThrow(CompileError)
    expect(() => byId.bind('sqlite', { id: 7, limit: 10 })).toThrow(/param\('since'\)/)
  })

  test('a parameter used twice fills both places', () => {
    const p = prepare(select(users).where(eq(users.id, param('id')), eq(users.id, param('id'))))
    expect(p.bind('mysql', { id: 3 })).toEqual([3, 3])
    expect(compile(p.ast, 'postgres').sql).toMatch(/= \$1 AND .* = \$2/)
  })
})
