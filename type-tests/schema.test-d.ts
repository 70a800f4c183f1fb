/** Row types inferred from schema literals: Row, NewRow, RowPatch, for the tour's schema and every column type. */
import { expectType } from 'tsd'
import { z } from 'zod'
import { alias, defineSchema, sql, table, typed, type NewRow, type Row, type RowPatch } from '@quarry/core'
import { postTags, posts, users } from '../tests/support/blog-schema'

// Whole rows are flat object types, not `Row<TableOf<…>>` towers.
declare const user: Row<typeof users>
expectType<{
  id: number
  username: string
  email: string
  bio: string | null
  deletedAt: Date | null
  createdAt: Date
  updatedAt: Date
}>(user)

declare const post: Row<typeof posts>
expectType<{ id: number; title: string; body: string; authorId: number }>(post)

declare const postTag: Row<typeof postTags>
expectType<{ postId: number; tagId: number }>(postTag)

// Defaults, server defaults, nullable columns and the auto-increment key are optional on insert.
declare const newUser: NewRow<typeof users>
expectType<{
  username: string
  email: string
  id?: number
  bio?: string | null
  deletedAt?: Date | null
  createdAt?: Date
  updatedAt?: Date
}>(newUser)

// A foreign-key integer key is not auto-increment.
declare const newPost: NewRow<typeof posts>
expectType<{ title: string; body: string; authorId: number; id?: number }>(newPost)

// A composite primary key is not auto-increment either.
declare const newPostTag: NewRow<typeof postTags>
expectType<{ postId: number; tagId: number }>(newPostTag)

declare const patch: RowPatch<typeof users>
expectType<{
  id?: number
  username?: string
  email?: string
  bio?: string | null
  deletedAt?: Date | null
  createdAt?: Date
  updatedAt?: Date
}>(patch)

// An alias has the same row as its table.
const boss = alias(users, 'boss')
declare const bossRow: Row<typeof boss>
expectType<Row<typeof users>>(bossRow)

// Every portable column type, standalone `table()` declarations, typed json and custom types.
interface Settings {
  theme: 'dark' | 'light'
}
const zodLike = { _zod: { output: { tags: ['a'] as string[] } } }
const kitchen = table({
  columns: {
    id: { type: 'bigint', primaryKey: true },
    small: { type: 'smallint' },
    real: { type: 'real' },
    double: { type: 'double', nullable: true },
    price: { type: 'numeric', precision: 10, scale: 2 },
    flag: { type: 'boolean', default: false },
    name: { type: 'varchar', length: 20 },
    code: { type: 'char', length: 2 },
    uid: { type: 'uuid' },
    day: { type: 'date' },
    at: { type: 'time' },
    seen: { type: 'timestamp', withTimezone: true },
    settings: { type: 'json', $type: typed<Settings>() },
    labels: { type: 'json', schema: zodLike, nullable: true },
    blob: { type: 'json' },
    data: { type: 'bytes' },
    status: { type: 'enum', values: ['active', 'banned'] },
    point: { type: 'custom', sqlType: 'text', toDriver: (p: [number, number]) => p.join(','), fromDriver: (s: string): [number, number] => [0, Number(s)] },
    note: { type: 'text', serverDefault: sql`'none'` },
  },
})
const { kitchen: k } = defineSchema({ kitchen })
declare const kitchenRow: Row<typeof k>
expectType<{
  id: bigint
  small: number
  real: number
  double: number | null
  price: string
  flag: boolean
  name: string
  code: string
  uid: string
  day: string
  at: string
  seen: Date
  settings: Settings
  labels: { tags: string[] } | null
  blob: unknown
  data: Uint8Array
  status: 'active' | 'banned'
  point: [number, number]
  note: string
}>(kitchenRow)

declare const newKitchen: NewRow<typeof k>
expectType<{
  small: number
  real: number
  price: string
  name: string
  code: string
  uid: string
  day: string
  at: string
  seen: Date
  settings: Settings
  blob: unknown
  data: Uint8Array
  status: 'active' | 'banned'
  point: [number, number]
  id?: bigint
  double?: number | null
  flag?: boolean
  labels?: { tags: string[] } | null
  note?: string
}>(newKitchen)

// A json column typed by a real zod schema.
const Prefs = z.object({ theme: z.enum(['dark', 'light']), size: z.number().optional() })
const { prefs } = defineSchema({ prefs: { columns: { id: { type: 'integer', primaryKey: true }, settings: { type: 'json', schema: Prefs } } } })
declare const prefsRow: Row<typeof prefs>
expectType<{ id: number; settings: { theme: 'dark' | 'light'; size?: number | undefined } }>(prefsRow)

// A composite primary key given as a table option; softDelete and renamedFrom leave the row alone.
const { memberships } = defineSchema({
  memberships: {
    columns: { orgId: { type: 'integer' }, userId: { type: 'integer' }, role: { type: 'text', default: 'member', renamedFrom: 'kind' }, leftAt: { type: 'timestamp', nullable: true } },
    primaryKey: ['orgId', 'userId'],
    softDelete: 'leftAt',
    renamedFrom: 'members',
  },
})
declare const newMembership: NewRow<typeof memberships>
expectType<{ orgId: number; userId: number; role?: string; leftAt?: Date | null }>(newMembership)
declare const membership: Row<typeof memberships>
expectType<{ orgId: number; userId: number; role: string; leftAt: Date | null }>(membership)
