/**
 * `ConditionOf<typeof table>`: the type of a condition over one table, for filters built up
 * conditionally; a condition over another table is refused. Negative cases use `@ts-expect-error`,
 * which both tsd and the plain tsc pass honour.
 */
import { expectType } from 'tsd'
import { alias, eq, gt, ilike, select, type Condition, type ConditionOf, type RowOf } from '@quarry/core'
import { posts, users } from '../tests/support/blog-schema'

const conds: ConditionOf<typeof users>[] = []
conds.push(ilike(users.username, '%a%'))
conds.push(gt(users.id, 3))
// @ts-expect-error a condition over posts is not one over users
conds.push(eq(posts.id, 1))
expectType<Condition<'users'>>(conds[0])
const q = select(users).where(...conds)
expectType<number>(({} as RowOf<typeof q>).id)

const boss = alias(users, 'boss')
const bossConds: ConditionOf<typeof boss>[] = [eq(boss.id, 1)]
// @ts-expect-error users is not the alias boss
bossConds.push(eq(users.id, 1))
select(boss).where(...bossConds)
