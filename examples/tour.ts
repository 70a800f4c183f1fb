/**
 * The tour of Quarry (schema, queries, engine, transactions, session) on embedded SQLite, with
 * echo on: `npm run demo`. Set QUARRY_DEMO_URL to run it elsewhere (e.g.
 * `postgres://postgres@127.0.0.1/test`): it creates its tables there and drops them at the end,
 * and refuses to start when one of them already exists, since those would not be its own.
 */
import {
  and,
  any,
  caseWhen,
  coalesce,
  compile,
  concat,
  count,
  createEngine,
  deleteFrom,
  desc,
  eq,
  excluded,
  exists,
  gt,
  gte,
  has,
  ilike,
  inArray,
  insert,
  IntegrityError,
  like,
  lt,
  or,
  over,
  param,
  prepare,
  rowNumber,
  scalar,
  schemaMetaOf,
  select,
  sql,
  update,
  alias,
  recursiveCte,
  isNull,
} from '@quarry/core'
import { posts, postTags, schema, tags, users } from './blog-schema'
import { sessionTour } from './tour-session'

const engine = createEngine(process.env.QUARRY_DEMO_URL ?? 'sqlite::memory:', { echo: true })

function show(title: string, value: unknown): void {
  console.log(`\n# ${title}\n`, value)
}

/** The demo's tables that already exist in the database (a SELECT on one that does not exist fails). */
async function existingTables(): Promise<string[]> {
  const found: string[] = []
  for (const { name } of Object.values(schemaMetaOf(schema).tables)) {
    const exists = await engine.execute(sql`SELECT 1 FROM ${sql.identifier(name)} WHERE 1 = 0`).then(() => true, () => false)
    if (exists) found.push(name)
  }
  return found
}

async function main(): Promise<void> {
  const taken = await existingTables()
  if (taken.length > 0) {
    await engine.close()
    throw new Error(
      `The demo creates and then drops the tables ${Object.values(schemaMetaOf(schema).tables).map((t) => t.name).join(', ')}, ` +
        `but ${process.env.QUARRY_DEMO_URL} already has ${taken.join(', ')}: not the demo's to drop. ` +
        'Point QUARRY_DEMO_URL at an empty database (or schema) instead.',
    )
  }
  // Schema: create what is missing, in dependency order.
  await engine.createAll(schema)
  try {
    await tour()
  } finally {
    await engine.dropAll(schema)
    await engine.close()
  }
}

async function tour(): Promise<void> {

  // Queries.
  const created = await engine.all(
    insert(users)
      .values([
        { username: 'alice', email: 'alice@example.com', bio: 'Writes about SQL' },
        { username: 'bob', email: 'bob@example.com' },
        { username: 'charlie', email: 'charlie@other.org' },
      ])
      .returning({ id: users.id, username: users.username }),
  )
  show('inserted users (RETURNING)', created)

  await engine.execute(
    insert(posts).values([
      { title: 'SQLAlchemy Guide', body: '...', authorId: 1 },
      { title: 'Quarry Tour', body: '...', authorId: 1 },
      { title: 'Hello', body: '...', authorId: 2 },
    ]),
  )
  await engine.execute(insert(tags).values([{ name: 'python' }, { name: 'tutorial' }]))
  await engine.execute(insert(postTags).values([{ postId: 1, tagId: 1 }, { postId: 1, tagId: 2 }, { postId: 2, tagId: 2 }]))

  show('all users', await engine.all(select(users)))
  show('alice', await engine.first(select(users).where(eq(users.username, 'alice'))))
  show(
    'example.com users created this year',
    await engine.all(select(users).where(like(users.email, '%@example.com'), gte(users.createdAt, new Date(2026, 0, 1)))),
  )
  show('alice or bob', await engine.all(select(users).where(or(eq(users.username, 'alice'), eq(users.username, 'bob')))))
  show('page', await engine.all(select(users).orderBy(desc(users.createdAt), users.id).limit(10).offset(1)))
  show('count', await engine.scalar(select(count()).from(users)))

  function getUsers(opts: { username?: string; emailDomain?: string; limit?: number }) {
    let stmt = select(users)
    if (opts.username) stmt = stmt.where(ilike(users.username, `%${opts.username}%`))
    if (opts.emailDomain) stmt = stmt.where(like(users.email, `%@${opts.emailDomain}`))
    return engine.all(stmt.limit(opts.limit ?? 50))
  }
  show('getUsers({ username: "ALI" })', await getUsers({ username: 'ALI' }))

  show('chosen columns', await engine.all(select({ id: users.id, name: users.username }).from(users)))
  show(
    'left join (post is null for charlie)',
    await engine.all(select({ user: users.username, post: posts }).from(users).leftJoin(posts, eq(posts.authorId, users.id))),
  )
  const boss = alias(users, 'boss')
  show('self-join via alias', await engine.all(select({ name: users.username, other: boss.username }).from(users).innerJoin(boss, lt(boss.id, users.id))))
  show(
    'group by / having',
    await engine.all(
      select({ author: users.username, n: count(posts.id) })
        .from(users)
        .innerJoin(posts, eq(posts.authorId, users.id))
        .groupBy(users.id, users.username)
        .having(gt(count(posts.id), 1)),
    ),
  )
  const postCount = select(count()).from(posts).correlate(users).where(eq(posts.authorId, users.id))
  show('correlated scalar subquery', await engine.all(select({ name: users.username, posts: scalar(postCount) }).from(users)))
  const prolific = select({ authorId: posts.authorId, n: count() }).from(posts).groupBy(posts.authorId).as('prolific')
  show('subquery in FROM', await engine.all(select({ name: users.username, n: prolific.n }).from(users).innerJoin(prolific, eq(prolific.authorId, users.id))))
  show('exists', await engine.all(select(users.username).from(users).where(exists(select(posts.id).from(posts).correlate(users).where(eq(posts.authorId, users.id))))))
  show('inArray with a subquery', await engine.all(select(posts.title).from(posts).where(inArray(posts.authorId, select({ id: users.id }).from(users).where(like(users.email, '%@example.com'))))))
  show('relation filter any()', await engine.all(select(posts.title).from(posts).where(any(posts.tags, eq(tags.name, 'python')))))
  show('relation filter has()', await engine.all(select(posts.title).from(posts).where(has(posts.author, eq(users.username, 'bob')))))
  show(
    'window function',
    await engine.all(
      select({ title: posts.title, nth: over(rowNumber(), { partitionBy: [posts.authorId], orderBy: [desc(posts.id)] }) }).from(posts),
    ),
  )
  show(
    'case, coalesce, concat',
    await engine.all(
      select({
        label: concat(users.username, ' <', users.email, '>'),
        bio: coalesce(users.bio, '(none)'),
        kind: caseWhen([[like(users.email, '%@example.com'), 'insider']], 'outsider'),
      }).from(users),
    ),
  )
  const numbers = recursiveCte('numbers', select({ n: sql<number>`1` }), (self) =>
    select({ n: sql<number>`${self.n} + 1` }).from(self).where(lt(self.n, 5)),
  )
  show('recursive CTE', await engine.all(select(numbers.n).from(numbers)))
  show('union', await engine.all(select(users.username).from(users).where(eq(users.id, 1)).union(select(tags.name).from(tags))))

  // Upsert: compiled to each dialect's form.
  const upsert = insert(tags).values({ name: 'python' }).onConflictDoUpdate({ target: tags.name, set: { name: excluded(tags.name) } })
  show('upsert on postgres', compile(upsert, 'postgres').sql)
  show('upsert on mysql', compile(upsert, 'mysql').sql)
  await engine.execute(upsert)

  // Bulk paths and errors.
  const cutoff = new Date(Date.now() + 60_000)
  show('bulk update', await engine.execute(update(users).where(lt(users.createdAt, cutoff), isNull(users.bio)).set({ bio: 'Legacy user' })))
  try {
    await engine.execute(insert(users).values({ username: 'alice', email: 'again@example.com' }))
  } catch (error) {
    if (error instanceof IntegrityError) show('normalised error', `${error.name}: constraint ${error.constraint}`)
    else throw error
  }
  await engine.transaction(async (tx) => {
    await tx.execute(deleteFrom(postTags).where(eq(postTags.postId, 2)))
    show('inside a transaction', await tx.scalar(select(count()).from(postTags)))
  })

  const byName = prepare(select(users).where(and(eq(users.username, param('name')))))
  show('prepared statement', await engine.first(byName, { name: 'bob' }))

  await sessionTour(engine)
}

await main()
