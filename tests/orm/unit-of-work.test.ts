/**
 * The unit of work: foreign-key order, batching of same-shape statements, generated values,
 * self-references and cycles (post-update), on every dialect.
 */
import { defineSchema, deleteFrom, eq, select, sql, UniqueViolation, type AnyTable } from '@quarry/core'
import { selectinload, StaleDataError } from '@quarry/orm'
import { expect, test } from 'vitest'
import { forEachDialect } from '../support/dialects'
import { posts, postTags, schema, tags, users } from '../support/blog-schema'
import { departments, employees, extra, nodes } from './orm-schema'
import { setUp } from './helpers'

/** A table wider than 31 stored columns (the insert shape of its rows is not a bit mask), with a client default. */
const wideSchema = defineSchema({
  wide: {
    columns: {
      id: { type: 'integer', primaryKey: true },
      label: { type: 'varchar', length: 20, default: () => 'made' },
      ...Object.fromEntries(Array.from({ length: 34 }, (_, i) => [`c${i}`, { type: 'integer', nullable: true }])),
    },
  },
} as never) as unknown as { wide: AnyTable }
const { wide } = wideSchema

const verb = (q: string) => q.trim().split(/\s+/).slice(0, 3).join(' ').replace(/[`"]/g, '').toUpperCase()

forEachDialect((db) => {
  test('nested objects insert in foreign-key order: users, tags, posts, post_tags', async () => {
    const { engine, log, session } = await setUp(db, schema)
    await using s = session()
    const post = s.add(posts, {
      title: 'SQLAlchemy Guide',
      body: '...',
      author: { username: 'alice', email: 'alice@example.com' },
      tags: [{ name: 'python' }, { name: 'tutorial' }],
    })
    await s.commit()
    const writes = log.statements.filter((q) => !/^SELECT/i.test(q)).map(verb)
    expect([...writes].sort()).toEqual(['INSERT INTO POSTS', 'INSERT INTO POST_TAGS', 'INSERT INTO TAGS', 'INSERT INTO USERS'])
    const at = (v: string) => writes.indexOf(v)
    expect(at('INSERT INTO USERS')).toBeLessThan(at('INSERT INTO POSTS'))
    expect(at('INSERT INTO POSTS')).toBeLessThan(at('INSERT INTO POST_TAGS'))
    expect(at('INSERT INTO TAGS')).toBeLessThan(at('INSERT INTO POST_TAGS'))
    expect(post.authorId).toBe(1)
    expect(post.tags.map((t) => t.name)).toEqual(['python', 'tutorial'])
    expect(post.tags.every((t) => typeof t.id === 'number')).toBe(true)
    expect(await engine.all(select(postTags).orderBy(postTags.tagId))).toEqual([
      { postId: post.id, tagId: post.tags[0].id },
      { postId: post.id, tagId: post.tags[1].id },
    ])
  })

  test('one multi-row INSERT per table and column set; one DELETE … IN per table', async () => {
    const { log, session } = await setUp(db, schema)
    await using s = session()
    const many = s.addAll(users, Array.from({ length: 50 }, (_, i) => ({ username: `u${i}`, email: `u${i}@x` })))
    s.add(users, { username: 'with-bio', email: 'b@x', bio: 'hello' })
    s.add(users, { username: 'with-id', email: 'i@x', id: 1000 })
    await s.commit()
    expect(log.statements.filter((q) => /^INSERT/i.test(q))).toHaveLength(2)
    expect(many.map((u) => u.id)).toEqual(Array.from({ length: 50 }, (_, i) => i + 1))
    log.reset()
    for (const u of many.slice(0, 20)) s.delete(u)
    await s.commit()
    expect(log.statements.filter((q) => /^DELETE/i.test(q))).toHaveLength(1)
    expect(await s.scalar(select(users.id).from(users).where(eq(users.username, 'with-id')))).toBe(1000)
  })

  test('rows changing the same columns share one UPDATE; onUpdate columns come back; a vanished row is a StaleDataError', async () => {
    const { engine, log, session } = await setUp(db, schema)
    await using s = session()
    const many = s.addAll(users, Array.from({ length: 30 }, (_, i) => ({ username: `u${i}`, email: `u${i}@x` })))
    await s.commit()
    const before = many.map((u) => u.updatedAt.getTime())
    await new Promise((resolve) => setTimeout(resolve, 20))
    log.reset()
    for (const [i, u] of many.entries()) {
      u.bio = i % 2 ? `odd ${i}` : null
      u.email = `new${i}@x`
    }
    many[0].username = 'renamed'
    await s.commit()
    const updates = log.statements.filter((q) => /^UPDATE/i.test(q))
    // One statement for the 29 rows changing (bio, email) — bio is already NULL on even rows, so
    // those change email only: two shapes of 15/14 rows — plus one for the row also renamed.
    expect(updates.length).toBeLessThanOrEqual(3)
    const rows = await engine.all(select(users).orderBy(users.id))
    expect(rows.map((u) => u.email)).toEqual(many.map((_, i) => `new${i}@x`))
    expect(rows.map((u) => u.bio)).toEqual(many.map((_, i) => (i % 2 ? `odd ${i}` : null)))
    expect(rows[0].username).toBe('renamed')
    many.forEach((u, i) => {
      expect(u.updatedAt.getTime()).toBe(rows[i].updatedAt.getTime())
      expect(u.updatedAt.getTime()).toBeGreaterThanOrEqual(before[i])
    })
    await engine.execute(deleteFrom(users).where(eq(users.id, many[5].id)))
    many[4].email = 'x4@x'
    many[5].email = 'x5@x'
    await expect(s.commit()).rejects.toThrow(StaleDataError)
    await s.rollback()
  })

  test('a batched UPDATE (one from the rows as data, or several of at most 100 rows) writes every row, and a failing one leaves none written', async () => {
    const { engine, log, session } = await setUp(db, schema)
    await using s = session()
    const many = s.addAll(users, Array.from({ length: 250 }, (_, i) => ({ username: `u${i}`, email: `u${i}@x` })))
    await s.commit()
    log.reset()
    for (const [i, u] of many.entries()) u.email = `new${i}@x`
    await s.commit()
    expect(log.statements.filter((q) => /^UPDATE/i.test(q)).length).toBe(db.dialectObject.rowsSource ? 1 : 3) // 250 rows, or 100 + 100 + 50
    expect((await engine.all(select(users).orderBy(users.id))).map((u) => u.email)).toEqual(many.map((_, i) => `new${i}@x`))
    // The second batch breaks a unique constraint: the error is the database's, and the first batch is rolled back with it.
    for (const [i, u] of many.entries()) u.email = `again${i}@x`
    many[150].email = 'again0@x'
    await expect(s.commit()).rejects.toBeInstanceOf(UniqueViolation)
    await s.rollback()
    expect((await engine.all(select(users).orderBy(users.id))).map((u) => u.email)).toEqual(many.map((_, i) => `new${i}@x`))
  })

  test('changing primary keys, with other columns, in a batch and alone: the new keys and values are written, onUpdate values come back', async () => {
    const { engine, session } = await setUp(db, schema)
    await using s = session()
    const [a, b, c] = s.addAll(users, [{ username: 'a', email: 'a@x' }, { username: 'b', email: 'b@x' }, { username: 'c', email: 'c@x' }])
    await s.commit()
    const before = a.updatedAt.getTime()
    await new Promise((resolve) => setTimeout(resolve, 20))
    // a and b change (id, email): one batch; c changes its id only.
    a.id = 11
    a.email = 'a2@x'
    b.id = 12
    b.email = 'b2@x'
    c.id = 13
    await s.commit()
    const rows = await engine.all(select(users).orderBy(users.id))
    expect(rows.map((u) => [u.id, u.username, u.email])).toEqual([[11, 'a', 'a2@x'], [12, 'b', 'b2@x'], [13, 'c', 'c@x']])
    for (const [i, u] of [a, b, c].entries()) expect(u.updatedAt.getTime()).toBe(rows[i].updatedAt.getTime())
    expect(a.updatedAt.getTime()).toBeGreaterThan(before)
    expect(await s.get(users, 12)).toBe(b)
  })

  test('a batched UPDATE with an onUpdate expression naming a column it sets, and columns named key and new_title', async () => {
    const notes = defineSchema({
      notes: {
        columns: {
          id: { type: 'integer', primaryKey: true },
          title: { type: 'varchar', length: 20 },
          key: { type: 'integer', default: 0 },
          newTitle: { type: 'varchar', length: 20, name: 'new_title', nullable: true, default: null },
          // Same length before and after the change: the dialects need not agree on which title it reads.
          titleLength: { type: 'integer', default: 0, onUpdate: sql`length(title)` },
        },
      },
    })
    const { engine, session } = await setUp(db, notes)
    await using s = session()
    const rows = s.addAll(notes.notes, [1, 2, 3].map((i) => ({ title: `old${i}` })))
    await s.commit()
    rows.forEach((row, i) => {
      row.title = `new${i + 1}`
      row.key = 10 + i
      row.newTitle = `shadow${i + 1}`
    })
    await s.commit()
    const back = await engine.all(select(notes.notes).orderBy(notes.notes.id))
    expect(back.map((n) => [n.title, n.key, n.newTitle, n.titleLength])).toEqual([1, 2, 3].map((i) => [`new${i}`, 9 + i, `shadow${i}`, 4]))
    expect(rows.map((n) => n.titleLength)).toEqual([4, 4, 4])
  })

  test('a batched UPDATE stays under the parameter limit: arrays need two parameters, a VALUES list two a row, CASE three a row', async () => {
    const { engine, log, session } = await setUp(db, schema)
    await using s = session({ maxParams: 10 })
    const many = s.addAll(users, Array.from({ length: 12 }, (_, i) => ({ username: `p${i}`, email: `p${i}@x` })))
    await s.commit()
    log.reset()
    for (const [i, u] of many.entries()) u.email = `changed${i}@x`
    await s.commit()
    const updates = log.statements.filter((q) => /^UPDATE/i.test(q))
    const source = db.dialectObject.rowsSource
    // 12 rows of (id, email): one statement of two arrays; 5 rows a VALUES list (10 parameters); 3 rows a CASE batch (9).
    expect(updates).toHaveLength(source ? (source.arrays ? 1 : 3) : 4)
    expect((await engine.all(select(users).orderBy(users.id))).map((u) => u.email)).toEqual(many.map((_, i) => `changed${i}@x`))
    for (const u of many) expect(u.updatedAt).toBeInstanceOf(Date)
  })

  test('a self-referencing tree inserts parents before children and deletes children first', async () => {
    const { engine, session } = await setUp(db, extra)
    {
      await using s = session()
      const root = s.add(nodes, { label: 'root', children: [{ label: 'a', children: [{ label: 'a1' }, { label: 'a2' }] }, { label: 'b' }] })
      await s.commit()
      const a = root.children[0]
      expect(a.parentId).toBe(root.id)
      expect((a as typeof root).children.map((c) => c.parentId)).toEqual([a.id, a.id])
    }
    {
      await using s = session()
      const [root] = await s.all(select(nodes).where(eq(nodes.label, 'root')), selectinload(nodes.children, nodes.children))
      s.delete(root) // cascades to the whole tree
      await s.commit()
    }
    expect(await engine.all(select(nodes))).toEqual([])
  })

  test('a two-row cycle of new rows is broken with a post-update of the nullable foreign key', async () => {
    const { engine, log, session } = await setUp(db, extra)
    await using s = session()
    const dept = s.add(departments, { name: 'R&D' })
    const boss = s.add(employees, { name: 'Ada', department: dept })
    ;(dept as typeof dept & { manager: typeof boss }).manager = boss
    await s.commit()
    expect(boss.departmentId).toBe(dept.id)
    expect(dept.managerId).toBe(boss.id)
    // MySQL reads generated ids back with a SELECT after each INSERT.
    expect(log.statements.filter((q) => !/^SELECT/i.test(q)).map(verb)).toEqual(['INSERT INTO DEPARTMENTS', 'INSERT INTO EMPLOYEES', 'UPDATE DEPARTMENTS SET'])
    expect(await engine.all(select({ m: departments.managerId }).from(departments))).toEqual([{ m: boss.id }])
  })

  test('rows of one table that point at each other: post-update on insert, cleared keys before delete', async () => {
    const { engine, session } = await setUp(db, extra)
    await using s = session()
    const a = s.add(nodes, { label: 'a' }) as ReturnType<typeof s.add<typeof nodes>> & { parent: unknown }
    const b = s.add(nodes, { label: 'b' }) as typeof a
    a.parent = b
    b.parent = a
    await s.commit()
    expect(a.parentId).toBe(b.id)
    expect(b.parentId).toBe(a.id)
    s.hardDelete(a)
    s.hardDelete(b)
    await s.commit()
    expect(await engine.all(select(nodes))).toEqual([])
  })

  test('onUpdate columns are refreshed and read back after UPDATE', async () => {
    const { session } = await setUp(db, extra)
    const { articles } = await import('./orm-schema')
    await using s = session()
    const a = s.add(articles, { title: 'first' })
    await s.commit()
    expect(a.revision).toBe(1)
    a.title = 'second'
    await s.commit()
    expect(a.revision).toBe(2)
    expect(s.isModified(a)).toBe(false)
  })

  test('new rows of a wide table: one INSERT per column set, client defaults filled in, left-out columns read NULL, generated values undone by rollback', async () => {
    const { engine, log, session } = await setUp(db, wideSchema)
    await using s = session()
    const rows = s.addAll(wide, [{ c0: 1 }, { c0: 2 }, { c33: 3 }, { c0: 4, label: 'given' }] as never) as Record<string, unknown>[]
    await s.flush()
    // Two column sets, {label, c0} and {label, c33}: one INSERT each, in the order each set first appears.
    expect(log.statements.filter((q) => /^INSERT/i.test(q))).toHaveLength(2)
    expect(rows.map((r) => [r.id, r.label, r.c0, r.c33, r.c1])).toEqual([
      [1, 'made', 1, null, null],
      [2, 'made', 2, null, null],
      [4, 'made', null, 3, null],
      [3, 'given', 4, null, null],
    ])
    await s.rollback()
    // A rollback leaves the objects as they were added: what the flush filled in (id, default, NULLs) is taken off again.
    expect(rows.map((r) => ['id' in r, 'c1' in r, r.label])).toEqual([
      [false, false, undefined],
      [false, false, undefined],
      [false, false, undefined],
      [false, false, 'given'],
    ])
    expect(await engine.all(select(wide))).toEqual([])
  })
})
