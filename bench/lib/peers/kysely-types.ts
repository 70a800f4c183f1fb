/** The blog schema as Kysely's database interface (snake_case, as the tables are named). */
import type { Generated } from 'kysely'

export interface DB {
  users: {
    id: Generated<number>
    username: string
    email: string
    bio: string | null
    deleted_at: string | Date | null
    created_at: Generated<string | Date>
    updated_at: Generated<string | Date>
  }
  posts: {
    id: Generated<number>
    title: string
    body: string
    author_id: number
  }
  tags: { id: Generated<number>; name: string }
  post_tags: { post_id: number; tag_id: number }
}
