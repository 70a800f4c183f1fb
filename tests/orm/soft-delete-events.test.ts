/**
 * TOUR section 8: soft deletes hidden from session queries, `onUpdate` refreshes, and the
 * lifecycle events of tables and sessions.
 */
import { any, count, eq, has, inArray, not, scalar, select } from '@quarry/core'
import { listen, selectinload, withDeleted } from '@quarry/orm'
import { expect, test } from 'vitest'
import { forEachDialect } from '../support/dialects'
import { schema, users } from '../support/blog-schema'
import { articles, comments, extra } from './orm-schema'
import { setUp } from './helpers'

forEachDialect((db) => {
  test('soft delete marks the row; session queries hide it unless withDeleted(); hardDelete removes it', async () => {
    const { session } = await setUp(db, extra)
    await using s = session()
    const [a, b] = s.addAll(articles, [{ title: 'kept' }, { title: 'binned', comments: [{ body: 'c' }] }])
    await s.commit()
    s.delete(b)
    await s.commit()
    expect(b.deletedAt).toBeInstanceOf(Date)
    expect(b.revision).toBe(2)
    expect(await s.all(select(articles))).toEqual([a])
    expect(await s.get(articles, b.id)).toBeUndefined()
    expect(await s.get(articles, b.id, withDeleted())).toBe(b)
    expect((await s.all(select(articles).orderBy(articles.id), withDeleted())).map((x) => x.title)).toEqual(['kept', 'binned'])
    const [c] = await s.all(select(comments), selectinload(comments.article))
    expect(c.article).toBeNull()
    // Relation filters (EXISTS subqueries) hide soft-deleted rows too, unless withDeleted().
    expect(await s.all(select(comments).where(has(comments.article)))).toEqual([])
    expect(await s.all(select(comments).where(not(has(comments.article))))).toEqual([c])
    expect(await s.all(select(comments).where(has(comments.article)), withDeleted())).toEqual([c])
    expect((await s.all(select(articles).where(any(articles.comments)), withDeleted())).map((x) => x.title)).toEqual(['binned'])
    expect(await s.scalar(select(count()).from(articles))).toBe(1)
    expect(await s.scalar(select(count()).from(articles), withDeleted())).toBe(2)
    await s.close()

    await using s2 = session()
    const binned = (await s2.get(articles, b.id, withDeleted()))!
    s2.hardDelete(binned)
    await s2.commit()
    expect(await s2.all(select(articles), withDeleted())).toHaveLength(1)
    expect(await s2.all(select(comments))).toEqual([])
  })

  test('soft-deleted rows are hidden in every subquery: inArray, scalar, derived tables, CTEs, UNION', async () => {
    const { session } = await setUp(db, extra)
    await using s = session()
    const [kept, binned] = s.addAll(articles, [
      { title: 'kept', comments: [{ body: 'on kept' }] },
      { title: 'binned', comments: [{ body: 'on binned' }] },
    ])
    await s.commit()
    s.delete(binned)
    await s.commit()
    const bodies = (rows: { body: string }[]) => rows.map((c) => c.body).sort()
    // inArray with a subquery
    const onLive = select(comments).where(inArray(comments.articleId, select(articles.id).from(articles)))
    expect(bodies(await s.all(onLive))).toEqual(['on kept'])
    expect(bodies(await s.all(onLive, withDeleted()))).toEqual(['on binned', 'on kept'])
    // a scalar subquery in the selection
    const counted = await s.all(select({ body: comments.body, live: scalar(select(count()).from(articles)) }).from(comments).orderBy(comments.id))
    expect(counted.map((r) => Number(r.live))).toEqual([1, 1])
    // a derived table and a CTE
    const live = select({ id: articles.id, title: articles.title }).from(articles).as('live')
    expect((await s.all(select({ title: live.title }).from(live))).map((r) => r.title)).toEqual(['kept'])
    expect((await s.all(select({ title: live.title }).from(live), withDeleted())).map((r) => r.title).sort()).toEqual(['binned', 'kept'])
    const liveCte = select({ id: articles.id, title: articles.title }).from(articles).cte('live_articles')
    expect((await s.all(select({ title: liveCte.title }).from(liveCte))).map((r) => r.title)).toEqual(['kept'])
    // both sides of a UNION
    const titles = select({ t: articles.title }).from(articles).union(select({ t: comments.body }).from(comments))
    expect((await s.all(titles)).map((r) => r.t).sort()).toEqual(['kept', 'on binned', 'on kept'])
    expect(kept.deletedAt).toBeNull()
  })

  test('table and session events fire around flush, commit and rollback', async () => {
    const { session } = await setUp(db, schema)
    const seen: string[] = []
    await using s = session({
      listeners: [
        listen(users, 'beforeInsert', (u) => {
          seen.push(`beforeInsert ${u.username}`)
          u.bio = 'set by a listener'
        }),
        listen(users, 'afterInsert', (u) => seen.push(`afterInsert ${u.id}`)),
        listen('beforeFlush', () => seen.push('beforeFlush')),
        listen('afterCommit', () => seen.push('afterCommit')),
      ],
    })
    s.on(users, 'beforeUpdate', (u) => seen.push(`beforeUpdate ${u.email}`))
    s.on(users, 'afterDelete', (u) => seen.push(`afterDelete ${u.username}`))
    s.on('afterRollback', () => seen.push('afterRollback'))
    const u = s.add(users, { username: 'eve', email: 'e@x' })
    await s.commit()
    expect(u.bio).toBe('set by a listener')
    u.email = 'e2@x'
    await s.flush()
    s.delete(u)
    await s.flush()
    await s.rollback()
    expect(seen).toEqual([
      'beforeFlush',
      'beforeInsert eve',
      'afterInsert 1',
      'afterCommit',
      'beforeFlush',
      'beforeUpdate e2@x',
      'beforeFlush',
      'afterDelete eve',
      'afterRollback',
    ])
    expect(u.email).toBe('e@x')
    expect(s.statusOf(u)).toBe('persistent')
    expect((await s.get(users, u.id))!.username).toBe('eve')
    expect(await s.scalar(select(count()).from(users).where(eq(users.username, 'eve')))).toBe(1)
  })
})
