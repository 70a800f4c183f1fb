// A user's typed file: must compile under each consumer tsconfig of the smoke test.
import { createEngine, eq, insert, select, update, type Row } from '@quarry/core'
import { createSession, selectinload } from '@quarry/orm'
import { authors, books } from './schema.js'

type Author = Row<typeof authors>

export async function main(url: string): Promise<string[]> {
  const engine = createEngine(url)
  await using session = createSession(engine)
  const loaded = await session.all(select(authors).where(eq(authors.name, 'Ursula')), selectinload(authors.books))
  const first = loaded[0]
  const titles: string[] = first ? first.books.map((b) => b.title) : []
  const author: Author | undefined = await engine.first(select(authors).where(eq(authors.id, 1)))
  const bio: string | null | undefined = author?.bio
  const joined = await engine.all(
    select({ name: authors.name, title: books.title }).from(books).innerJoin(authors, eq(authors.id, books.authorId)),
  )
  const inserted = await engine.all(insert(books).values({ authorId: 1, title: 'Tehanu' }).returning({ id: books.id }))
  const id: number | undefined = inserted[0]?.id
  await engine.execute(update(books).set({ title: 'Tehanu (2nd ed.)' }).where(eq(books.id, id ?? 0)))
  await engine.close()
  return [...titles, ...joined.map((r) => `${r.name}: ${r.title}`), String(bio)]
}
