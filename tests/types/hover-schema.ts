// Schema for the hover fixture: authors -> books -> tags (many-to-many through bookTags).
import { defineSchema } from '@quarry/core'

export const { authors, books, tags, bookTags } = defineSchema({
  authors: {
    columns: { id: { type: 'integer', primaryKey: true }, name: { type: 'text' } },
    relations: { books: { many: 'books', backPopulates: 'author' } },
  },
  books: {
    columns: { id: { type: 'integer', primaryKey: true }, authorId: { type: 'integer', references: 'authors.id' }, title: { type: 'text' } },
    relations: { author: { one: 'authors', backPopulates: 'books' }, tags: { many: 'tags', through: 'bookTags' } },
  },
  tags: { columns: { id: { type: 'integer', primaryKey: true }, name: { type: 'text' } } },
  bookTags: {
    columns: { bookId: { type: 'integer', references: 'books.id' }, tagId: { type: 'integer', references: 'tags.id' } },
    primaryKey: ['bookId', 'tagId'],
  },
})
