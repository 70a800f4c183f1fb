/**
 * @quarry/core/internal: untyped statement factories (tables, column keys and values known at run
 * time) for the ORM. The SQL they compile to, then the statements run on every dialect.
 */
import { and, compile, eq, select, update } from '@quarry/core'
import {
  andNode,
  caseNode,
  castNode,
  columnOf,
  deleteNode,
  eqNode,
  inNode,
  insertNode,
  runnable,
  selectionOf,
  selectNode,
  updateNode,
} from '@quarry/core/internal'
import { expect, test } from 'vitest'
import { SchemaError } from '../../packages/core/src/errors'
import { forEachDialect } from '../support'
import { schema, users } from './fixtures'

test('the factories build what the typed builders build', () => {
  const where = andNode([eqNode(columnOf(users, 'id'), 1), eqNode(columnOf(users, 'username'), 'alice')])
  expect(compile(runnable(selectNode(users, where)), 'postgres')).toEqual(compile(select(users).where(and(eq(users.id, 1), eq(users.username, 'alice'))), 'postgres'))
  expect(compile(runnable(updateNode(users, { set: { age: 3 }, where: eqNode(columnOf(users, 'id'), 1) })), 'sqlite')).toEqual(
    compile(update(users).set({ age: 3 }).where(eq(users.id, 1)), 'sqlite'),
  )
  expect(compile(runnable(deleteNode(users, inNode(columnOf(users, 'id'), [1, 2]))), 'mysql').sql).toBe('DELETE FROM `users` WHERE `users`.`id` IN (?, ?)')
})

test('an unknown column is a SchemaError naming the table and the column', () => {
  expect(() => columnOf(users, 'nope')).toThrow(SchemaError)
  expect(() => columnOf(users, 'nope')).toThrow("table users has no column 'nope'")
  expect(() => selectionOf(users, ['id', 'nope'])).toThrow("table users has no column 'nope'")
})

forEachDialect((db) => {
  test('statements made by the factories run: insert, update with CASE, select, delete', async () => {
    const engine = await db.engine()
    await engine.createAll(schema)
    const returning = db.dialectObject.capabilities.returning ? selectionOf(users, ['id', 'username']) : undefined
    const inserted = await engine.execute(
      runnable(insertNode(users, ['id', 'username', 'email', 'age'], [[1, 'alice', 'a@x', 30], [2, 'bob', 'b@x', null]], returning)),
    )
    expect(inserted.rowsAffected).toBe(2)
    if (returning) expect(inserted.rows).toEqual([{ id: 1, username: 'alice' }, { id: 2, username: 'bob' }])
    const age = columnOf(users, 'age')
    const id = columnOf(users, 'id')
    await engine.execute(runnable(updateNode(users, { set: { age: caseNode([[eqNode(id, 1), castNode(31, age.meta)], [eqNode(id, 2), castNode(20, age.meta)]]) }, where: inNode(id, [1, 2]) })))
    expect(await engine.all(runnable(selectNode(users, inNode(id, [1, 2]), { selection: selectionOf(users, ['id', 'age']) })))).toEqual([
      { id: 1, age: 31 },
      { id: 2, age: 20 },
    ])
    expect((await engine.execute(runnable(deleteNode(users, eqNode(id, 2))))).rowsAffected).toBe(1)
    expect(await engine.all(runnable(selectNode(users, undefined, { selection: selectionOf(users, ['username']) })))).toEqual([{ username: 'alice' }])
  })
})
