/**
 * The session's types: entities are plain rows, and a query's result carries exactly the
 * relations its load options load. Negative cases use `@ts-expect-error`, which both tsd and
 * plain tsc enforce (an unused directive is an error).
 */
import { expectType } from 'tsd'
import { concat, count, defineSchema, eq, has, select } from '@quarry/core'
import { joinedload, selectinload, withDeleted, type Session } from '@quarry/orm'
import { posts, tags, users } from '../tests/support/blog-schema'
import { extra } from '../tests/orm/orm-schema'

declare const session: Session

type User = { id: number; username: string; email: string; bio: string | null; deletedAt: Date | null; createdAt: Date; updatedAt: Date }
type Post = { id: number; title: string; body: string; authorId: number }
type Tag = { id: number; name: string }

async function plainRows() {
  // Nothing loaded: exactly the row.
  expectType<User[]>(await session.all(select(users)))
  expectType<User | undefined>(await session.first(select(users).where(eq(users.id, 1))))
  expectType<User | undefined>(await session.get(users, 1))
  expectType<User[]>(await session.all(select(users), withDeleted()))
  expectType<number>(await session.scalar(select(count()).from(users), withDeleted()))
  // @ts-expect-error scalar() takes query options only: nothing is loaded for a scalar
  await session.scalar(select(count()).from(users), selectinload(users.posts))
  const [user] = await session.all(select(users))
  // @ts-expect-error posts was not loaded: reading it is a compile error
  user.posts
}

async function loadedRelations() {
  expectType<(User & { posts: Post[] })[]>(await session.all(select(users), selectinload(users.posts)) as (User & { posts: Post[] })[])
  const [user] = await session.all(select(users), selectinload(users.posts))
  expectType<Post[]>(user.posts)
  expectType<{ id: number; title: string; body: string; authorId: number; tags: Tag[] }[]>(
    (await session.all(select(users), selectinload(users.posts, posts.tags)))[0].posts,
  )
  // Merged paths: posts with both their tags and their author.
  const [merged] = await session.all(select(users), joinedload(users.posts, posts.tags), selectinload(users.posts, posts.author))
  expectType<Tag[]>(merged.posts[0].tags)
  expectType<User>(merged.posts[0].author) // authorId is NOT NULL: the author is never null
  // @ts-expect-error tags of the tags were not loaded
  merged.posts[0].tags[0].posts
  const one = await session.get(users, 1, selectinload(users.posts))
  expectType<Post[] | undefined>(one?.posts)
  const post = await session.one(select(posts), joinedload(posts.author), selectinload(posts.tags))
  expectType<User>(post.author)
  expectType<Tag[]>(post.tags)
}

// Two relations with the same source, target and cardinality: each load adds exactly its own key.
const reviewed = defineSchema({
  people: {
    columns: { id: { type: 'integer', primaryKey: true }, name: { type: 'text' } },
    relations: {
      written: { many: 'drafts', foreignKey: 'authorId' },
      edited: { many: 'drafts', foreignKey: 'editorId' },
    },
  },
  drafts: {
    columns: {
      id: { type: 'integer', primaryKey: true },
      authorId: { type: 'integer', references: 'people.id' },
      editorId: { type: 'integer', references: 'people.id', nullable: true },
      title: { type: 'text' },
      heading: { type: 'text', computed: (t) => concat('# ', t.title) },
    },
    relations: {
      author: { one: 'people', foreignKey: 'authorId' },
      editor: { one: 'people', foreignKey: 'editorId' },
    },
  },
})
type Person = { id: number; name: string }
type Draft = { id: number; authorId: number; editorId: number | null; title: string; heading: string }

async function sameShapedRelations() {
  const { people, drafts } = reviewed
  expectType<(Draft & { author: Person })[]>(await session.all(select(drafts), selectinload(drafts.author)) as (Draft & { author: Person })[])
  const [byAuthor] = await session.all(select(drafts), selectinload(drafts.author))
  expectType<{ id: number; authorId: number; editorId: number | null; title: string; heading: string; author: Person }>(byAuthor)
  const [byEditor] = await session.all(select(drafts), joinedload(drafts.editor))
  expectType<{ id: number; authorId: number; editorId: number | null; title: string; heading: string; editor: Person | null }>(byEditor)
  const both = await session.get(drafts, 1, selectinload(drafts.author), selectinload(drafts.editor))
  expectType<{ id: number; authorId: number; editorId: number | null; title: string; heading: string; author: Person; editor: Person | null } | undefined>(both)
  const [person] = await session.all(select(people), selectinload(people.edited, drafts.author))
  expectType<{ id: number; name: string; edited: { id: number; authorId: number; editorId: number | null; title: string; heading: string; author: Person }[] }>(person)
  // @ts-expect-error only the author was loaded
  byAuthor.editor
  // @ts-expect-error only the editor was loaded
  byEditor.author
  // A foreign key the schema infers decides nullability as before.
  const [node] = await session.all(select(extra.nodes), selectinload(extra.nodes.parent))
  expectType<{ id: number; parentId: number | null; label: string } | null>(node.parent)
  // A computed field is read, never written.
  expectType<string>(session.add(drafts, { authorId: 1, title: 't' }).heading)
  // @ts-expect-error a computed field cannot be given to add()
  session.add(drafts, { authorId: 1, title: 't', heading: '# t' })
  // any / has take relation refs of any key.
  void select(drafts).where(has(drafts.editor, eq(people.name, 'ed')))
}

function badPaths() {
  // @ts-expect-error posts.tags does not continue from users.posts' target... it does; users.posts then users.posts does not
  selectinload(users.posts, users.posts)
  // @ts-expect-error a column is not a relation
  selectinload(users.id)
  // @ts-expect-error a load option for posts on a query of users
  void session.all(select(users), selectinload(posts.tags))
  // @ts-expect-error no load options on a query that is not one whole table
  void session.all(select({ id: users.id }).from(users), selectinload(users.posts))
}

function adding() {
  const post = session.add(posts, { title: 't', body: 'b', authorId: 1, tags: [{ name: 'python' }] })
  expectType<Tag[]>(post.tags)
  expectType<number>(post.id)
  // Foreign keys may come from the related object instead.
  session.add(posts, { title: 't', body: 'b', author: { username: 'a', email: 'a@x' } })
  // @ts-expect-error a misspelt column
  session.add(users, { username: 'a', email: 'a@x', usrname: 'b' })
  // @ts-expect-error a required column is missing
  session.add(users, { email: 'a@x' })
  // @ts-expect-error nested objects are checked too
  session.add(posts, { title: 't', body: 'b', authorId: 1, tags: [{ nam: 'python' }] })
}

void plainRows
void loadedRelations
void badPaths
void adding
void sameShapedRelations
