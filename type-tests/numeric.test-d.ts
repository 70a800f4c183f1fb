/**
 * Exact decimals in expressions: a numeric column is a `DecimalExpr`; SUM/MIN/MAX and arithmetic
 * over it stay decimal text; it compares with numbers, decimal text and `avg()`; a text column
 * does not take part in arithmetic or compare with numbers.
 */
import { expectType } from 'tsd'
import { add, avg, coalesce, defineSchema, div, gt, gte, jsonGet, lt, max, mul, scalar, select, sub, sum, typed, type DecimalExpr, type Expr, type RowOf } from '@quarry/core'

const { items } = defineSchema({
  items: {
    columns: {
      id: { type: 'integer', primaryKey: true },
      name: { type: 'text' },
      qty: { type: 'integer' },
      price: { type: 'numeric', precision: 12, scale: 2 },
      discount: { type: 'numeric', precision: 4, scale: 2, nullable: true },
    },
  },
})

expectType<DecimalExpr<string | null, 'items'>>(sum(items.price))
expectType<DecimalExpr<string | null, 'items'>>(max(items.price))
expectType<DecimalExpr<string, 'items'>>(add(items.price, '1.50'))
expectType<DecimalExpr<string, 'items'>>(mul(items.price, items.qty))
expectType<DecimalExpr<string, 'items'>>(mul(items.qty, items.price))
expectType<DecimalExpr<string | null, 'items'>>(sub(items.discount, 1))
expectType<DecimalExpr<string, 'items'>>(add(items.price, mul(items.price, 2)))

const q = select({ total: coalesce(sum(items.price), '0'), mean: avg(items.price), line: mul(items.price, items.qty), ratio: div(items.price, 4) }).from(items)
expectType<{ total: string; mean: number | null; line: string; ratio: number | null }>({} as RowOf<typeof q>)

// Decimals compare with decimal text, numbers, other decimals and number expressions (avg()).
gt(items.price, '9.99')
gt(items.price, 10)
gt(items.price, avg(items.price))
gt(avg(items.price), items.price)
gte(sum(items.price), '1500')
lt(items.price, scalar(select(avg(items.price)).from(items)))
gt(add(items.price, '0.5'), items.discount)

// Text is not a decimal.
// @ts-expect-error not a decimal
add(items.name, '1')
// @ts-expect-error not a decimal
mul(items.name, items.price)
// @ts-expect-error not a decimal
gt(items.name, 1)
// @ts-expect-error not a decimal
gt(items.name, avg(items.price))
// @ts-expect-error not a decimal
gt(items.price, true)
// @ts-expect-error not a decimal
gt(sum(items.name), avg(items.qty))

// The decimal overloads come after the generic one: a generic left operand (jsonGet) still infers from its own arguments.
const { docs } = defineSchema({ docs: { columns: { id: { type: 'integer', primaryKey: true }, doc: { type: 'json' } } } })
gt(jsonGet(docs.doc, 'pageSize'), 30)

// jsonGet with a path array and typed<T>() says what the value is and keeps the table's scope.
expectType<Expr<number | null, 'docs'>>(jsonGet(docs.doc, ['pageSize'], typed<number>()))
expectType<Expr<{ dark: boolean } | null, 'docs'>>(jsonGet(docs.doc, ['ui', 0], typed<{ dark: boolean }>()))
expectType<Expr<unknown, 'docs'>>(jsonGet(docs.doc, 'pageSize'))
