/**
 * TOUR.md, compiled: every snippet of sections 2 and 3 (and section 1's engines, which they run
 * on), and the session snippets of sections 4, 5, 6 and 8, as written in the tour wherever Quarry
 * accepts that form. Each deviation is marked `// TOUR:` with the tour's form next to Quarry's.
 * The results carry the exact types the tour's comments promise. What must not compile uses
 * `@ts-expect-error`, which tsd and plain tsc both enforce.
 */
import { expectType } from 'tsd'
import { createEngine } from '@quarry/core'
import {
  alias,
  any,
  between,
  caseWhen,
  cast,
  compile,
  count,
  defineSchema,
  deleteFrom,
  desc,
  eq,
  excluded,
  exists,
  gte,
  has,
  ilike,
  inArray,
  insert,
  isNull,
  jsonGet,
  like,
  lt,
  mul,
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
  table,
  update,
  CheckViolation,
  ForeignKeyViolation,
  IntegrityError,
  NotNullViolation,
  UniqueViolation,
  type CompiledQuery,
  type Executable,
  type NewRow,
  type Row,
  type RowOf,
} from '@quarry/core'
import { createSession, joinedload, selectinload } from '@quarry/orm'

declare function rowOf<TQuery extends Executable>(query: TQuery): RowOf<TQuery>

// ── 1. Engine ────────────────────────────────────────────────────────────────────────────────

const engine = createEngine('sqlite:///app.db', { echo: true })
const pg = createEngine('postgresql://user:password@localhost:5432/mydb', {
  pool: { size: 10, maxOverflow: 20, timeoutMs: 30_000 },
})
const my = createEngine('mysql://user:password@localhost/mydb')
void pg
void my
async function closing() {
  await engine.close()
}

// ── 2. Schema as plain objects ───────────────────────────────────────────────────────────────

const timestamps = {
  createdAt: { type: 'timestamp', serverDefault: sql`CURRENT_TIMESTAMP` },
  updatedAt: { type: 'timestamp', serverDefault: sql`CURRENT_TIMESTAMP`, onUpdate: sql`CURRENT_TIMESTAMP` },
} as const

export const schema = defineSchema({
  users: {
    columns: {
      id: { type: 'integer', primaryKey: true },
      username: { type: 'varchar', length: 50, unique: true },
      email: { type: 'varchar', length: 120, unique: true },
      bio: { type: 'text', nullable: true, default: null },
      deletedAt: { type: 'timestamp', nullable: true },
      ...timestamps,
    },
    relations: { posts: { many: 'posts', backPopulates: 'author' } },
  },
  posts: {
    columns: {
      id: { type: 'integer', primaryKey: true },
      title: { type: 'varchar', length: 200 },
      body: { type: 'text' },
      authorId: { type: 'integer', references: 'users.id', index: true },
    },
    relations: {
      author: { one: 'users', backPopulates: 'posts' },
      tags: { many: 'tags', through: 'postTags', backPopulates: 'posts' },
    },
  },
  tags: {
    columns: {
      id: { type: 'integer', primaryKey: true },
      name: { type: 'varchar', length: 50, unique: true },
    },
    relations: { posts: { many: 'posts', through: 'postTags', backPopulates: 'tags' } },
  },
  postTags: {
    name: 'post_tags',
    columns: {
      postId: { type: 'integer', references: 'posts.id', primaryKey: true },
      tagId: { type: 'integer', references: 'tags.id', primaryKey: true },
    },
  },
}, { casing: 'snake_case' })

export const { users, posts, tags, postTags } = schema

export type User = Row<typeof users>
export type NewUser = NewRow<typeof users>

// User: { id: number; username: string; bio: string | null; createdAt: Date; ... }
declare const someUser: User
expectType<{
  id: number
  username: string
  email: string
  bio: string | null
  deletedAt: Date | null
  createdAt: Date
  updatedAt: Date
}>(someUser)
type Post = { id: number; title: string; body: string; authorId: number }
type Tag = { id: number; name: string }

// NewUser: id, bio, createdAt... optional; username, email required.
declare const someNewUser: NewUser
expectType<{
  username: string
  email: string
  id?: number
  bio?: string | null
  deletedAt?: Date | null
  createdAt?: Date
  updatedAt?: Date
}>(someNewUser)

// Tables declared alone (each in its own file) and assembled later; foreign-key actions,
// composite and unique indexes, checks.
const authors = table({
  columns: {
    id: { type: 'integer', primaryKey: true },
    name: { type: 'varchar', length: 50 },
  },
})
const articles = table({
  columns: {
    id: { type: 'integer', primaryKey: true },
    authorId: { type: 'integer', references: { to: 'authors.id', onDelete: 'cascade', onUpdate: 'cascade' }, index: true },
    parentId: { type: 'integer', nullable: true, references: 'articles.id', onDelete: 'set null' },
    title: { type: 'text' },
    score: { type: 'smallint', default: 0 },
  },
  indexes: [{ columns: ['authorId', 'score'] }, { columns: ['authorId', 'title'], unique: true, name: 'articles_author_title' }],
  checks: { score_range: sql`score BETWEEN -100 AND 100` },
  relations: { author: { one: 'authors' } },
})
const assembled = defineSchema({ authors, articles }, { casing: 'snake_case' })
expectType<{ id: number; authorId: number; parentId: number | null; title: string; score: number }>(rowOf(select(assembled.articles)))
expectType<{ id: number; name: string }>(rowOf(select(assembled.authors)))

// `await engine.createAll(schema)` creates what is missing; `dropAll` reverses it.
async function ddl() {
  await engine.createAll(schema)
  await engine.dropAll(schema)
}

// A misspelt reference is a compile error.
defineSchema({
  users: { columns: { id: { type: 'integer', primaryKey: true } } },
  // @ts-expect-error 'users.idd' names no column
  posts: { columns: { id: { type: 'integer', primaryKey: true }, authorId: { type: 'integer', references: 'users.idd' } } },
})

// ── 3. Queries (core) ────────────────────────────────────────────────────────────────────────

async function queries() {
  const all = await engine.all(select(users)) // User[]
  expectType<User[]>(all)
  const alice = await engine.first(select(users).where(eq(users.username, 'alice')))
  expectType<User | undefined>(alice)
  const recent = await engine.all(
    select(users).where(like(users.email, '%@example.com'), gte(users.createdAt, new Date(2026, 0, 1))),
  )
  expectType<User[]>(recent)
  const either = select(users).where(or(eq(users.username, 'alice'), eq(users.username, 'bob')))
  expectType<User>(rowOf(either))
  const page = select(users).orderBy(desc(users.createdAt)).limit(10).offset(20)
  expectType<User>(rowOf(page))
  const n = await engine.scalar(select(count()).from(users)) // number, on every dialect
  expectType<number>(n)
}

function getUsers(opts: { username?: string; emailDomain?: string; limit?: number }) {
  let stmt = select(users) // builders are immutable values
  if (opts.username) stmt = stmt.where(ilike(users.username, `%${opts.username}%`))
  if (opts.emailDomain) stmt = stmt.where(like(users.email, `%@${opts.emailDomain}`))
  return engine.all(stmt.limit(opts.limit ?? 50))
}
expectType<Promise<User[]>>(getUsers({ username: 'al' }))

async function chosenColumnsAndJoins() {
  // TOUR: select({ id: users.id, name: users.username })  →  Quarry: … .from(users) (FROM is never guessed)
  const chosen = await engine.all(select({ id: users.id, name: users.username }).from(users))
  expectType<{ id: number; name: string }[]>(chosen)

  const joined = await engine.all(select({ user: users, post: posts }).from(users).leftJoin(posts, eq(posts.authorId, users.id)))
  expectType<{ user: User; post: Post | null }[]>(joined)

  // Inner, left, right, full and cross joins.
  const byAuthor = eq(posts.authorId, users.id)
  expectType<{ user: User; post: Post }>(rowOf(select({ user: users, post: posts }).from(users).innerJoin(posts, byAuthor)))
  expectType<{ user: User | null; post: Post }>(rowOf(select({ user: users, post: posts }).from(users).rightJoin(posts, byAuthor)))
  expectType<{ user: User | null; post: Post | null }>(rowOf(select({ user: users, post: posts }).from(users).fullJoin(posts, byAuthor)))
  expectType<{ user: User; tag: Tag }>(rowOf(select({ user: users, tag: tags }).from(users).crossJoin(tags)))

  // Self-joins via alias(users, 'u2').
  const u2 = alias(users, 'u2')
  expectType<{ me: string; other: string | null }>(rowOf(select({ me: users.username, other: u2.username }).from(users).leftJoin(u2, lt(u2.id, users.id))))
}

function alsoList() {
  // group by, having, distinct, aggregates.
  expectType<{ authorId: number; n: number; total: number | null }>(
    rowOf(select({ authorId: posts.authorId, n: count(), total: sum(posts.id) }).from(posts).groupBy(posts.authorId).having(gte(count(), 2)).distinct()),
  )
  // case, cast, arithmetic, inArray, between, isNull.
  expectType<{ size: string; idText: string | null; double: number }>(
    rowOf(
      select({ size: caseWhen([[gte(users.id, 100), 'big']], 'small'), idText: cast(users.id, 'text'), double: mul(users.id, 2) })
        .from(users)
        .where(inArray(users.id, [1, 2, 3]), between(users.id, 1, 10), isNull(users.deletedAt)),
    ),
  )
  // Subqueries: scalar, in FROM, correlated (TOUR is silent on the form: Quarry names the outer table with .correlate(users)); exists.
  const postCount = select(count()).from(posts).correlate(users).where(eq(posts.authorId, users.id))
  expectType<{ name: string; posts: number | null }>(rowOf(select({ name: users.username, posts: scalar(postCount) }).from(users)))
  const perAuthor = select({ authorId: posts.authorId, n: count() }).from(posts).groupBy(posts.authorId).as('per_author')
  expectType<{ name: string; n: number }>(rowOf(select({ name: users.username, n: perAuthor.n }).from(users).innerJoin(perAuthor, eq(perAuthor.authorId, users.id))))
  expectType<User>(rowOf(select(users).where(exists(select({ id: posts.id }).from(posts).correlate(users).where(eq(posts.authorId, users.id))))))
  expectType<User>(rowOf(select(users).where(inArray(users.id, select(posts.authorId).from(posts)))))
  // CTEs, recursive too.
  const active = select({ id: users.id, name: users.username }).from(users).where(isNull(users.deletedAt)).cte('active')
  expectType<{ id: number; name: string }>(rowOf(select(active)))
  const ids = recursiveCte('ids', select({ id: users.id }).from(users).where(eq(users.id, 1)), (self) =>
    select({ id: users.id }).from(users).innerJoin(self, eq(users.id, self.id)),
  )
  expectType<{ id: number }>(rowOf(select(ids)))
  // union / intersect / except.
  const userIds = select({ id: users.id }).from(users)
  const authorIds = select({ id: posts.authorId }).from(posts)
  expectType<{ id: number }>(rowOf(userIds.union(authorIds)))
  expectType<{ id: number }>(rowOf(userIds.intersect(authorIds)))
  expectType<{ id: number }>(rowOf(userIds.except(authorIds)))
  // Window functions.
  expectType<{ n: number; r: number }>(
    rowOf(select({ n: over(rowNumber(), { partitionBy: [posts.authorId], orderBy: [desc(posts.id)] }), r: over(rank()) }).from(posts)),
  )
  // forUpdate() / skipLocked().
  expectType<User>(rowOf(select(users).where(eq(users.id, 1)).forUpdate().skipLocked()))
  // insert … select.
  expectType<never>(rowOf(insert(posts).fromSelect(select({ title: users.username, body: users.email, authorId: users.id }).from(users))))
  // TOUR: upsert (`onConflict`)  →  Quarry: onConflictDoNothing({ target }) / onConflictDoUpdate({ target, set })
  insert(tags).values({ name: 'go' }).onConflictDoNothing({ target: tags.name })
  insert(users).values({ username: 'bob', email: 'b@example.com' }).onConflictDoUpdate({ target: users.username, set: { email: excluded(users.email) } })
  // returning (emulated where the dialect lacks it).
  expectType<User>(rowOf(insert(users).values({ username: 'bob', email: 'b@example.com' }).returning()))
  expectType<{ id: number }>(rowOf(update(users).set({ bio: 'x' }).where(eq(users.id, 1)).returning({ id: users.id })))
  expectType<Post>(rowOf(deleteFrom(posts).where(eq(posts.id, 1)).returning()))
  // json access.
  expectType<{ theme: unknown }>(rowOf(select({ theme: jsonGet(users.bio, 'theme') }).from(users)))
}

function escapeHatch() {
  // Values become parameters, sql.identifier() quotes names, sql<T> types the result.
  const q = sql<{ n: number }>`select count(*) as n from ${sql.identifier('users')} where ${users.username} = ${"o'brien"}`
  expectType<{ n: number }>(rowOf(q))
  expectType<{ flag: boolean }>(rowOf(select({ flag: sql<boolean>`${users.id} > ${1}` }).from(users)))
}

function badColumns() {
  // @ts-expect-error a misspelt column
  select(users).where(eq(users.usrname, 'alice'))
  // @ts-expect-error a column of a table that is not in the FROM or JOIN clauses
  select(users).where(eq(posts.title, 'x'))
  // @ts-expect-error a value of the wrong type
  eq(users.id, 'x')
  // @ts-expect-error an insert missing a required column
  insert(users).values({ username: 'alice' })
  // @ts-expect-error an insert naming an unknown one
  insert(users).values({ username: 'alice', email: 'a@example.com', nickname: 'al' })
}

async function compiled() {
  const stmt = select(users).where(eq(users.id, 1))
  const { sql: text, params } = compile(stmt, 'postgres')
  expectType<string>(text)
  expectType<readonly unknown[]>(params)
  expectType<CompiledQuery>(compile(stmt, 'postgres'))
  const byId = prepare(select(users).where(eq(users.id, param('id'))))
  expectType<User | undefined>(await engine.first(byId, { id: 1 }))
  expectType<User | undefined>(await engine.first(byId, { id: 2 }))
}

// ── 4. Session and CRUD (orm) ────────────────────────────────────────────────────────────────

async function crud() {
  await using session = createSession(engine)
  const alice = session.add(users, { username: 'alice', email: 'alice@example.com' })
  await session.commit()
  expectType<number>(alice.id) // 1, assigned by the database

  session.addAll(users, [{ username: 'bob', email: 'bob@example.com' },
                         { username: 'charlie', email: 'charlie@example.com' }])
  await session.commit()

  const user = await session.get(users, 1) // identity map: the same object every time
  expectType<User | undefined>(user)
  user!.email = 'newalice@example.com' // a plain object; the change is tracked
  await session.commit()

  session.delete(user!)
  await session.commit()

  expectType<User[]>(await session.all(select(users)))
  expectType<User | undefined>(await session.first(select(users)))
  expectType<User>(await session.one(select(users).where(eq(users.id, 1))))
  expectType<number>(await session.scalar(select(count()).from(users)))
  await session.flush()
  await session.refresh(alice)
  session.expunge(alice)
  await session.rollback()
}

// ── 5. Relationships ─────────────────────────────────────────────────────────────────────────

async function relationships() {
  await using session = createSession(engine)
  const post = session.add(posts, {
    title: 'SQLAlchemy Guide', body: '...', authorId: 1,
    tags: [{ name: 'python' }, { name: 'tutorial' }], // new tags, post and post_tags rows, in FK order
  })
  await session.commit()
  for (const tag of post.tags) console.log(tag.name)
  expectType<Tag[]>(post.tags)

  const pythonPosts = await session.all(select(posts).where(any(posts.tags, eq(tags.name, 'python'))))
  const alicesPosts = await session.all(select(posts).where(has(posts.author, eq(users.username, 'alice'))))
  expectType<Post[]>(pythonPosts)
  expectType<Post[]>(alicesPosts)
  // @ts-expect-error a relation filter takes a relation, not a plain column
  any(posts.authorId, eq(users.id, 1))
}

// ── 6. Eager loading, no N+1 ─────────────────────────────────────────────────────────────────

async function eagerLoading() {
  await using session = createSession(engine)
  // TOUR: session.all(select(users).options(selectinload(users.posts)))  →  Quarry: session.all(select(users), selectinload(users.posts))
  const a = await session.all(select(users), selectinload(users.posts)) // 2 queries
  const b = await session.all(select(users), joinedload(users.posts)) // 1 query, rows deduplicated
  const c = await session.all(select(users), selectinload(users.posts, posts.tags)) // nested
  // a: (User & { posts: Post[] })[] — the result type holds exactly what was loaded (as one flat object type)
  type UserWithPosts = { id: number; username: string; email: string; bio: string | null; deletedAt: Date | null; createdAt: Date; updatedAt: Date; posts: Post[] }
  expectType<UserWithPosts[]>(a)
  expectType<UserWithPosts[]>(b)
  expectType<{ id: number; title: string; body: string; authorId: number; tags: Tag[] }[]>(c[0].posts)
  expectType<Tag[]>(c[0].posts[0].tags)
  const [plain] = await session.all(select(users))
  // @ts-expect-error reading user.posts when it was not loaded is a type error
  plain.posts
}

// ── 8. Async patterns for production ─────────────────────────────────────────────────────────

interface Context {
  req: { param(name: string): string }
  json(value: unknown): Response
  notFound(): Response
}
declare const app: { get(path: string, handler: (c: Context) => Promise<Response>): void }

app.get('/users/:id', async (c) => {
  await using session = createSession(engine)
  const user = await session.get(users, Number(c.req.param('id')))
  return user ? c.json(user) : c.notFound()
})

async function bulk(tenThousandRows: NewUser[], cutoff: Date) {
  await engine.execute(insert(users).values(tenThousandRows))
  await engine.execute(update(users).where(lt(users.createdAt, cutoff)).set({ bio: 'Legacy user' }))
  try {
    await engine.execute(insert(users).values({ username: 'alice', email: 'a@example.com' }))
  } catch (error) {
    if (error instanceof UniqueViolation || error instanceof ForeignKeyViolation || error instanceof NotNullViolation || error instanceof CheckViolation) {
      expectType<IntegrityError>(error as IntegrityError)
    }
  }
}

void closing
void ddl
void queries
void chosenColumnsAndJoins
void alsoList
void escapeHatch
void badColumns
void compiled
void crud
void relationships
void eagerLoading
void bulk
