/** `tableOf(meta, alias?)`: from a table's runtime metadata back to its table object, without a database. */
import { expect, test } from 'vitest'
import { compile, eq, schemaMetaOf, SchemaError, select, tableMetaOf, tableOf, type TableMeta } from '@quarry/core'
import { posts, schema, users } from '../support/blog-schema'

test('gives the schema’s own table object, relation refs and all', () => {
  expect(tableOf(schemaMetaOf(schema).tables.users)).toBe(users)
  expect(tableOf(tableMetaOf(posts))).toBe(posts)
  const author = (tableOf(tableMetaOf(posts)) as unknown as typeof posts).author
  expect(tableOf(author.target)).toBe(users)
})

test('with an alias, reads the table through it, like alias()', () => {
  const boss = tableOf(tableMetaOf(users), 'boss')
  const username = (boss as unknown as typeof users).username
  const { sql } = compile(select(boss).where(eq(username, 'x') as never), 'postgres')
  expect(sql).toMatch(/^SELECT "boss"\."id", .* FROM "users" AS "boss" WHERE "boss"\."username" = \$1$/)
})

test('refuses metadata that defineSchema did not make', () => {
  const copy = { ...tableMetaOf(users) } as TableMeta
  expect(() => tableOf(copy)).toThrow(SchemaError)
})
