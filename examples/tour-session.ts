/**
 * The demo's session part: CRUD through the identity map and unit of
 * work, relationships, and eager loading without N+1. Run by `npm run demo` after the core part.
 */
import { count, eq, select, sql, type Engine } from '@quarry/core'
import { createSession, joinedload, PendingRollbackError, selectinload } from '@quarry/orm'
import { any, has } from '@quarry/core'
import { posts, tags, users } from './blog-schema'

function show(title: string, value: unknown): void {
  console.log(`\n# ${title}\n`, value)
}

/** Runs the session part of the demo on `engine` (whose schema already exists and holds the core part's rows). */
export async function sessionTour(engine: Engine): Promise<void> {
  // Session and CRUD.
  {
    await using session = createSession(engine)
    const dora = session.add(users, { username: 'dora', email: 'dora@example.com' })
    await session.commit()
    show('dora.id, assigned by the database', dora.id)

    session.addAll(users, [
      { username: 'erin', email: 'erin@example.com' },
      { username: 'frank', email: 'frank@example.com' },
    ])
    await session.commit()

    const user = await session.get(users, dora.id)
    show('identity map: get() returns the same object', user === dora)
    user!.email = 'newdora@example.com'
    await session.commit() // UPDATE users SET email = ?, updated_at = … WHERE id = ?

    session.delete(user!)
    await session.commit()
  }

  // Relationships: new tags, the post and post_tags rows, in foreign-key order.
  {
    await using session = createSession(engine)
    const post = session.add(posts, {
      title: 'SQLAlchemy Guide, part 2',
      body: '...',
      authorId: 1,
      tags: [{ name: 'orm' }, { name: 'typescript' }],
    })
    await session.commit()
    for (const tag of post.tags) console.log('tag', tag.name)

    const pythonPosts = await session.all(select(posts).where(any(posts.tags, eq(tags.name, 'python'))))
    show('posts tagged python', pythonPosts.map((p) => p.title))
    const alicesPosts = await session.all(select(posts).where(has(posts.author, eq(users.username, 'alice'))))
    show("alice's posts", alicesPosts.map((p) => p.title))
  }

  // Eager loading, no N+1: the result type holds exactly what was loaded.
  {
    await using session = createSession(engine)
    const a = await session.all(select(users), selectinload(users.posts)) // 2 statements
    show('selectinload', a.map((u) => `${u.username}: ${u.posts.length} posts`))
    const b = await session.all(select(users), joinedload(users.posts)) // 1 statement, rows deduplicated
    show('joinedload', b.map((u) => `${u.username}: ${u.posts.map((p) => p.title).join(', ')}`))
    const c = await session.all(select(users), selectinload(users.posts, posts.tags)) // nested
    show('nested selectinload', c.flatMap((u) => u.posts.map((p) => `${p.title}: ${p.tags.map((t) => t.name).join(', ')}`)))
  }

  // After a failed flush the session refuses work until rollback().
  {
    await using session = createSession(engine)
    session.add(users, { username: 'alice', email: 'alice-again@example.com' })
    try {
      await session.flush()
    } catch (error) {
      show('the original error reaches the caller', (error as Error).name)
    }
    try {
      await session.scalar(select(count()).from(users))
    } catch (error) {
      if (error instanceof PendingRollbackError) show('until rollback()', error.message)
      else throw error
    }
    await session.rollback()
    show('users after rollback', await session.scalar(select(count()).from(users)))
    show('raw sql still works', await session.scalar(select(sql<number>`1 + 1`)))
  }
}
