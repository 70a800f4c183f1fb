/** SELECT on every dialect: TOUR section 3 and the list of constructs. */
import { describe, expect, test } from 'vitest'
import {
  alias,
  and,
  any,
  asc,
  between,
  compile,
  CompileError,
  count,
  desc,
  eq,
  exists,
  gt,
  gte,
  has,
  ilike,
  inArray,
  isNotNull,
  isNull,
  like,
  ne,
  not,
  notExists,
  notInArray,
  or,
  recursiveCte,
  scalar,
  select,
  sql,
  add,
} from '@quarry/core'
import { postTags, posts, tags, users } from '../support/blog-schema'
import { compileAll, employees, JAN_1 } from './compile-all'

describe('the tour', () => {
  test('select a whole table', () => {
    expect(compileAll(select(users))).toMatchSnapshot()
  })

  test('where eq', () => {
    expect(compileAll(select(users).where(eq(users.username, 'alice')))).toMatchSnapshot()
  })

  test('where with several conditions (variadic AND), like and a date', () => {
    expect(compileAll(select(users).where(like(users.email, '%@example.com'), gte(users.createdAt, JAN_1)))).toMatchSnapshot()
  })

  test('or', () => {
    expect(compileAll(select(users).where(or(eq(users.username, 'alice'), eq(users.username, 'bob'))))).toMatchSnapshot()
  })

  test('order, limit and offset', () => {
    expect(compileAll(select(users).orderBy(desc(users.createdAt)).limit(10).offset(20))).toMatchSnapshot()
  })

  test('count from', () => {
    expect(compileAll(select(count()).from(users))).toMatchSnapshot()
  })

  test('filters added one by one (ilike, like, limit)', () => {
    let stmt = select(users)
    stmt = stmt.where(ilike(users.username, '%ali%'))
    stmt = stmt.where(like(users.email, '%@example.com'))
    expect(compileAll(stmt.limit(50))).toMatchSnapshot()
  })
})

describe('selections', () => {
  test('chosen columns', () => {
    expect(compileAll(select({ id: users.id, name: users.username }).from(users))).toMatchSnapshot()
  })

  test('one column', () => {
    expect(compileAll(select(users.email).from(users))).toMatchSnapshot()
  })

  test('distinct', () => {
    expect(compileAll(select({ authorId: posts.authorId }).from(posts).distinct())).toMatchSnapshot()
  })
})

describe('joins', () => {
  const byAuthor = eq(posts.authorId, users.id)

  test('inner join', () => {
    expect(compileAll(select({ user: users, post: posts }).from(users).innerJoin(posts, byAuthor))).toMatchSnapshot()
  })

  test('left join', () => {
    expect(compileAll(select({ user: users, post: posts }).from(users).leftJoin(posts, byAuthor))).toMatchSnapshot()
  })

  test('right join', () => {
    expect(compileAll(select({ name: users.username, title: posts.title }).from(users).rightJoin(posts, byAuthor))).toMatchSnapshot()
  })

  test('full join (MySQL has none: CompileError naming the table)', () => {
    const q = select({ name: users.username, title: posts.title }).from(users).fullJoin(posts, byAuthor)
    expect(compileAll(q, ['sqlite', 'postgres'])).toMatchSnapshot()
    expect(() => compile(q, 'mysql')).toThrow(CompileError)
    expect(() => compile(q, 'mysql')).toThrow(/FULL JOIN.*posts/)
  })

  test('cross join', () => {
    expect(compileAll(select({ name: users.username, tag: tags.name }).from(users).crossJoin(tags))).toMatchSnapshot()
  })

  test('self-join through an alias', () => {
    const manager = alias(employees, 'manager')
    const q = select({ name: employees.name, manager: manager.name }).from(employees).leftJoin(manager, eq(manager.id, employees.managerId))
    expect(compileAll(q)).toMatchSnapshot()
  })

  test('three tables through the association table', () => {
    const q = select({ title: posts.title, tag: tags.name })
      .from(posts)
      .innerJoin(postTags, eq(postTags.postId, posts.id))
      .innerJoin(tags, eq(tags.id, postTags.tagId))
    expect(compileAll(q)).toMatchSnapshot()
  })
})

describe('where', () => {
  test('and / or / not nested', () => {
    const q = select(users).where(and(or(eq(users.id, 1), eq(users.id, 2)), not(like(users.email, '%spam%'))), ne(users.username, 'root'))
    expect(compileAll(q)).toMatchSnapshot()
  })

  test('where called twice ANDs the conditions; undefined is skipped', () => {
    const q = select(users).where(eq(users.id, 1), undefined).where(isNull(users.deletedAt))
    expect(compileAll(q)).toMatchSnapshot()
  })

  test('null comparisons, between', () => {
    const q = select(users).where(eq(users.bio, null), ne(users.deletedAt, null), isNotNull(users.email), between(users.id, 10, 20))
    expect(compileAll(q)).toMatchSnapshot()
  })

  test('inArray with a list, an empty list and a subquery', () => {
    const q = select(users).where(
      inArray(users.id, [1, 2, 3]),
      inArray(users.username, []),
      notInArray(users.id, []),
      inArray(users.id, select({ id: posts.authorId }).from(posts).where(like(posts.title, 'Q%'))),
    )
    expect(compileAll(q)).toMatchSnapshot()
  })
})

describe('grouping and ordering', () => {
  test('group by / having', () => {
    const q = select({ author: users.username, n: count(posts.id) })
      .from(users)
      .innerJoin(posts, eq(posts.authorId, users.id))
      .groupBy(users.id, users.username)
      .having(gt(count(posts.id), 1))
    expect(compileAll(q)).toMatchSnapshot()
  })

  test('asc / desc with default and explicit NULLS placement', () => {
    const q = select(users).orderBy(asc(users.bio), desc(users.bio), asc(users.bio, { nulls: 'first' }), desc(users.deletedAt, { nulls: 'last' }), asc(users.id), users.username)
    expect(compileAll(q)).toMatchSnapshot()
  })

  test('limit alone, offset alone', () => {
    expect(compileAll(select(users).limit(5))).toMatchSnapshot()
    expect(compileAll(select(users).offset(5))).toMatchSnapshot()
  })
})

describe('locking', () => {
  test('forUpdate, skipLocked, forShare nowait (SQLite omits the clause)', () => {
    expect(compileAll(select(users).where(eq(users.id, 1)).forUpdate())).toMatchSnapshot()
    expect(compileAll(select(users).forUpdate({ skipLocked: true }))).toMatchSnapshot()
    expect(compileAll(select(users).skipLocked())).toMatchSnapshot()
    expect(compileAll(select(users).forShare({ noWait: true }))).toMatchSnapshot()
  })
})

describe('subqueries', () => {
  test('scalar subquery in the selection', () => {
    const q = select({ name: users.username, total: scalar(select({ n: count() }).from(posts)) }).from(users)
    expect(compileAll(q)).toMatchSnapshot()
  })

  test('correlated scalar subquery', () => {
    const postCount = select(count()).from(posts).correlate(users).where(eq(posts.authorId, users.id))
    expect(compileAll(select({ name: users.username, posts: scalar(postCount) }).from(users))).toMatchSnapshot()
  })

  test('derived table in FROM and in a join', () => {
    const prolific = select({ authorId: posts.authorId, n: count() }).from(posts).groupBy(posts.authorId).as('prolific')
    expect(compileAll(select(prolific).where(gt(prolific.n, 2)))).toMatchSnapshot()
    expect(compileAll(select({ name: users.username, n: prolific.n }).from(users).innerJoin(prolific, eq(prolific.authorId, users.id)))).toMatchSnapshot()
  })

  test('exists / not exists, correlated', () => {
    const written = select({ id: posts.id }).from(posts).correlate(users).where(eq(posts.authorId, users.id))
    expect(compileAll(select(users.username).from(users).where(exists(written)))).toMatchSnapshot()
    expect(compileAll(select(users.username).from(users).where(notExists(written)))).toMatchSnapshot()
  })
})

describe('common table expressions', () => {
  test('cte selected from and joined', () => {
    const active = select({ id: users.id, name: users.username }).from(users).where(isNull(users.deletedAt)).cte('active')
    expect(compileAll(select(active))).toMatchSnapshot()
    expect(compileAll(select({ name: active.name, title: posts.title }).from(posts).innerJoin(active, eq(active.id, posts.authorId)))).toMatchSnapshot()
  })

  test('recursive cte', () => {
    const chain = recursiveCte('chain', select({ id: employees.id, managerId: employees.managerId }).from(employees).where(eq(employees.id, 7)), (self) =>
      select({ id: employees.id, managerId: employees.managerId }).from(employees).innerJoin(self, eq(employees.id, self.managerId)),
    )
    expect(compileAll(select({ id: chain.id }).from(chain))).toMatchSnapshot()
  })

  test('recursive cte with UNION (not ALL) and a computed column', () => {
    const counter = recursiveCte(
      'counter',
      select({ n: sql<number>`1` }),
      (self) => select({ n: add(self.n, 1) }).from(self).where(gt(self.n, 0)),
      { unionAll: false },
    )
    expect(compileAll(select(counter).limit(10))).toMatchSnapshot()
  })
})

describe('set operations', () => {
  const authors = select({ id: posts.authorId }).from(posts)
  const ids = select({ id: users.id }).from(users)

  test('union, union all, intersect, except', () => {
    expect(compileAll(ids.union(authors))).toMatchSnapshot()
    expect(compileAll(ids.unionAll(authors))).toMatchSnapshot()
    expect(compileAll(ids.intersect(authors))).toMatchSnapshot()
    expect(compileAll(ids.except(authors))).toMatchSnapshot()
  })

  test('ordered, limited operands and an ordered, limited result', () => {
    const q = ids.orderBy(desc(users.id)).limit(3).union(authors.limit(2)).orderBy(desc(sql.identifier('id'))).limit(4).offset(1)
    expect(compileAll(q)).toMatchSnapshot()
  })

  test('a compound as a derived table', () => {
    expect(compileAll(select(ids.union(authors).as('everyone')))).toMatchSnapshot()
  })
})

describe('relation filters', () => {
  test('any over a to-many relation, with and without a condition', () => {
    expect(compileAll(select(users).where(any(users.posts, like(posts.title, 'Q%'))))).toMatchSnapshot()
    expect(compileAll(select(users).where(any(users.posts)))).toMatchSnapshot()
  })

  test('any over a many-to-many relation', () => {
    expect(compileAll(select(posts.title).from(posts).where(any(posts.tags, eq(tags.name, 'python'))))).toMatchSnapshot()
  })

  test('has over a to-one relation', () => {
    expect(compileAll(select(posts).where(has(posts.author, eq(users.username, 'alice'))))).toMatchSnapshot()
  })
})
