/**
 * W5, a user's app: cold `tsc` on a 5-table schema with four typical queries (select by key, a
 * join with filters and order, an insert returning, an update), written as a user of each library
 * writes it, in a project of its own (NodeNext, strict, skipLibCheck as `tsc --init` sets it).
 * Kysely and Drizzle come from bench/node_modules (npm); Quarry from its packed tarballs, unpacked
 * into the project's node_modules as `npm install` would put them.
 */
import { execFileSync } from 'node:child_process'
import { mkdirSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
// @ts-expect-error: a plain .mjs script of the repository, without declarations
import { packAll } from '../../scripts/packages.mjs'

export type AppLibrary = 'quarry' | 'kysely' | 'drizzle'

const QUARRY = `import { createEngine, defineSchema, desc, eq, insert, select, sql, update } from '@quarry/core'

export const schema = defineSchema({
  users: {
    columns: {
      id: { type: 'integer', primaryKey: true },
      email: { type: 'varchar', length: 255, unique: true },
      name: { type: 'text' },
      createdAt: { type: 'timestamp', serverDefault: sql\`CURRENT_TIMESTAMP\` },
    },
  },
  posts: {
    columns: {
      id: { type: 'integer', primaryKey: true },
      authorId: { type: 'integer', references: 'users.id' },
      title: { type: 'text' },
      body: { type: 'text' },
      published: { type: 'boolean', default: false },
      createdAt: { type: 'timestamp', serverDefault: sql\`CURRENT_TIMESTAMP\` },
    },
  },
  comments: {
    columns: {
      id: { type: 'integer', primaryKey: true },
      postId: { type: 'integer', references: 'posts.id' },
      authorId: { type: 'integer', references: 'users.id' },
      body: { type: 'text' },
      createdAt: { type: 'timestamp', serverDefault: sql\`CURRENT_TIMESTAMP\` },
    },
  },
  tags: {
    columns: { id: { type: 'integer', primaryKey: true }, name: { type: 'varchar', length: 50, unique: true } },
  },
  postTags: {
    columns: {
      postId: { type: 'integer', references: 'posts.id' },
      tagId: { type: 'integer', references: 'tags.id' },
    },
    primaryKey: ['postId', 'tagId'],
  },
})
const { users, posts, comments } = schema

const db = createEngine(process.env.DATABASE_URL ?? 'postgres://localhost/app')

export async function userById(id: number) {
  return db.first(select(users).where(eq(users.id, id)))
}

export async function recentPosts(author: string) {
  return db.all(
    select({ id: posts.id, title: posts.title, author: users.name })
      .from(posts)
      .innerJoin(users, eq(users.id, posts.authorId))
      .where(eq(posts.published, true), eq(users.name, author))
      .orderBy(desc(posts.createdAt))
      .limit(20),
  )
}

export async function addComment(postId: number, authorId: number, body: string) {
  return db.one(insert(comments).values({ postId, authorId, body }).returning())
}

export async function publish(id: number) {
  return db.execute(update(posts).set({ published: true }).where(eq(posts.id, id)))
}
`

const KYSELY = `import { Kysely, PostgresDialect, type ColumnType, type Generated } from 'kysely'
import pg from 'pg'

interface UsersTable {
  id: Generated<number>
  email: string
  name: string
  createdAt: ColumnType<Date, Date | undefined, never>
}
interface PostsTable {
  id: Generated<number>
  authorId: number
  title: string
  body: string
  published: Generated<boolean>
  createdAt: ColumnType<Date, Date | undefined, never>
}
interface CommentsTable {
  id: Generated<number>
  postId: number
  authorId: number
  body: string
  createdAt: ColumnType<Date, Date | undefined, never>
}
interface TagsTable {
  id: Generated<number>
  name: string
}
interface PostTagsTable {
  postId: number
  tagId: number
}
export interface Database {
  users: UsersTable
  posts: PostsTable
  comments: CommentsTable
  tags: TagsTable
  postTags: PostTagsTable
}

const db = new Kysely<Database>({
  dialect: new PostgresDialect({ pool: new pg.Pool({ connectionString: process.env.DATABASE_URL }) }),
})

export async function userById(id: number) {
  return db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst()
}

export async function recentPosts(author: string) {
  return db
    .selectFrom('posts')
    .innerJoin('users', 'users.id', 'posts.authorId')
    .select(['posts.id', 'posts.title', 'users.name as author'])
    .where('posts.published', '=', true)
    .where('users.name', '=', author)
    .orderBy('posts.createdAt', 'desc')
    .limit(20)
    .execute()
}

export async function addComment(postId: number, authorId: number, body: string) {
  return db.insertInto('comments').values({ postId, authorId, body }).returningAll().executeTakeFirstOrThrow()
}

export async function publish(id: number) {
  return db.updateTable('posts').set({ published: true }).where('id', '=', id).execute()
}
`

const DRIZZLE = `import { and, desc, eq } from 'drizzle-orm'
import { boolean, integer, pgTable, primaryKey, serial, text, timestamp, varchar } from 'drizzle-orm/pg-core'
import { drizzle } from 'drizzle-orm/postgres-js'
import postgres from 'postgres'

export const users = pgTable('users', {
  id: serial('id').primaryKey(),
  email: varchar('email', { length: 255 }).notNull().unique(),
  name: text('name').notNull(),
  createdAt: timestamp('created_at').notNull().defaultNow(),
})
export const posts = pgTable('posts', {
  id: serial('id').primaryKey(),
  authorId: integer('author_id').notNull().references(() => users.id),
  title: text('title').notNull(),
  body: text('body').notNull(),
  published: boolean('published').notNull().default(false),
  createdAt: timestamp('created_at').notNull().defaultNow(),
})
export const comments = pgTable('comments', {
  id: serial('id').primaryKey(),
  postId: integer('post_id').notNull().references(() => posts.id),
  authorId: integer('author_id').notNull().references(() => users.id),
  body: text('body').notNull(),
  createdAt: timestamp('created_at').notNull().defaultNow(),
})
export const tags = pgTable('tags', {
  id: serial('id').primaryKey(),
  name: varchar('name', { length: 50 }).notNull().unique(),
})
export const postTags = pgTable('post_tags', {
  postId: integer('post_id').notNull().references(() => posts.id),
  tagId: integer('tag_id').notNull().references(() => tags.id),
}, (t) => [primaryKey({ columns: [t.postId, t.tagId] })])

const db = drizzle(postgres(process.env.DATABASE_URL ?? 'postgres://localhost/app'))

export async function userById(id: number) {
  const [user] = await db.select().from(users).where(eq(users.id, id))
  return user
}

export async function recentPosts(author: string) {
  return db
    .select({ id: posts.id, title: posts.title, author: users.name })
    .from(posts)
    .innerJoin(users, eq(users.id, posts.authorId))
    .where(and(eq(posts.published, true), eq(users.name, author)))
    .orderBy(desc(posts.createdAt))
    .limit(20)
}

export async function addComment(postId: number, authorId: number, body: string) {
  const [comment] = await db.insert(comments).values({ postId, authorId, body }).returning()
  return comment!
}

export async function publish(id: number) {
  return db.update(posts).set({ published: true }).where(eq(posts.id, id))
}
`

const SOURCES: Record<AppLibrary, string> = { quarry: QUARRY, kysely: KYSELY, drizzle: DRIZZLE }

/** A new project's tsconfig (as `tsc --init` for Node writes it: NodeNext, strict, skipLibCheck). */
const TSCONFIG = {
  compilerOptions: {
    target: 'ES2022',
    lib: ['ES2022', 'ESNext.Disposable'],
    module: 'NodeNext',
    moduleResolution: 'NodeNext',
    strict: true,
    skipLibCheck: true,
    esModuleInterop: true,
    noEmit: true,
    types: ['node'],
  },
  files: ['app.ts'],
}

/**
 * Writes `dir/app-<lib>/app.ts` with its package.json and tsconfig.json for each library; for
 * Quarry, builds and packs the packages and unpacks the tarballs into that project's node_modules.
 */
export function writeApps(dir: string): Record<AppLibrary, string> {
  const out = {} as Record<AppLibrary, string>
  for (const lib of Object.keys(SOURCES) as AppLibrary[]) {
    const folder = join(dir, `app-${lib}`)
    rmSync(folder, { recursive: true, force: true })
    mkdirSync(folder, { recursive: true })
    writeFileSync(join(folder, 'app.ts'), SOURCES[lib])
    writeFileSync(join(folder, 'package.json'), JSON.stringify({ name: `w5-app-${lib}`, private: true, type: 'module' }, null, 2) + '\n')
    writeFileSync(join(folder, 'tsconfig.json'), JSON.stringify(TSCONFIG, null, 2) + '\n')
    out[lib] = folder
  }
  const root = join(import.meta.dirname, '..', '..')
  execFileSync(process.execPath, [join(root, 'scripts', 'build.mjs')], { stdio: 'inherit' })
  const packs = packAll(join(dir, 'packs')) as { name: string; tarball: string }[]
  for (const p of packs) {
    const target = join(out.quarry, 'node_modules', ...p.name.split('/'))
    mkdirSync(target, { recursive: true })
    execFileSync('tar', ['-xzf', p.tarball, '-C', target, '--strip-components=1'])
  }
  return out
}
