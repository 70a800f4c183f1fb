/**
 * TOUR section 3 run for real: every builder construct against every dialect, with the same
 * expected rows everywhere (portable meaning).
 */
import { expect, test } from 'vitest'
import {
  add,
  alias,
  any,
  asc,
  avg,
  caseWhen,
  cast,
  coalesce,
  CompileError,
  concat,
  count,
  deleteFrom,
  desc,
  div,
  eq,
  excluded,
  exists,
  gt,
  has,
  ilike,
  inArray,
  insert,
  isNull,
  jsonGet,
  jsonText,
  lag,
  like,
  lt,
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
  update,
  defineSchema,
} from '@quarry/core'
import { forEachDialect } from '../support/dialects'
import { posts, postTags, schema, tags, users } from '../support/blog-schema'

const extra = defineSchema({
  items: {
    columns: {
      id: { type: 'integer', primaryKey: true },
      name: { type: 'varchar', length: 40, nullable: true },
      qty: { type: 'integer', nullable: true },
      price: { type: 'numeric', precision: 10, scale: 2, nullable: true },
      active: { type: 'boolean', default: true },
      data: { type: 'json', nullable: true },
    },
  },
  nodes: {
    columns: {
      id: { type: 'integer', primaryKey: true },
      parentId: { type: 'integer', nullable: true, references: 'nodes.id' },
      label: { type: 'varchar', length: 20 },
    },
  },
}, { casing: 'snake_case' })
const { items, nodes } = extra

forEachDialect((db) => {
  async function blog() {
    const engine = await db.engine()
    await engine.createAll(schema)
    await engine.execute(
      insert(users).values([
        { username: 'alice', email: 'alice@example.com', bio: 'Writes' },
        { username: 'bob', email: 'bob@example.com' },
        { username: 'Charlie', email: 'charlie@other.org' },
      ]),
    )
    await engine.execute(
      insert(posts).values([
        { title: 'A1', body: 'x', authorId: 1 },
        { title: 'A2', body: 'y', authorId: 1 },
        { title: 'B1', body: 'z', authorId: 2 },
      ]),
    )
    await engine.execute(insert(tags).values([{ name: 'python' }, { name: 'sql' }]))
    await engine.execute(insert(postTags).values([{ postId: 1, tagId: 1 }, { postId: 1, tagId: 2 }, { postId: 3, tagId: 2 }]))
    return engine
  }

  async function withItems() {
    const engine = await db.engine()
    await engine.createAll(extra)
    await engine.execute(
      insert(items).values([
        { name: 'apple', qty: 3, price: '1.50', data: { tags: ['red'], size: { w: 2 } } },
        { name: 'Apple', qty: null, price: '2.25', active: false },
        { name: null, qty: 7, price: null },
      ]),
    )
    return engine
  }

  test('whole rows, chosen columns, filters and a typed count', async () => {
    const engine = await blog()
    const all = await engine.all(select(users).orderBy(users.id))
    expect(all.map((u) => u.username)).toEqual(['alice', 'bob', 'Charlie'])
    expect(all[0].createdAt).toBeInstanceOf(Date)
    expect(all[1].bio).toBeNull()
    expect(await engine.first(select(users).where(eq(users.username, 'bob')))).toMatchObject({ id: 2, email: 'bob@example.com' })
    expect(await engine.all(select({ id: users.id, name: users.username }).from(users).where(or(eq(users.id, 1), eq(users.id, 3))).orderBy(users.id))).toEqual([
      { id: 1, name: 'alice' },
      { id: 3, name: 'Charlie' },
    ])
    const n = await engine.scalar(select(count()).from(users))
    expect(n).toBe(3)
    expect(typeof n).toBe('number')
    expect(await engine.all(select(users.username).from(users).orderBy(users.id).limit(1).offset(1))).toEqual(['bob'])
  })

  test('like is case-sensitive and ilike is not, on every dialect', async () => {
    const engine = await blog()
    expect(await engine.all(select(users.username).from(users).where(like(users.username, 'c%')))).toEqual([])
    expect(await engine.all(select(users.username).from(users).where(like(users.username, 'C%')))).toEqual(['Charlie'])
    expect(await engine.all(select(users.username).from(users).where(ilike(users.username, 'c%')))).toEqual(['Charlie'])
    expect(await engine.all(select(users.username).from(users).where(ilike(users.username, '%LIC%')))).toEqual(['alice'])
  })

  test('NULL ordering, concatenation with NULL and division behave alike', async () => {
    const engine = await withItems()
    expect(await engine.all(select(items.qty).from(items).orderBy(asc(items.qty)))).toEqual([3, 7, null])
    expect(await engine.all(select(items.qty).from(items).orderBy(desc(items.qty)))).toEqual([null, 7, 3])
    expect(await engine.all(select(items.qty).from(items).orderBy(asc(items.qty, { nulls: 'first' })))).toEqual([null, 3, 7])
    expect(await engine.all(select(items.qty).from(items).orderBy(desc(items.qty, { nulls: 'last' })))).toEqual([7, 3, null])
    expect(await engine.all(select(concat(items.name, '!')).from(items).orderBy(items.id))).toEqual(['apple!', 'Apple!', null])
    expect(await engine.all(select(div(items.qty, 2)).from(items).orderBy(items.id))).toEqual([1.5, null, 3.5])
    expect(await engine.scalar(select(div(items.qty, 0)).from(items).where(eq(items.id, 1)))).toBeNull()
  })

  test('booleans, numerics, json paths, cast, case and coalesce decode to their types', async () => {
    const engine = await withItems()
    const rows = await engine.all(select(items).orderBy(items.id))
    expect(rows.map((r) => r.active)).toEqual([true, false, true])
    expect(rows.map((r) => r.price)).toEqual(['1.50', '2.25', null])
    expect(rows[0].data).toEqual({ tags: ['red'], size: { w: 2 } })
    expect(await engine.all(select(items.name).from(items).where(eq(items.active, false)))).toEqual(['Apple'])
    expect(await engine.scalar(select(jsonText(items.data, 'tags', 0)).from(items).where(eq(items.id, 1)))).toBe('red')
    expect(await engine.scalar(select(jsonGet(items.data, 'size')).from(items).where(eq(items.id, 1)))).toEqual({ w: 2 })
    expect(await engine.all(select(cast(items.qty, 'text')).from(items).orderBy(items.id))).toEqual(['3', null, '7'])
    expect(await engine.all(select(gt(items.qty, 5)).from(items).orderBy(items.id))).toEqual([false, null, true])
    const labels = await engine.all(
      select({ label: caseWhen([[gt(items.qty, 5), 'many']], 'few'), name: coalesce(items.name, '?') }).from(items).orderBy(items.id),
    )
    expect(labels).toEqual([{ label: 'few', name: 'apple' }, { label: 'few', name: 'Apple' }, { label: 'many', name: '?' }])
    expect(await engine.scalar(select(sum(items.qty)).from(items))).toBe(10)
    expect(await engine.scalar(select(avg(items.qty)).from(items))).toBe(5)
    expect(await engine.scalar(select(add(items.qty, 1)).from(items).where(eq(items.id, 1)))).toBe(4)
  })

  test('joins type and fill the nullable side', async () => {
    const engine = await blog()
    const rows = await engine.all(
      select({ user: users.username, post: posts }).from(users).leftJoin(posts, eq(posts.authorId, users.id)).orderBy(users.id, posts.id),
    )
    expect(rows).toHaveLength(4)
    expect(rows[3]).toEqual({ user: 'Charlie', post: null })
    expect(rows[0].post).toEqual({ id: 1, title: 'A1', body: 'x', authorId: 1 })
    const inner = await engine.all(select({ u: users.id, p: posts.id }).from(users).innerJoin(posts, eq(posts.authorId, users.id)).orderBy(posts.id))
    expect(inner).toEqual([{ u: 1, p: 1 }, { u: 1, p: 2 }, { u: 2, p: 3 }])
    const boss = alias(users, 'boss')
    const pairs = await engine.all(select({ a: users.id, b: boss.id }).from(users).innerJoin(boss, lt(boss.id, users.id)).orderBy(users.id, boss.id))
    expect(pairs).toEqual([{ a: 2, b: 1 }, { a: 3, b: 1 }, { a: 3, b: 2 }])
    const cross = await engine.scalar(select(count()).from(users).crossJoin(tags))
    expect(cross).toBe(6)
    const right = await engine.all(select({ p: posts.id, u: users.username }).from(posts).rightJoin(users, eq(posts.authorId, users.id)).orderBy(users.id, posts.id))
    expect(right.at(-1)).toEqual({ p: null, u: 'Charlie' })
    if (db.dialect === 'mysql') {
      await expect(engine.all(select({ p: posts.id }).from(posts).fullJoin(users, eq(posts.authorId, users.id)))).rejects.toThrow(CompileError)
    } else {
      expect(await engine.scalar(select(count()).from(posts).fullJoin(users, eq(posts.authorId, users.id)))).toBe(4)
    }
  })

  test('group by, having, subqueries, exists and relation filters', async () => {
    const engine = await blog()
    expect(
      await engine.all(select({ author: posts.authorId, n: count() }).from(posts).groupBy(posts.authorId).having(gt(count(), 1))),
    ).toEqual([{ author: 1, n: 2 }])
    const perUser = select(count()).from(posts).correlate(users).where(eq(posts.authorId, users.id))
    expect(await engine.all(select({ id: users.id, n: scalar(perUser) }).from(users).orderBy(users.id))).toEqual([
      { id: 1, n: 2 },
      { id: 2, n: 1 },
      { id: 3, n: 0 },
    ])
    // A subquery correlated with two outer tables (the post and its joined author).
    const aliceTags = select(count()).from(postTags).correlate(posts, users).where(eq(postTags.postId, posts.id), eq(users.username, 'alice'))
    expect(await engine.all(select({ id: posts.id, n: scalar(aliceTags) }).from(posts).innerJoin(users, eq(users.id, posts.authorId)).orderBy(posts.id))).toEqual([
      { id: 1, n: 2 },
      { id: 2, n: 0 },
      { id: 3, n: 0 },
    ])
    const counts = select({ authorId: posts.authorId, n: count() }).from(posts).groupBy(posts.authorId).as('counts')
    expect(await engine.all(select({ name: users.username, n: counts.n }).from(users).innerJoin(counts, eq(counts.authorId, users.id)).orderBy(users.id))).toEqual([
      { name: 'alice', n: 2 },
      { name: 'bob', n: 1 },
    ])
    const hasPosts = exists(select(posts.id).from(posts).correlate(users).where(eq(posts.authorId, users.id)))
    expect(await engine.all(select(users.id).from(users).where(not(hasPosts)))).toEqual([3])
    expect(await engine.all(select(posts.id).from(posts).where(inArray(posts.authorId, select({ id: users.id }).from(users).where(eq(users.username, 'bob')))))).toEqual([3])
    expect(await engine.all(select(posts.id).from(posts).where(inArray(posts.id, [])))).toEqual([])
    expect(await engine.all(select(posts.id).from(posts).where(any(posts.tags, eq(tags.name, 'sql'))).orderBy(posts.id))).toEqual([1, 3])
    expect(await engine.all(select(posts.id).from(posts).where(has(posts.author, eq(users.username, 'alice'))).orderBy(posts.id))).toEqual([1, 2])
    expect(await engine.all(select(users.id).from(users).where(any(users.posts)).orderBy(users.id))).toEqual([1, 2])
  })

  test('CTEs, recursive CTEs and set operations', async () => {
    const engine = await withItems()
    await engine.execute(insert(nodes).values([{ label: 'root' }]))
    await engine.execute(insert(nodes).values([{ label: 'a', parentId: 1 }, { label: 'b', parentId: 1 }]))
    await engine.execute(insert(nodes).values([{ label: 'a1', parentId: 2 }]))
    const tree = recursiveCte('tree', select({ id: nodes.id, depth: sql<number>`0` }).from(nodes).where(isNull(nodes.parentId)), (self) =>
      select({ id: nodes.id, depth: sql<number>`${self.depth} + 1` }).from(nodes).innerJoin(self, eq(nodes.parentId, self.id)),
    )
    expect(await engine.all(select({ id: tree.id, depth: tree.depth }).from(tree).orderBy(tree.id))).toEqual([
      { id: 1, depth: 0 },
      { id: 2, depth: 1 },
      { id: 3, depth: 1 },
      { id: 4, depth: 2 },
    ])
    const cheap = select({ id: items.id, name: items.name }).from(items).where(lt(items.price, '2.00')).cte('cheap')
    expect(await engine.all(select(cheap.name).from(cheap))).toEqual(['apple'])
    const a = select(items.id).from(items).where(lt(items.id, 3))
    const b = select(items.id).from(items).where(gt(items.id, 1))
    expect((await engine.all(a.union(b))).sort()).toEqual([1, 2, 3])
    expect((await engine.all(a.unionAll(b))).sort()).toEqual([1, 2, 2, 3])
    expect(await engine.all(a.intersect(b))).toEqual([2])
    expect(await engine.all(a.except(b))).toEqual([1])
    expect(await engine.all(a.union(b).orderBy(desc(sql.identifier('value'))).limit(2))).toEqual([3, 2])
  })

  test('window functions', async () => {
    const engine = await blog()
    const rows = await engine.all(
      select({
        id: posts.id,
        nth: over(rowNumber(), { partitionBy: [posts.authorId], orderBy: [desc(posts.id)] }),
        rk: over(rank(), { orderBy: [posts.authorId] }),
        prev: over(lag(posts.id), { orderBy: [posts.id] }),
        total: over(count(), { partitionBy: [posts.authorId] }),
      })
        .from(posts)
        .orderBy(posts.id),
    )
    expect(rows).toEqual([
      { id: 1, nth: 2, rk: 1, prev: null, total: 2 },
      { id: 2, nth: 1, rk: 1, prev: 1, total: 2 },
      { id: 3, nth: 1, rk: 3, prev: 2, total: 1 },
    ])
  })

  test('insert returning, upsert, update with onUpdate, delete returning', async () => {
    const engine = await blog()
    const added = await engine.all(insert(tags).values([{ name: 'go' }, { name: 'rust' }]).returning({ id: tags.id, name: tags.name }))
    expect(added).toEqual([{ id: 3, name: 'go' }, { id: 4, name: 'rust' }])
    await engine.execute(insert(tags).values({ name: 'go' }).onConflictDoNothing({ target: tags.name }))
    expect(await engine.scalar(select(count()).from(tags))).toBe(4)
    await engine.execute(
      insert(users).values({ username: 'bob', email: 'new@example.com' }).onConflictDoUpdate({ target: users.username, set: { email: excluded(users.email) } }),
    )
    expect(await engine.scalar(select(users.email).from(users).where(eq(users.username, 'bob')))).toBe('new@example.com')
    await engine.execute(update(users).set({ updatedAt: new Date(Date.UTC(2000, 0, 1)) }).where(eq(users.id, 1)))
    const before = await engine.one(select(users).where(eq(users.id, 1)))
    expect(before.updatedAt.toISOString()).toBe('2000-01-01T00:00:00.000Z')
    const result = await engine.execute(update(users).set({ bio: 'changed' }).where(eq(users.id, 1)))
    expect(result.rowsAffected).toBe(1)
    const after = await engine.one(select(users).where(eq(users.id, 1)))
    expect(after.bio).toBe('changed')
    expect(after.updatedAt.getTime()).toBeGreaterThan(before.updatedAt.getTime())
    if (db.dialect === 'mysql') {
      await expect(engine.all(deleteFrom(postTags).where(eq(postTags.tagId, 2)).returning())).rejects.toThrow(CompileError)
    } else {
      const gone = await engine.all(deleteFrom(postTags).where(eq(postTags.tagId, 2)).returning())
      expect(gone.sort((x, y) => x.postId - y.postId)).toEqual([{ postId: 1, tagId: 2 }, { postId: 3, tagId: 2 }])
    }
    expect(await engine.all(update(posts).set({ title: 'T' }).where(eq(posts.id, 3)).returning({ id: posts.id, title: posts.title }))).toEqual([{ id: 3, title: 'T' }])
    await engine.execute(insert(posts).fromSelect(select({ title: users.username, body: users.email, authorId: users.id }).from(users).where(eq(users.id, 3))))
    expect(await engine.all(select(posts.title).from(posts).where(eq(posts.authorId, 3)))).toEqual(['Charlie'])
  })

  test('SET expressions read the row as it was, on every dialect; a swap MySQL cannot order is refused, changing nothing', async () => {
    const engine = await blog()
    // email is assigned first as written, username reads it: the old email everywhere (MySQL runs them reordered).
    await engine.execute(update(users).set({ email: 'moved@example.com', username: concat(users.username, '+', users.email) }).where(eq(users.id, 1)))
    expect(await engine.one(select({ u: users.username, e: users.email }).from(users).where(eq(users.id, 1)))).toEqual({ u: 'alice+alice@example.com', e: 'moved@example.com' })
    // The same through an upsert's DO UPDATE / ON DUPLICATE KEY UPDATE.
    await engine.execute(insert(users).values({ username: 'bob', email: 'ignored@x' }).onConflictDoUpdate({ target: users.username, set: { email: 'bob2@example.com', bio: concat('was ', users.email) } }))
    expect(await engine.one(select({ e: users.email, b: users.bio }).from(users).where(eq(users.username, 'bob')))).toEqual({ e: 'bob2@example.com', b: 'was bob@example.com' })
    const swap = update(users).set({ username: users.email, email: users.username }).where(eq(users.id, 3))
    if (db.capabilities.sequentialSet) {
      await expect(engine.execute(swap)).rejects.toThrow(/mysql evaluates SET left to right, and the assignments to users\.\(username, email\) read each other's columns/)
      expect(await engine.one(select({ u: users.username, e: users.email }).from(users).where(eq(users.id, 3)))).toEqual({ u: 'Charlie', e: 'charlie@other.org' })
    } else {
      await engine.execute(swap)
      expect(await engine.one(select({ u: users.username, e: users.email }).from(users).where(eq(users.id, 3)))).toEqual({ u: 'charlie@other.org', e: 'Charlie' })
    }
  })

  test('raw SQL in SET and onUpdate reads the row as it was too: a word naming a column set beside it orders it first on MySQL', async () => {
    const noteSchema = defineSchema({
      notes: {
        columns: {
          id: { type: 'integer', primaryKey: true },
          title: { type: 'varchar', length: 40 },
          titleLength: { type: 'integer', default: 0, onUpdate: sql`length(title)` },
        },
      },
    })
    const { notes } = noteSchema
    const engine = await db.engine()
    await engine.createAll(noteSchema)
    await engine.execute(insert(notes).values({ title: 'ab' }))
    await engine.execute(update(notes).set({ title: 'abcdef' }).all())
    expect(await engine.one(select({ t: notes.title, n: notes.titleLength }).from(notes))).toEqual({ t: 'abcdef', n: 2 })
    await engine.execute(update(notes).set({ title: 'x', titleLength: sql`length(title) * 10` }).all())
    expect(await engine.one(select({ t: notes.title, n: notes.titleLength }).from(notes))).toEqual({ t: 'x', n: 60 })
  })

  test('prepared statements and raw sql', async () => {
    const engine = await blog()
    const byName = prepare(select(users).where(eq(users.username, param('name'))))
    expect((await engine.first(byName, { name: 'bob' }))?.id).toBe(2)
    expect((await engine.first(byName, { name: 'alice' }))?.id).toBe(1)
    const rows = await engine.all(sql<{ n: number }>`select count(*) as n from ${sql.identifier('users')} where ${users.id} > ${1}`)
    expect(Number(rows[0].n)).toBe(2)
  })

  test('a failed statement inside a transaction leaves the database as it was', async () => {
    const engine = await blog()
    await expect(
      engine.transaction(async (tx) => {
        await tx.execute(update(users).set({ bio: 'gone' }).all())
        await tx.execute(insert(users).values({ username: 'alice', email: 'dup@example.com' }))
      }),
    ).rejects.toThrow()
    expect(await engine.all(select(users.bio).from(users).orderBy(users.id))).toEqual(['Writes', null, null])
  })
})
