/**
 * The wire: request and response bodies, derived from the tables by @quarry/zod, so lengths,
 * ranges, nullability and enums come from the schema. `wire: true` gives codecs: timestamps
 * travel as ISO 8601 strings, decoded to `Date` on the way in and encoded on the way out.
 */
import { insertSchema, selectSchema, updateSchema } from '@quarry/zod'
import { z } from 'zod'
import { CursorParam } from './pagination.js'
import { posts, tags, users } from './schema.js'

const email = (s: z.ZodString) => s.email()

/** A user as the API returns it. */
export const User = selectSchema(users, { wire: true }).omit({ deletedAt: true })
/** POST /users. */
export const NewUser = insertSchema(users, { wire: true, columns: { email } }).pick({ username: true, email: true, bio: true })
/** PATCH /users/:id. */
export const UserPatch = updateSchema(users, { wire: true, columns: { email } }).pick({ username: true, email: true, bio: true })

/** A tag. */
export const Tag = selectSchema(tags)
const TagName = insertSchema(tags).shape.name
const TagNames = z.array(TagName).max(10)

/** A post with its author and tags. */
export const Post = selectSchema(posts, { wire: true }).omit({ deletedAt: true }).extend({ author: User, tags: z.array(Tag) })
/** POST /posts: the post and the names of its tags (missing tags are created). */
export const NewPost = insertSchema(posts, { wire: true }).pick({ title: true, body: true, authorId: true }).extend({ tags: TagNames.default([]) })
/** PATCH /posts/:id: `tags` replaces the post's tags. */
export const PostPatch = updateSchema(posts, { wire: true }).pick({ title: true, body: true }).extend({ tags: TagNames.optional() })

const Limit = z.coerce.number().int().min(1).max(100).default(20)
// LIKE wildcards are refused rather than escaped: the search is for plain text.
const Search = (max: number) => z.string().min(1).max(max).regex(/^[^%_\\]*$/, 'may not contain %, _ or \\')

/** GET /users query parameters. */
export const UserQuery = z.strictObject({ q: Search(50).optional(), limit: Limit, cursor: CursorParam.optional() })
/** GET /posts query parameters: filters, page size and the cursor of the page before. */
export const PostQuery = z.strictObject({
  author: z.coerce.number().int().positive().optional(),
  tag: TagName.optional(),
  q: Search(200).optional(),
  limit: Limit,
  cursor: CursorParam.optional(),
})

/** A path parameter `:id`. */
export const Id = z.coerce.number().int().positive().max(2_147_483_647)

/** A page of items and the cursor of the next page (`null` on the last one). */
export function Page<TItem extends z.ZodType>(item: TItem) {
  return z.object({ items: z.array(item), nextCursor: z.string().nullable() })
}

/** The body of a 409 or 422: zod's issues and database constraint errors in one shape. */
export const FieldErrors = z.object({
  errors: z.array(z.object({ path: z.array(z.union([z.string(), z.number()])), code: z.string(), message: z.string(), constraint: z.string().optional() })),
})
/** The body of a 400 or 404. */
export const Problem = z.object({ error: z.string() })
