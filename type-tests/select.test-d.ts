/**
 * Result shapes of SELECT, read through `RowOf` and through `rowOf(q)`, which also proves the query
 * is a valid `Executable` (every selected table is in FROM or JOIN).
 */
import { expectType } from 'tsd'
import {
  add,
  alias,
  and,
  asc,
  avg,
  cast,
  caseWhen,
  coalesce,
  concat,
  count,
  countDistinct,
  denseRank,
  desc,
  div,
  eq,
  exists,
  gt,
  has,
  any,
  inArray,
  isNull,
  jsonGet,
  jsonText,
  like,
  literal,
  lag,
  lead,
  lower,
  max,
  min,
  mul,
  not,
  or,
  over,
  param,
  prepare,
  rank,
  recursiveCte,
  rowNumber,
  scalar,
  select,
  sql,
  sum,
  type Executable,
  type Row,
  type RowOf,
} from '@quarry/core'
import { postTags, posts, tags, users } from '../tests/support/blog-schema'

declare function rowOf<TQuery extends Executable>(query: TQuery): RowOf<TQuery>

type User = { id: number; username: string; email: string; bio: string | null; deletedAt: Date | null; createdAt: Date; updatedAt: Date }
type Post = { id: number; title: string; body: string; authorId: number }

// Whole table.
const all = select(users)
expectType<User>(rowOf(all))
declare const allRow: RowOf<typeof all>
expectType<User>(allRow)
expectType<Row<typeof users>>(allRow)

// Filters, ordering and paging keep the row.
expectType<User>(
  rowOf(
    select(users)
      .where(eq(users.username, 'alice'), gt(users.createdAt, new Date(2026, 0, 1)))
      .where(or(eq(users.username, 'a'), and(isNull(users.bio), not(eq(users.id, 3)))))
      .orderBy(desc(users.createdAt), asc(users.bio, { nulls: 'first' }), users.id)
      .limit(10)
      .offset(20)
      .distinct()
      .forUpdate({ skipLocked: true }),
  ),
)

// Chosen columns.
expectType<{ id: number; name: string }>(rowOf(select({ id: users.id, name: users.username }).from(users)))
// A single expression gives its value.
expectType<string>(rowOf(select(users.email).from(users)))
expectType<number>(rowOf(select(count()).from(users)))

// Joins: inner none, left the joined side, right the earlier tables, full both, cross none.
const byAuthor = eq(posts.authorId, users.id)
expectType<{ user: User; post: Post }>(rowOf(select({ user: users, post: posts }).from(users).innerJoin(posts, byAuthor)))
expectType<{ user: User; post: Post | null }>(rowOf(select({ user: users, post: posts }).from(users).leftJoin(posts, byAuthor)))
expectType<{ user: User | null; post: Post }>(rowOf(select({ user: users, post: posts }).from(users).rightJoin(posts, byAuthor)))
expectType<{ user: User | null; post: Post | null }>(rowOf(select({ user: users, post: posts }).from(users).fullJoin(posts, byAuthor)))
expectType<{ user: User; tag: { id: number; name: string } }>(rowOf(select({ user: users, tag: tags }).from(users).crossJoin(tags)))
// Chosen columns of an outer-joined table are nullable; expressions over no table are not.
expectType<{ name: string; title: string | null; n: number; one: number }>(
  rowOf(select({ name: users.username, title: posts.title, n: count(), one: sql<number>`1` }).from(users).leftJoin(posts, byAuthor)),
)
expectType<{ name: string | null; title: string }>(rowOf(select({ name: users.username, title: posts.title }).from(users).rightJoin(posts, byAuthor)))
expectType<{ name: string | null; title: string | null }>(rowOf(select({ name: users.username, title: posts.title }).from(users).fullJoin(posts, byAuthor)))
expectType<{ name: string; title: string }>(rowOf(select({ name: users.username, title: posts.title }).from(users).innerJoin(posts, byAuthor)))
// Three tables: a later left join leaves the inner join alone.
expectType<{ user: User; post: Post; tag: { id: number; name: string } | null }>(
  rowOf(select({ user: users, post: posts, tag: tags }).from(users).innerJoin(posts, byAuthor).leftJoin(tags, eq(tags.id, posts.id))),
)

// Self-join through an alias.
const boss = alias(users, 'boss')
expectType<{ me: string; boss: string | null }>(rowOf(select({ me: users.username, boss: boss.username }).from(users).leftJoin(boss, eq(boss.id, users.id))))
expectType<{ me: User; boss: User | null }>(rowOf(select({ me: users, boss }).from(users).leftJoin(boss, eq(boss.id, users.id))))

// Aggregates: count is a number, sum/avg may be null (no rows), min/max keep the type.
expectType<{ n: number; d: number; s: number | null; a: number | null; first: string | null; last: Date | null }>(
  rowOf(
    select({ n: count(posts.id), d: countDistinct(posts.authorId), s: sum(posts.id), a: avg(posts.id), first: min(posts.title), last: max(users.createdAt) })
      .from(posts)
      .innerJoin(users, byAuthor)
      .groupBy(posts.authorId)
      .having(gt(count(posts.id), 1)),
  ),
)

// A subquery in FROM (derived table) and a scalar subquery.
const perAuthor = select({ authorId: posts.authorId, n: count() }).from(posts).groupBy(posts.authorId).as('per_author')
expectType<{ authorId: number; n: number }>(rowOf(select(perAuthor)))
expectType<{ name: string; n: number }>(rowOf(select({ name: users.username, n: perAuthor.n }).from(users).innerJoin(perAuthor, eq(perAuthor.authorId, users.id))))
expectType<{ name: string; n: number | null }>(rowOf(select({ name: users.username, n: perAuthor.n }).from(users).leftJoin(perAuthor, eq(perAuthor.authorId, users.id))))
const postCount = select(count()).from(posts).correlate(users).where(eq(posts.authorId, users.id))
expectType<{ name: string; posts: number | null; total: number | null }>(
  rowOf(select({ name: users.username, posts: scalar(postCount), total: scalar(select({ n: count() }).from(posts)) }).from(users)),
)
expectType<User>(rowOf(select(users).where(exists(select({ id: posts.id }).from(posts).correlate(users).where(eq(posts.authorId, users.id))))))
expectType<User>(rowOf(select(users).where(inArray(users.id, [1, 2]), inArray(users.id, select(posts.authorId).from(posts)))))
// A UNION with a NULL branch widens without a cast, whichever branch comes first (a mismatch: errors.test-d.ts).
expectType<{ bio: string | null }>(rowOf(select({ bio: users.bio }).from(users).union(select({ bio: literal(null) }).from(posts))))
expectType<{ bio: string | null }>(rowOf(select({ bio: literal(null) }).from(posts).union(select({ bio: users.bio }).from(users))))
expectType<{ n: number | null }>(rowOf(select({ n: literal(1) }).from(posts).unionAll(select({ n: literal(null) }).from(users)).orderBy('n').limit(3)))
expectType<{ n: number }>(rowOf(select({ n: literal(1) }).from(posts).union(select({ n: literal(2) }).from(users))))
// correlate(a, b): a subquery may read several outer tables (one it did not name: errors.test-d.ts).
const tagsOfPostByAuthor = select(count()).from(postTags).correlate(posts, users).where(eq(postTags.postId, posts.id), gt(users.id, 0))
expectType<{ title: string; tags: number | null }>(rowOf(select({ title: posts.title, tags: scalar(tagsOfPostByAuthor) }).from(posts).innerJoin(users, eq(users.id, posts.authorId))))

// CTEs, plain and recursive.
const active = select({ id: users.id, name: users.username }).from(users).where(isNull(users.deletedAt)).cte('active')
expectType<{ id: number; name: string }>(rowOf(select(active)))
expectType<{ name: string; title: string }>(rowOf(select({ name: active.name, title: posts.title }).from(active).innerJoin(posts, eq(posts.authorId, active.id))))
const chain = recursiveCte('chain', select({ id: users.id, depth: sql<number>`0` }).from(users).where(eq(users.id, 1)), (self) =>
  select({ id: users.id, depth: add(self.depth, 1) }).from(users).innerJoin(self, eq(users.id, add(self.id, 1))),
)
expectType<{ id: number; depth: number }>(rowOf(select({ id: chain.id, depth: chain.depth }).from(chain)))

// Set operations.
const ids = select({ id: users.id }).from(users)
expectType<{ id: number }>(rowOf(ids.union(select({ id: posts.authorId }).from(posts))))
expectType<{ id: number }>(rowOf(ids.unionAll(select({ id: posts.authorId }).from(posts)).orderBy(desc(sql.identifier('id'))).limit(5)))
expectType<{ id: number }>(rowOf(ids.intersect(select({ id: posts.authorId }).from(posts))))
expectType<{ id: number }>(rowOf(ids.except(select({ id: posts.authorId }).from(posts))))
expectType<{ id: number }>(rowOf(select(ids.union(select({ id: posts.authorId }).from(posts)).as('u'))))

// The `sql` escape hatch types what it returns.
expectType<{ n: number; flag: boolean }>(rowOf(select({ n: sql<number>`count(*)`, flag: sql<boolean>`${users.id} > ${1}` }).from(users)))
expectType<{ x: number }>(rowOf(sql<{ x: number }>`select 1 as x`))

// CASE, CAST, COALESCE, arithmetic, strings and JSON.
expectType<{
  size: string
  maybe: string | null
  asText: string | null
  bio: string
  bio2: string | null
  score: number
  ratio: number | null
  label: string
  lowered: string
  json: unknown
  text: string | null
}>(
  rowOf(
    select({
      size: caseWhen([[gt(users.id, 100), 'big']], 'small'),
      maybe: caseWhen([[gt(users.id, 100), users.username]]),
      asText: cast(users.id, 'text'),
      bio: coalesce(users.bio, 'none'),
      bio2: coalesce(users.bio, users.bio),
      score: mul(add(users.id, 1), 2),
      ratio: div(users.id, 3),
      label: concat(users.username, ' <', users.email, '>'),
      lowered: lower(users.username),
      json: jsonGet(users.bio, 'a', 0),
      text: jsonText(users.bio, 'a'),
    }).from(users),
  ),
)

// Expressions whose second operand is a plain value add no table to the scope.
expectType<{ isAlice: boolean | null; matches: boolean | null; next: number; n: number; name: string }>(
  rowOf(select({ isAlice: eq(users.username, 'alice'), matches: like(users.email, '%@x'), next: add(users.id, 1), n: count(), name: concat('user ', users.username) }).from(users)),
)
expectType<{ a: boolean | null }>(rowOf(select({ a: eq(sql<number>`1`, 1) }).from(users)))
expectType<User>(rowOf(select(users).where(eq(sql<number>`1`, 1), isNull(sql.identifier('users', 'bio'))).orderBy(desc(sql.raw('1')))))

// Window functions.
expectType<{ n: number; r: number; d: number; prev: number | null; next: string | null; running: number | null; total: number }>(
  rowOf(
    select({
      n: over(rowNumber(), { partitionBy: [posts.authorId], orderBy: [desc(posts.id)] }),
      r: over(rank(), { orderBy: [posts.title] }),
      d: over(denseRank()),
      prev: over(lag(posts.id), { orderBy: [posts.id] }),
      next: over(lead(posts.title, 2), { orderBy: [posts.id] }),
      running: over(sum(posts.id), { partitionBy: [posts.authorId], orderBy: [posts.id] }),
      total: over(count()),
    }).from(posts),
  ),
)

// Relation filters keep the row.
expectType<Post>(rowOf(select(posts).where(any(posts.tags, eq(tags.name, 'python')), has(posts.author, eq(users.username, 'alice')))))
expectType<User>(rowOf(select(users).where(any(users.posts))))

// Prepared statements keep the row.
expectType<User>(rowOf(prepare(select(users).where(eq(users.id, param('id'))))))
