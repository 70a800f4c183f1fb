// The consumer smoke test's schema, as a user of the installed packages writes it.
import { defineSchema } from '@quarry/core'

export const schema = defineSchema({
  authors: {
    columns: {
      id: { type: 'integer', primaryKey: true },
      name: { type: 'varchar', length: 50, unique: true },
      bio: { type: 'text', nullable: true, default: null },
    },
    relations: { books: { many: 'books', backPopulates: 'author' } },
  },
  books: {
    columns: {
      id: { type: 'integer', primaryKey: true },
      authorId: { type: 'integer', references: 'authors.id' },
      title: { type: 'text' },
      published: { type: 'date', nullable: true },
    },
    relations: { author: { one: 'authors', backPopulates: 'books' } },
  },
})
export const { authors, books } = schema
