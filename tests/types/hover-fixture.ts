// Fixture for hover.test.ts: the language service's hover text on `loaded` is pinned there.
import { createEngine, select } from '@quarry/core'
import { createSession, selectinload } from '@quarry/orm'
import { authors, books } from './hover-schema.js'

export async function load() {
  await using session = createSession(createEngine('sqlite::memory:'))
  const loaded = await session.all(select(authors), selectinload(authors.books, books.tags))
  return loaded
}
