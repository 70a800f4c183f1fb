/**
 * Workloads (a)–(d) of W2 (SQLite) and W3 (PostgreSQL), written once: each library is a
 * `BlogClient` implementing the operations it takes part in, and this module turns them into
 * checked, interleaved comparisons and target checks.
 */
import * as data from './data'
import { compare, fastestPeer, type Contender, type Role, type Summary } from './harness'
import { pending, ratioTarget, statsTable, type Table, type Target } from './report'

export type NewUser = ReturnType<typeof data.newUsers>[number]
/** A user row (any library's spelling) with its posts. */
export type UserWithPosts = Record<string, unknown>

export interface BlogClient {
  readonly name: string
  readonly role: Role
  /** (a) One user by primary key; `sync` when the library's call returns the row itself. */
  readonly userById?: { readonly sync: boolean; readonly get: (id: number) => unknown }
  /** (b) Every post. */
  readonly allPosts?: () => unknown
  /** (c) Insert the rows in one transaction. */
  readonly insertUsers?: (rows: NewUser[]) => unknown
  /** (d) Users 1–200 with their posts. */
  readonly usersWithPosts?: () => unknown
  readonly close: () => Promise<void> | void
}

export const LOOKUPS = 20_000
export const WITH_POSTS = 200
export const INSERTS = 10_000

/** The ids looked up in (a): every user, in a scattered order. */
export const LOOKUP_IDS = Array.from({ length: LOOKUPS }, (_, i) => ((i * 7919) % data.USERS) + 1)

const pick = (row: unknown, ...keys: string[]): unknown => {
  const r = row as Record<string, unknown>
  for (const k of keys) if (r[k] !== undefined) return r[k]
  return undefined
}
const authorOf = (post: unknown) => pick(post, 'authorId', 'author_id') ?? (pick(post, 'author') as { id?: unknown } | undefined)?.id
const postsOf = (user: unknown): unknown[] => {
  const p = (user as { posts?: unknown }).posts
  if (Array.isArray(p)) return p
  if (p && typeof (p as { getItems?: unknown }).getItems === 'function') return (p as { getItems(): unknown[] }).getItems()
  throw new Error(`user ${JSON.stringify(pick(user, 'id'))} has no posts array`)
}

function expectUser(row: unknown, id: number): void {
  if (row === undefined || row === null) throw new Error(`user ${id} not found`)
  const u = data.user(id)
  const got = { id: pick(row, 'id'), username: pick(row, 'username'), email: pick(row, 'email'), bio: pick(row, 'bio') ?? null }
  const want = { id: u.id, username: u.username, email: u.email, bio: u.bio }
  if (JSON.stringify(got) !== JSON.stringify(want)) throw new Error(`user ${id}: expected ${JSON.stringify(want)}, got ${JSON.stringify(got)}`)
  const created = pick(row, 'createdAt', 'created_at')
  if (created === undefined) throw new Error(`user ${id} has no created_at`)
}

function expectPost(row: unknown, id: number): void {
  const p = data.post(id)
  const got = { id: pick(row, 'id'), title: pick(row, 'title'), body: pick(row, 'body'), author: authorOf(row) }
  const want = { id: p.id, title: p.title, body: p.body, author: p.author_id }
  if (JSON.stringify(got) !== JSON.stringify(want)) throw new Error(`post ${id}: expected ${JSON.stringify(want)}, got ${JSON.stringify(got)}`)
}

/**
 * A loop over the (a) lookups, compiled per contender (`new Function`) so each has its own type
 * feedback; synchronous for drivers that are.
 */
function lookupLoop(get: (id: number) => unknown, sync: boolean): () => unknown {
  const body = `let found = 0, last; for (let i = 0; i < ids.length; i++) { last = ${sync ? '' : 'await '}get(ids[i]); if (last !== undefined && last !== null) found++ } return { found, last }`
  // eslint-disable-next-line no-new-func
  return new Function('get', 'ids', `return ${sync ? '' : 'async '}function run() { ${body} }`)(get, LOOKUP_IDS)
}

/** What the database side must offer for the (c) checks and clean-up. */
export interface Admin {
  countUsersTagged(tag: string): Promise<number>
  userByName(username: string): Promise<Record<string, unknown> | undefined>
  /** Deletes every user beyond the generated 1,000. */
  deleteNewUsers(): Promise<void>
}

export interface ReadsResult {
  readonly tables: Table[]
  readonly targets: Target[]
}

/** Runs (a)–(d) over the clients; `raw` names the baseline raw driver. */
export async function runReads(prefix: string, clients: readonly BlogClient[], admin: Admin, raw: string, options: { rounds?: number; lookupWarmup?: number } = {}): Promise<ReadsResult> {
  const tables: Table[] = []
  const targets: Target[] = []
  const ratio = (stats: Summary[], name: string) => stats.find((s) => s.name === name)?.vsRaw
  const rounds = options.rounds ?? 5

  // (a)
  {
    const contenders: Contender<void, unknown>[] = clients
      .filter((c) => c.userById)
      .map((c) => ({ name: c.name, role: c.role, run: lookupLoop(c.userById!.get, c.userById!.sync) }))
    const lastId = LOOKUP_IDS[LOOKUPS - 1]
    const stats = await compare(contenders, {
      title: `${prefix} (a)`,
      rounds,
      warmup: options.lookupWarmup ?? 2,
      raw,
      check: (_, result) => {
        const { found, last } = result as { found: number; last: unknown }
        if (found !== LOOKUPS) throw new Error(`found ${found} of ${LOOKUPS} users`)
        expectUser(last, lastId)
      },
    })
    tables.push(statsTable(`(a) one user by primary key, ${LOOKUPS.toLocaleString('en-US')} times (ms per ${LOOKUPS.toLocaleString('en-US')})`, stats, 'ms'))
    targets.push(ratioTarget('(a) Quarry plain ÷ raw', ratio(stats, 'Quarry'), 1.5))
    targets.push(ratioTarget('(a) Quarry prepared ÷ raw', ratio(stats, 'Quarry prepared'), 1.1))
  }

  // (b)
  {
    const contenders: Contender<void, unknown>[] = clients.filter((c) => c.allPosts).map((c) => ({ name: c.name, role: c.role, run: c.allPosts!, repeat: 5 }))
    const stats = await compare(contenders, {
      title: `${prefix} (b)`,
      rounds,
      raw,
      check: (_, result) => {
        const rows = result as unknown[]
        if (rows.length !== data.POSTS) throw new Error(`${rows.length} posts, expected ${data.POSTS}`)
        const sample = rows.find((r) => pick(r, 'id') === 1234)
        if (!sample) throw new Error('post 1234 missing')
        expectPost(sample, 1234)
      },
    })
    tables.push(statsTable(`(b) all ${data.POSTS.toLocaleString('en-US')} posts (ms; each sample the mean of 5 runs)`, stats, 'ms'))
    targets.push(ratioTarget('(b) Quarry (values decoded) ÷ raw', ratio(stats, 'Quarry'), 1.15))
  }

  // (c)
  {
    const contenders: Contender<{ rows: NewUser[]; tag: string }, unknown>[] = clients
      .filter((c) => c.insertUsers)
      .map((c) => {
        const check: { tag?: string; count?: number; sample?: Record<string, unknown> } = {}
        return {
          name: c.name,
          role: c.role,
          before: () => {
            const tag = `${c.name.replace(/\W+/g, '')}${data.runTag()}`
            return { rows: data.newUsers(INSERTS, tag), tag }
          },
          run: async ({ rows, tag }) => {
            await c.insertUsers!(rows)
            check.tag = tag
            return check
          },
          after: async () => {
            if (check.tag && check.count === undefined) {
              check.count = await admin.countUsersTagged(check.tag)
              check.sample = await admin.userByName(`${check.tag}-4321`)
            }
            await admin.deleteNewUsers()
          },
        }
      })
    const stats = await compare(contenders, {
      title: `${prefix} (c)`,
      rounds,
      raw,
      check: (_, result) => {
        const { tag, count, sample } = result as { tag: string; count: number; sample?: Record<string, unknown> }
        if (count !== INSERTS) throw new Error(`${count} users inserted, expected ${INSERTS}`)
        const want = data.newUsers(4322, tag)[4321]
        if (!sample || sample.email !== want.email || (sample.bio ?? null) !== want.bio) throw new Error(`inserted user ${want.username}: got ${JSON.stringify(sample)}`)
        if (sample.created_at === null || sample.created_at === undefined) throw new Error('created_at default not applied')
      },
    })
    tables.push(statsTable(`(c) insert ${INSERTS.toLocaleString('en-US')} users in one transaction (ms)`, stats, 'ms'))
    targets.push(ratioTarget('(c) Quarry ÷ raw', ratio(stats, 'Quarry'), 1.2))
  }

  // (d)
  {
    const withPosts = clients.filter((c) => c.usersWithPosts)
    const contenders: Contender<void, unknown>[] = withPosts.map((c) => ({ name: c.name, role: c.role, run: c.usersWithPosts!, repeat: 10 }))
    const stats = await compare(contenders, {
      title: `${prefix} (d)`,
      rounds,
      raw,
      check: (_, result) => {
        const rows = result as unknown[]
        if (rows.length !== WITH_POSTS) throw new Error(`${rows.length} users, expected ${WITH_POSTS}`)
        const total = rows.reduce((n: number, u) => n + postsOf(u).length, 0)
        if (total !== WITH_POSTS * data.POSTS_PER_USER) throw new Error(`${total} posts, expected ${WITH_POSTS * data.POSTS_PER_USER}`)
        const u17 = rows.find((u) => pick(u, 'id') === 17)
        expectUser(u17, 17)
        const ids = postsOf(u17).map((p) => pick(p, 'id') as number).sort((a, b) => a - b)
        if (JSON.stringify(ids) !== JSON.stringify(Array.from({ length: 10 }, (_, i) => 161 + i))) throw new Error(`user 17's posts: ${ids}`)
        expectPost(postsOf(u17).find((p) => pick(p, 'id') === 165), 165)
      },
    })
    tables.push(statsTable(`(d) ${WITH_POSTS} users with their posts (ms; each sample the mean of 10 runs)`, stats, 'ms', 'Raw and core clients: two queries (users, then posts `IN` their ids) and grouping in JS.'))
    const has = (name: string) => stats.some((s) => s.name === name)
    targets.push(ratioTarget('(d) Quarry core two queries ÷ raw two queries', ratio(stats, 'Quarry'), 1.2))
    targets.push(
      has('Quarry session selectin')
        ? ratioTarget('(d) Quarry session selectin ÷ raw two queries', ratio(stats, 'Quarry session selectin'), 1.5)
        : pending('(d) Quarry session selectin ÷ raw two queries', '≤ 1.5×', 'pending: session'),
    )
  }
  return { tables, targets }
}

/** Attaches posts to their users (the two-query loading every core client does by hand). */
export function attachPosts<TUser extends Record<string, unknown>>(users: TUser[], posts: readonly Record<string, unknown>[], authorKey: string): TUser[] {
  const byId = new Map<unknown, unknown[]>()
  for (const u of users) {
    const list: unknown[] = []
    ;(u as Record<string, unknown>).posts = list
    byId.set(u.id, list)
  }
  for (const p of posts) byId.get(p[authorKey])!.push(p)
  return users
}

export { fastestPeer }
