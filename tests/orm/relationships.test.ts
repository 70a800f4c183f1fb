/**
 * TOUR section 5: many-to-one, one-to-many, many-to-many and self-referential relations;
 * collection changes become foreign-key updates and association rows; both sides of
 * `backPopulates` agree after flush; cascades.
 */
import { any, eq, has, select } from '@quarry/core'
import { selectinload } from '@quarry/orm'
import { expect, test } from 'vitest'
import { forEachDialect } from '../support/dialects'
import { posts, postTags, schema, tags, users } from '../support/blog-schema'
import { articles, comments, extra, nodes } from './orm-schema'
import { setUp } from './helpers'

forEachDialect((db) => {
  async function blog() {
    const ctx = await setUp(db, schema)
    {
      await using s = ctx.session()
      const alice = s.add(users, { username: 'alice', email: 'alice@example.com' })
      const bob = s.add(users, { username: 'bob', email: 'bob@example.com' })
      s.add(posts, { title: 'A1', body: 'x', author: alice, tags: [{ name: 'python' }, { name: 'sql' }] })
      s.add(posts, { title: 'A2', body: 'y', author: alice })
      s.add(posts, { title: 'B1', body: 'z', author: bob })
      await s.commit()
    }
    ctx.log.reset()
    return ctx
  }

  test('post.author = user sets the foreign key, and moves the post between loaded collections', async () => {
    const { session } = await blog()
    await using s = session()
    const [alice, bob] = await s.all(select(users).orderBy(users.id), selectinload(users.posts))
    const a1 = alice.posts[0]
    ;(a1 as typeof a1 & { author: typeof bob }).author = bob
    await s.commit()
    expect(a1.authorId).toBe(bob.id)
    expect(alice.posts.map((p) => p.title)).toEqual(['A2'])
    expect(bob.posts.map((p) => p.title).sort()).toEqual(['A1', 'B1'])
    const again = await s.all(select(posts).where(has(posts.author, eq(users.username, 'bob'))).orderBy(posts.id))
    expect(again.map((p) => p.title)).toEqual(['A1', 'B1'])
  })

  test('pushing to and splicing from a one-to-many collection', async () => {
    const { session, engine } = await blog()
    await using s = session()
    const [alice, bob] = await s.all(select(users).orderBy(users.id), selectinload(users.posts, posts.author))
    const moved = alice.posts.shift()!
    bob.posts.push(moved)
    const fresh = { title: 'B2', body: 'new' }
    bob.posts.push(fresh as never)
    await s.commit()
    expect(moved.authorId).toBe(bob.id)
    expect(moved.author).toBe(bob)
    expect((fresh as unknown as { authorId: number }).authorId).toBe(bob.id)
    expect(await engine.all(select({ t: posts.title, a: posts.authorId }).from(posts).orderBy(posts.id))).toEqual([
      { t: 'A1', a: bob.id },
      { t: 'A2', a: alice.id },
      { t: 'B1', a: bob.id },
      { t: 'B2', a: bob.id },
    ])
  })

  test('many-to-many: push and splice insert and delete association rows; both sides agree', async () => {
    const { session, engine, log } = await blog()
    await using s = session()
    const [a1, a2] = await s.all(select(posts).orderBy(posts.id).limit(2), selectinload(posts.tags))
    const [python, sqlTag] = await s.all(select(tags).orderBy(tags.id), selectinload(tags.posts))
    expect(python.posts).toEqual([a1])
    log.reset()
    a2.tags.push(python)
    a1.tags.splice(a1.tags.indexOf(sqlTag), 1)
    const rust = { name: 'rust' }
    a2.tags.push(rust as never)
    await s.commit()
    expect(log.statements.filter((q) => /^(INSERT|DELETE)/i.test(q)).map((q) => q.split(' ').slice(0, 3).join(' ').replace(/[`"]/g, ''))).toEqual([
      'INSERT INTO tags',
      'INSERT INTO post_tags',
      'DELETE FROM post_tags',
    ])
    expect(python.posts).toEqual([a1, a2])
    expect(sqlTag.posts).toEqual([])
    expect(await engine.all(select(postTags).orderBy(postTags.postId, postTags.tagId))).toEqual([
      { postId: a1.id, tagId: python.id },
      { postId: a2.id, tagId: python.id },
      { postId: a2.id, tagId: (rust as { id?: number }).id },
    ])
    expect((await s.all(select(posts).where(any(posts.tags, eq(tags.name, 'python'))).orderBy(posts.id))).map((p) => p.title)).toEqual(['A1', 'A2'])
  })

  test('deleting a post removes its association rows first', async () => {
    const { session, engine } = await blog()
    await using s = session()
    const a1 = (await s.get(posts, 1))!
    s.delete(a1)
    await s.commit()
    expect(await engine.all(select(postTags))).toEqual([])
    expect((await engine.all(select(tags))).length).toBe(2)
  })

  test('cascade delete and delete-orphan', async () => {
    const { session, engine } = await setUp(db, extra)
    {
      await using s = session()
      s.add(articles, { title: 'one', comments: [{ body: 'c1' }, { body: 'c2' }, { body: 'c3' }] })
      s.add(articles, { title: 'two', comments: [{ body: 'd1' }] })
      await s.commit()
    }
    {
      await using s = session()
      const [one] = await s.all(select(articles).where(eq(articles.title, 'one')), selectinload(articles.comments))
      one.comments.splice(0, 1)
      await s.commit()
      expect(s.statusOf(one.comments[0])).toBe('persistent')
      expect((await engine.all(select(comments.body).from(comments).orderBy(comments.id)))).toEqual(['c2', 'c3', 'd1'])
    }
    {
      // Unloaded children are loaded (one query) and deleted with their parent.
      await using s = session()
      const two = (await s.first(select(articles).where(eq(articles.title, 'two'))))!
      s.hardDelete(two)
      await s.commit()
      expect(await engine.all(select(comments.body).from(comments).orderBy(comments.id))).toEqual(['c2', 'c3'])
    }
  })

  test('self-referential: moving a node to another parent, orphaning a subtree', async () => {
    const { session, engine } = await setUp(db, extra)
    await using s = session()
    const root = s.add(nodes, { label: 'root', children: [{ label: 'a', children: [{ label: 'a1' }] }, { label: 'b' }] })
    await s.commit()
    const [a, b] = root.children as (typeof root)[]
    const a1 = a.children[0] as typeof root
    a.children.splice(0, 1)
    b.children.push(a1)
    await s.commit()
    expect(a1.parentId).toBe(b.id)
    root.children.splice(0, 1) // delete-orphan: a goes
    await s.commit()
    expect(await engine.all(select(nodes.label).from(nodes).orderBy(nodes.id))).toEqual(['root', 'b', 'a1'])
  })

  test('a to-one relation that is not loaded throws RelationNotLoadedError on read, never queries', async () => {
    const { session, log } = await blog()
    await using s = session()
    const post = (await s.get(posts, 1))!
    log.reset()
    expect(() => (post as unknown as { author: unknown }).author).toThrow(/posts.author is not loaded/)
    expect(() => (post as unknown as { tags: unknown }).tags).toThrow(/selectinload\(posts.tags\)/)
    expect(log.count()).toBe(0)
    expect(JSON.parse(JSON.stringify(post))).toMatchObject({ id: 1, title: 'A1' })
  })
})
