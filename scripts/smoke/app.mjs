// The consumer smoke test's app: plain Node, no TypeScript, the installed packages only.
// Runs the session on SQLite (in memory) and on PostgreSQL (in a schema of its own, dropped after).
import assert from 'node:assert/strict'
import { createEngine, defineSchema, desc, eq, select, sql } from '@quarry/core'
import { createSession, selectinload } from '@quarry/orm'

const schema = defineSchema({
  authors: {
    columns: { id: { type: 'integer', primaryKey: true }, name: { type: 'varchar', length: 50, unique: true } },
    relations: { books: { many: 'books', backPopulates: 'author' } },
  },
  books: {
    columns: {
      id: { type: 'integer', primaryKey: true },
      authorId: { type: 'integer', references: 'authors.id' },
      title: { type: 'text' },
    },
    relations: { author: { one: 'authors', backPopulates: 'books' } },
  },
})
const { authors, books } = schema

async function roundTrip(engine, label) {
  await engine.createAll(schema)
  // Node 20 has no `await using` syntax (TypeScript compiles it away): close() by hand.
  const writer = createSession(engine)
  try {
    const ursula = writer.add(authors, { name: 'Ursula' })
    await writer.commit()
    writer.addAll(books, [
      { authorId: ursula.id, title: 'The Dispossessed' },
      { authorId: ursula.id, title: 'The Lathe of Heaven' },
    ])
    await writer.commit()
  } finally {
    await writer.close()
  }
  const reader = createSession(engine)
  const [found] = await reader.all(select(authors).where(eq(authors.name, 'Ursula')), selectinload(authors.books)).finally(() => reader.close())
  assert.equal(found.name, 'Ursula')
  assert.deepEqual(found.books.map((b) => b.title).sort(), ['The Dispossessed', 'The Lathe of Heaven'])
  const titles = await engine.all(select({ title: books.title }).from(books).orderBy(desc(books.title)))
  assert.deepEqual(titles, [{ title: 'The Lathe of Heaven' }, { title: 'The Dispossessed' }])
  console.log(`${label}: ${found.name} wrote ${found.books.length} books, read back through the session`)
}

const sqlite = createEngine('sqlite::memory:')
try {
  await roundTrip(sqlite, 'SQLite')
} finally {
  await sqlite.close()
}

const url = process.env.QUARRY_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test'
const own = `quarry_smoke_${process.pid}`
const admin = createEngine(url)
try {
  await admin.execute(sql`CREATE SCHEMA ${sql.identifier(own)}`)
  const pg = createEngine(url, { searchPath: own })
  try {
    await roundTrip(pg, 'PostgreSQL')
  } finally {
    await pg.close()
  }
} finally {
  await admin.execute(sql`DROP SCHEMA IF EXISTS ${sql.identifier(own)} CASCADE`)
  await admin.close()
}
