/** Schemas exercising every DDL feature, shared by the DDL tests. */
import { defineSchema, schemaMetaOf, sql } from '@quarry/core'

export const shop = defineSchema(
  {
    users: {
      columns: {
        id: { type: 'integer', primaryKey: true },
        email: { type: 'varchar', length: 120, unique: true },
        age: { type: 'integer', nullable: true },
        status: { type: 'enum', values: ['active', 'banned'], default: 'active' },
        bio: { type: 'text', default: "it's \\ fine" },
        score: { type: 'numeric', precision: 10, scale: 2, default: '1.5' },
        verified: { type: 'boolean', default: false },
        createdAt: { type: 'timestamp', serverDefault: sql`CURRENT_TIMESTAMP` },
        seenAt: { type: 'timestamp', withTimezone: true, serverDefault: sql`CURRENT_TIMESTAMP` },
      },
      checks: { adult: sql`${sql.identifier('age')} >= ${18}` },
    },
    posts: {
      columns: {
        id: { type: 'integer', primaryKey: true },
        authorId: { type: 'integer', references: { to: 'users.id', onDelete: 'cascade', onUpdate: 'cascade' }, index: true },
        editorId: { type: 'integer', nullable: true, references: { to: 'users.id', onDelete: 'set null' } },
        slug: { type: 'varchar', length: 100 },
        title: { type: 'varchar', length: 200 },
      },
      indexes: [{ columns: ['authorId', 'slug'], unique: true }, { columns: ['title', 'slug'] }],
    },
    tags: {
      columns: { id: { type: 'integer', primaryKey: true }, name: { type: 'varchar', length: 50 }, lang: { type: 'char', length: 2 } },
      uniques: [['name', 'lang']],
    },
    postTags: {
      name: 'post_tags',
      columns: {
        postId: { type: 'integer', references: { to: 'posts.id', onDelete: 'cascade' }, primaryKey: true },
        tagId: { type: 'integer', references: { to: 'tags.id', onDelete: 'cascade' }, primaryKey: true },
      },
    },
  },
  { casing: 'snake_case' },
)

/** Two tables referencing each other, and a self-reference. */
export const cyclic = defineSchema(
  {
    teams: {
      columns: {
        id: { type: 'integer', primaryKey: true },
        captainId: { type: 'integer', nullable: true, references: 'people.id' },
      },
    },
    people: {
      columns: {
        id: { type: 'integer', primaryKey: true },
        teamId: { type: 'integer', nullable: true, references: 'teams.id' },
        mentorId: { type: 'integer', nullable: true, references: 'people.id' },
      },
    },
  },
  { casing: 'snake_case' },
)

export const shopMeta = schemaMetaOf(shop)
export const cyclicMeta = schemaMetaOf(cyclic)
