/**
 * The benchmark data, generated deterministically: the tour's blog schema with 1,000 users, 10
 * posts each, 50 tags and 3 tags per post. The same call always gives the same rows.
 */

export const USERS = 1000
export const POSTS_PER_USER = 10
export const POSTS = USERS * POSTS_PER_USER
export const TAGS = 50
export const TAGS_PER_POST = 3

export interface UserData {
  id: number
  username: string
  email: string
  bio: string | null
  deleted_at: null
  created_at: string
  updated_at: string
}

export interface PostData {
  id: number
  title: string
  body: string
  author_id: number
}

const LOREM =
  'Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor incididunt ut labore et dolore magna aliqua. Ut enim ad minim veniam, quis nostrud exercitation ullamco.'

const BASE = Date.UTC(2024, 0, 1)

/** `'YYYY-MM-DD HH:MM:SS.SSS'` in UTC: how Quarry stores timestamps on SQLite, and what PostgreSQL reads. */
export function timestampText(ms: number): string {
  return new Date(ms).toISOString().replace('T', ' ').replace('Z', '')
}

export function user(i: number): UserData {
  const at = timestampText(BASE + i * 3_600_000)
  return {
    id: i,
    username: `user${i}`,
    email: i % 4 === 0 ? `user${i}@other.org` : `user${i}@example.com`,
    bio: i % 3 === 0 ? null : `Bio of user ${i}`,
    deleted_at: null,
    created_at: at,
    updated_at: at,
  }
}

export function post(p: number): PostData {
  return { id: p, title: `Post ${p}`, body: `Body of post ${p}. ${LOREM}`, author_id: Math.ceil(p / POSTS_PER_USER) }
}

/** The tags of post `p`: three distinct tag ids. */
export function tagsOf(p: number): number[] {
  return [0, 17, 34].map((offset) => ((p + offset) % TAGS) + 1)
}

export function users(): UserData[] {
  return Array.from({ length: USERS }, (_, i) => user(i + 1))
}

export function posts(): PostData[] {
  return Array.from({ length: POSTS }, (_, i) => post(i + 1))
}

export function tags(): { id: number; name: string }[] {
  return Array.from({ length: TAGS }, (_, i) => ({ id: i + 1, name: `tag${i + 1}` }))
}

export function postTags(): { post_id: number; tag_id: number }[] {
  const out: { post_id: number; tag_id: number }[] = []
  for (let p = 1; p <= POSTS; p++) for (const t of tagsOf(p)) out.push({ post_id: p, tag_id: t })
  return out
}

/** New users for insert workloads: unique names per run (`tag`), not clashing with the fixed data. */
export function newUsers(count: number, tag: string): { username: string; email: string; bio: string | null }[] {
  return Array.from({ length: count }, (_, i) => ({
    username: `${tag}-${i}`,
    email: `${tag}-${i}@example.net`,
    bio: i % 3 === 0 ? null : `New user ${i}`,
  }))
}

let runs = 0
/** A fresh tag for each insert run. */
export function runTag(): string {
  return `r${++runs}`
}
