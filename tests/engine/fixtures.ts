/**
 * The schema the engine tests share.
 */
import { defineSchema, sql } from '../../packages/core/src/index'

export const schema = defineSchema(
  {
    users: {
      columns: {
        id: { type: 'integer', primaryKey: true },
        username: { type: 'varchar', length: 50, unique: true },
        email: { type: 'varchar', length: 120 },
        age: { type: 'integer', nullable: true },
      },
      checks: { agePositive: sql`age >= 0` },
    },
    posts: {
      columns: {
        id: { type: 'integer', primaryKey: true },
        title: { type: 'varchar', length: 200 },
        authorId: { type: 'integer', references: 'users.id', index: true },
      },
    },
    items: {
      columns: {
        id: { type: 'integer', primaryKey: true },
        name: { type: 'varchar', length: 40, unique: true },
        qty: { type: 'integer' },
        price: { type: 'numeric', precision: 10, scale: 2 },
        active: { type: 'boolean' },
        big: { type: 'bigint' },
        createdAt: { type: 'timestamp' },
      },
    },
  },
  { casing: 'snake_case' },
)

export const { users, posts, items } = schema

/** `count` rows for `items`, six columns each. */
export function itemRows(count: number, offset = 0) {
  return Array.from({ length: count }, (_, i) => ({
    name: `item-${offset + i}`,
    qty: i,
    price: `${i}.50`,
    active: i % 2 === 0,
    big: 9_007_199_254_740_993n + BigInt(i),
    createdAt: new Date(Date.UTC(2026, 0, 1, 0, 0, i % 60)),
  }))
}
