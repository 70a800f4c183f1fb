/** @quarry/zod: the inferred zod types equal Row, NewRow and RowPatch; wire mode's input is JSON; brands reach Row. */
import { expectType } from 'tsd'
import { z } from 'zod'
import { defineSchema, sql, type NewRow, type Row, type RowPatch } from '@quarry/core'
import { insertSchema, selectSchema, updateSchema } from '@quarry/zod'
import { posts, users } from '../tests/support/blog-schema'

// Outputs are exactly the row types, in both modes.
expectType<Row<typeof users>>({} as z.output<ReturnType<typeof selectSchema<typeof users>>>)
expectType<NewRow<typeof users>>({} as z.output<ReturnType<typeof insertSchema<typeof users>>>)
expectType<RowPatch<typeof users>>({} as z.output<ReturnType<typeof updateSchema<typeof users>>>)
const NewPost = insertSchema(posts, { wire: true })
expectType<NewRow<typeof posts>>({} as z.output<typeof NewPost>)

const every = defineSchema({
  t: {
    columns: {
      id: { type: 'bigint', primaryKey: true },
      at: { type: 'timestamp', serverDefault: sql`CURRENT_TIMESTAMP` },
      data: { type: 'bytes', nullable: true },
      price: { type: 'numeric', precision: 10, scale: 2 },
      status: { type: 'enum', values: ['draft', 'published'] },
      doc: { type: 'json', schema: z.object({ tags: z.array(z.string()) }) },
      flag: { type: 'boolean', default: false },
      day: { type: 'date' },
      ref: { type: 'uuid', nullable: true },
    },
  },
}).t
const T = selectSchema(every, { wire: true })
expectType<Row<typeof every>>({} as z.output<typeof T>)
expectType<NewRow<typeof every>>({} as z.output<ReturnType<typeof insertSchema<typeof every, { wire: true }>>>)
// The wire input is JSON: bigint, Date and bytes as strings.
expectType<{ id: string; at: string; data: string | null; price: string; status: 'draft' | 'published'; doc: { tags: string[] }; flag: boolean; day: string; ref: string | null }>(
  {} as z.input<typeof T>,
)

// A refinement gets the column's own zod class; overrides change the column's type.
const NewUser = insertSchema(users, { columns: { email: (s) => s.email(), bio: z.string().max(10) } })
expectType<NewRow<typeof users>>({} as z.output<typeof NewUser>)
const Loose = insertSchema(users, { columns: { username: z.number() } })
expectType<number>(({} as z.output<typeof Loose>).username)

// Brands declared on the key flow into Row and into the validators.
const UserId = z.number().brand<'UserId'>()
type UserId = z.infer<typeof UserId>
const branded = defineSchema({
  users: { columns: { id: { type: 'integer', primaryKey: true, schema: UserId }, name: { type: 'text' } } },
  posts: { columns: { id: { type: 'integer', primaryKey: true }, authorId: { type: 'integer', references: 'users.id', schema: UserId } } },
})
expectType<UserId>({} as Row<typeof branded.users>['id'])
expectType<UserId>({} as Row<typeof branded.posts>['authorId'])
expectType<UserId>({} as z.output<ReturnType<typeof selectSchema<typeof branded.posts>>>['authorId'])
expectType<Row<typeof branded.posts>>({} as z.output<ReturnType<typeof selectSchema<typeof branded.posts>>>)
