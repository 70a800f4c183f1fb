/**
 * Issue 13 §2 builders: result types and scopes of like/contains, the scalar functions, literal
 * constants, cast with a length and compound ordering by output column. Negative cases use
 * `@ts-expect-error`, which both tsd and the plain tsc pass honour.
 */
import { expectType } from 'tsd'
import {
  abs,
  cast,
  ceil,
  charLength,
  contains,
  endsWith,
  greatest,
  intDiv,
  least,
  like,
  literal,
  nullif,
  replace,
  round,
  select,
  startsWith,
  substr,
  trim,
  count,
  currentRow,
  gt,
  over,
  preceding,
  range,
  rows,
  tuple,
  unboundedFollowing,
  unboundedPreceding,
  sql,
  dateTrunc,
  dateAdd,
  extract,
  stringAgg,
  filter,
  every,
  some,
  jsonAgg,
  jsonObjectAgg,
  asc,
  type Condition,
  type Expr,
  type RowOf,
  type Sql,
} from '@quarry/core'
import { posts, users } from '../tests/support/blog-schema'

expectType<Condition<'users'>>(like(users.username, 'a!%', { escape: '!' }))
expectType<Condition<'users'>>(contains(users.username, '50%'))
expectType<Condition<'users'>>(startsWith(users.bio, 'x', { caseInsensitive: true }))
expectType<Condition<'users'>>(endsWith(users.email, '.org'))
// @ts-expect-error contains takes text, not a number
contains(users.username, 5)
// @ts-expect-error LIKE is for text columns
contains(users.id, '1')

expectType<Expr<number, 'users'>>(round(users.id, -1))
expectType<Expr<string | null, 'users'>>(trim(users.bio))
expectType<Expr<string, 'users'>>(substr(users.username, 1, 3))
expectType<Expr<string, 'users'>>(replace(users.username, 'a', 'b'))
expectType<Expr<number, 'users'>>(abs(users.id))
expectType<Expr<number, 'users'>>(ceil(users.id))
expectType<Expr<number, 'users'>>(charLength(users.username))
expectType<Expr<number | null, 'users'>>(charLength(users.bio))
expectType<Expr<string | null, 'users'>>(nullif(users.username, 'x'))
expectType<Expr<number | null, 'users'>>(intDiv(users.id, 2))
expectType<Expr<number, 'users' | 'posts'>>(greatest(users.id, 3, posts.id))
expectType<Expr<string | null, 'users'>>(least(users.username, users.bio))
// @ts-expect-error greatest's operands share one type
greatest(users.id, 'x')
// @ts-expect-error trim is for text
trim(users.id)

expectType<Expr<string, never>>(literal('order'))
expectType<Expr<number, never>>(literal(1))
expectType<Expr<boolean, never>>(literal(true))
expectType<Expr<null, never>>(literal(null))
expectType<Expr<string | null, 'users'>>(cast(users.id, 'varchar', { length: 10 }))

const a = select({ id: users.id, name: users.username }).from(users)
const b = select({ id: posts.id, name: posts.title }).from(posts)
const u = a.union(b).orderBy('name', { by: 'id', direction: 'desc' })
expectType<{ id: number; name: string }>({} as RowOf<typeof u>)
// @ts-expect-error not an output column
a.union(b).orderBy('title')

// Row values: a tuple compares with values of its items' types, or with another tuple.
expectType<Expr<[Date, number], 'users'>>(tuple(users.deletedAt as Expr<Date, 'users'>, users.id))
expectType<Condition<'posts'>>(gt(tuple(posts.authorId, posts.id), [3, 10]))
// @ts-expect-error the values must match the tuple's types
gt(tuple(posts.authorId, posts.id), ['x', 10])
over(count(), { orderBy: [posts.id], frame: rows(preceding(2), currentRow) })
over(count(), { orderBy: [posts.id], frame: range(unboundedPreceding, unboundedFollowing) })

const typedCount = select({ n: sql.typed('integer')`count(*)` }).from(users)
// sql.typed: the value decodes as the named type (NULL stays null); a statement's rows are its values.
expectType<Sql<number | null>>(sql.typed('integer')`count(*)`)
expectType<Sql<Date | null>>(sql.typed('timestamp')`now()`)
expectType<{ n: number | null }>({} as RowOf<typeof typedCount>)
// @ts-expect-error enum and custom have no decoding of their own
sql.typed('enum')

// Dates: dateTrunc keeps the argument's type (Date, or a date's string), extract gives a number (null when the argument may be).
const at = users.deletedAt as Expr<Date, 'users'>
expectType<Expr<Date, 'users'>>(dateTrunc('month', at))
expectType<Expr<Date | null, 'users'>>(dateTrunc('week', users.deletedAt))
expectType<Expr<number, 'users'>>(extract('dow', at))
expectType<Expr<number | null, 'users'>>(extract('epoch', users.deletedAt))
// @ts-expect-error not a unit
dateTrunc('fortnight', at)
expectType<Expr<Date, 'users' | 'posts'>>(dateAdd('day', posts.id, at))
expectType<Expr<Date | null, 'users'>>(dateAdd('month', -1, users.deletedAt))
// @ts-expect-error the amount is a number
dateAdd('day', '1', at)
// @ts-expect-error a number is not a date (a text column passes the types, as a date column is a string, and is refused when built)
extract('year', users.id)

// Aggregates: stringAgg of text, every/some of conditions, jsonAgg of text or numbers.
expectType<Expr<string | null, 'posts'>>(stringAgg(posts.title, ', ', { orderBy: asc(posts.id) }))
expectType<Expr<string | null, 'posts'>>(stringAgg(posts.title, ', ', { orderBy: [asc(posts.title)], distinct: true }))
expectType<Expr<boolean | null, 'posts'>>(every(gt(posts.id, 3)))
expectType<Expr<boolean | null, 'posts'>>(some(gt(posts.id, 3)))
expectType<Expr<number[] | null, 'posts'>>(jsonAgg(posts.id, { orderBy: asc(posts.id) }))
expectType<Expr<string[] | null, 'posts'>>(jsonAgg(posts.title))
// @ts-expect-error stringAgg takes text (cast numbers first)
stringAgg(posts.id, ',')
// @ts-expect-error every takes a condition
every(posts.title)
const idsPerAuthor = select({ author: posts.authorId, ids: jsonAgg(posts.id) }).from(posts).groupBy(posts.authorId)
expectType<{ author: number; ids: number[] | null }>({} as RowOf<typeof idsPerAuthor>)

// filter(aggregate, where): the aggregate's type, the condition's tables added to its scope; decimals stay decimals.
expectType<Expr<number, 'posts'>>(filter(count(), gt(posts.id, 3)))
expectType<Expr<string | null, 'posts'>>(filter(stringAgg(posts.title, ','), gt(posts.id, 3)))
expectType<Expr<Record<string, number> | null, 'posts'>>(jsonObjectAgg(posts.title, posts.id))
// @ts-expect-error the key is text
jsonObjectAgg(posts.id, posts.title)
