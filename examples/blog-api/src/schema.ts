/**
 * The blog's tables: the schema of Quarry's README (users, posts, tags and their association
 * table), with timestamps on posts for keyset pagination and soft delete on users and posts.
 */
import { defineSchema, sql } from '@quarry/core'

const timestamps = {
  createdAt: { type: 'timestamp', serverDefault: sql`CURRENT_TIMESTAMP` },
  updatedAt: { type: 'timestamp', serverDefault: sql`CURRENT_TIMESTAMP`, onUpdate: sql`CURRENT_TIMESTAMP` },
} as const

export const schema = defineSchema(
  {
    users: {
      columns: {
        id: { type: 'integer', primaryKey: true },
        username: { type: 'varchar', length: 50, unique: true },
        email: { type: 'varchar', length: 120, unique: true },
        bio: { type: 'text', nullable: true, default: null },
        deletedAt: { type: 'timestamp', nullable: true },
        ...timestamps,
      },
      // Only the database enforces this one (the validators cannot read SQL): a 422 from toFieldErrors.
      checks: { username_no_space: sql`username NOT LIKE '% %'` },
      softDelete: 'deletedAt',
      relations: { posts: { many: 'posts', backPopulates: 'author' } },
    },
    posts: {
      columns: {
        id: { type: 'integer', primaryKey: true },
        title: { type: 'varchar', length: 200 },
        body: { type: 'text' },
        authorId: { type: 'integer', references: 'users.id', index: true },
        deletedAt: { type: 'timestamp', nullable: true },
        ...timestamps,
      },
      // The list endpoint's order and keyset: newest first, id breaking ties.
      indexes: [{ columns: ['createdAt', 'id'] }],
      softDelete: 'deletedAt',
      relations: {
        author: { one: 'users', backPopulates: 'posts' },
        tags: { many: 'tags', through: 'postTags', backPopulates: 'posts' },
      },
    },
    tags: {
      columns: {
        id: { type: 'integer', primaryKey: true },
        name: { type: 'varchar', length: 50, unique: true },
      },
      relations: { posts: { many: 'posts', through: 'postTags', backPopulates: 'tags' } },
    },
    postTags: {
      name: 'post_tags',
      columns: {
        postId: { type: 'integer', references: 'posts.id', primaryKey: true },
        tagId: { type: 'integer', references: 'tags.id', primaryKey: true, index: true },
      },
    },
  },
  { casing: 'snake_case' },
)

export const { users, posts, tags, postTags } = schema
