// Fixture for hover.test.ts: the language service's hover text on `loaded` is pinned there.
import { createEngine, literal, select } from '@quarry/core'
import { createSession, selectinload } from '@quarry/orm'
import { authors, books } from './hover-schema.js'

export async function load() {
  await using session = createSession(createEngine('sqlite::memory:'))
  const loaded = await session.all(select(authors), selectinload(authors.books, books.tags))
  return loaded
}

/** A UNION whose first branch selects NULL: its rows widen to the other branch's type. */
export async function unionRows() {
  const engine = createEngine('sqlite::memory:')
  const united = await engine.all(select({ title: literal(null) }).from(authors).union(select({ title: books.title }).from(books)))
  return united
}
