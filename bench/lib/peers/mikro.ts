/**
 * The blog schema as MikroORM entities (EntitySchema: no decorators, no reflection), mapped onto
 * the tables Quarry creates. Timestamps have database defaults, so MikroORM leaves them out of
 * inserts as Quarry does.
 */
import { Collection, EntitySchema, type Ref } from '@mikro-orm/core'

export class User {
  id!: number
  username!: string
  email!: string
  bio?: string | null
  deletedAt?: Date | null
  createdAt?: Date
  updatedAt?: Date
  posts = new Collection<Post>(this)
}

export class Post {
  id!: number
  title!: string
  body!: string
  author!: User | Ref<User>
  tags = new Collection<Tag>(this)
}

export class Tag {
  id!: number
  name!: string
}

export const UserSchema = new EntitySchema<User>({
  class: User,
  tableName: 'users',
  properties: {
    id: { type: 'integer', primary: true, autoincrement: true },
    username: { type: 'string', length: 50, unique: true },
    email: { type: 'string', length: 120, unique: true },
    bio: { type: 'text', nullable: true },
    deletedAt: { type: 'datetime', nullable: true },
    createdAt: { type: 'datetime', defaultRaw: 'CURRENT_TIMESTAMP' },
    updatedAt: { type: 'datetime', defaultRaw: 'CURRENT_TIMESTAMP' },
    posts: { kind: '1:m', entity: () => Post, mappedBy: 'author' },
  },
})

export const PostSchema = new EntitySchema<Post>({
  class: Post,
  tableName: 'posts',
  properties: {
    id: { type: 'integer', primary: true, autoincrement: true },
    title: { type: 'string', length: 200 },
    body: { type: 'text' },
    author: { kind: 'm:1', entity: () => User, fieldName: 'author_id' },
    tags: { kind: 'm:n', entity: () => Tag, pivotTable: 'post_tags', joinColumn: 'post_id', inverseJoinColumn: 'tag_id' },
  },
})

export const TagSchema = new EntitySchema<Tag>({
  class: Tag,
  tableName: 'tags',
  properties: {
    id: { type: 'integer', primary: true, autoincrement: true },
    name: { type: 'string', length: 50, unique: true },
  },
})

export const entities = [UserSchema, PostSchema, TagSchema]
