/** Named foreign keys (`references: { to, name }`) named checks (`checks: { key: { name, expr } }`) and named unique constraints (`uniques: [{ columns, name }]`) in a schema literal (the mistakes are in errors.test-d.ts). */
import { expectType } from 'tsd'
import { defineSchema, sql, type Row } from '@quarry/core'

const shop = defineSchema({
  customers: { columns: { id: { type: 'integer', primaryKey: true } } },
  orders: {
    columns: {
      id: { type: 'integer', primaryKey: true },
      customerId: { type: 'integer', references: { to: 'customers.id', name: 'fk_order_customer', onDelete: 'cascade' } },
      total: { type: 'numeric', precision: 10, scale: 2 },
    },
    uniques: [{ columns: ['customerId', 'total'], name: 'orders_customer_total' }, ['id', 'total']],
    checks: {
      positive: { name: 'orders_total_ok', expr: sql`total >= 0` },
      plain: sql`id > 0`,
    },
  },
})
declare const order: Row<typeof shop.orders>
expectType<{ id: number; customerId: number; total: string }>(order)
