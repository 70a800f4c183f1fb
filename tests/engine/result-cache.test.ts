/**
 * Issue 12 item 12: row builders are cached by the shape's structure, and that key must not let
 * two different shapes meet: a top-level key `'x.id'` is not the field `id` of a group `x`.
 */
import { expect, test } from 'vitest'
import { defineSchema, insert, select } from '../../packages/core/src/index'
import { forEachDialect } from '../support'

const schema = defineSchema({
  u: { columns: { id: { type: 'integer', primaryKey: true }, name: { type: 'text' } } },
  v: { columns: { id: { type: 'integer', primaryKey: true } } },
})
const { u, v } = schema

forEachDialect((db) => {
  test("select({ 'x.id': u.id }) and then select({ x: u }) each get their own shape", async () => {
    const engine = await db.engine()
    await engine.createAll(schema)
    await engine.execute(insert(u).values({ id: 7, name: 'seven' }))
    await engine.execute(insert(v).values({ id: 7 }))
    // The reproduction: a one-column table.
    expect(await engine.all(select({ 'x.id': v.id }).from(v))).toEqual([{ 'x.id': 7 }])
    expect(await engine.all(select({ x: v }).from(v))).toEqual([{ x: { id: 7 } }])
    expect(await engine.all(select({ x: u }).from(u))).toEqual([{ x: { id: 7, name: 'seven' } }])
    expect(await engine.all(select({ 'x.id': u.id, 'x.name': u.name }).from(u))).toEqual([{ 'x.id': 7, 'x.name': 'seven' }])
    expect(await engine.all(select({ x: u }).from(u))).toEqual([{ x: { id: 7, name: 'seven' } }])
  })
})
