/**
 * Issue 12, item 3: no key reaches `Object.prototype`. Keys `__proto__`, `constructor` and
 * `prototype` are refused where Quarry makes objects from them (selected outputs, table, column and
 * relation keys); values from the database never land on a prototype, with code generation or
 * without it (`npm run test:nocodegen` runs this file with code generation refused).
 */
import { afterEach, expect, test } from 'vitest'
import { defineSchema, insert, SchemaError, select, sql } from '@quarry/core'
import { codeGenerationAllowed } from '@quarry/core/internal'
import { forEachDialect } from '../support'

const schema = defineSchema({ users: { columns: { id: { type: 'integer', primaryKey: true }, name: { type: 'text' } } } })
const { users } = schema

afterEach(() => {
  // Whatever ran, nothing was written onto Object.prototype.
  expect(Object.getOwnPropertyNames(Object.prototype).filter((k) => !['constructor', '__defineGetter__', '__defineSetter__', 'hasOwnProperty', '__lookupGetter__', '__lookupSetter__', 'isPrototypeOf', 'propertyIsEnumerable', 'toString', 'valueOf', '__proto__', 'toLocaleString'].includes(k))).toEqual([])
  expect(({} as Record<string, unknown>).id).toBeUndefined()
})

test('select({ ["__proto__"]: table }) and other reserved output keys are a SchemaError naming the key', () => {
  for (const key of ['__proto__', 'constructor', 'prototype']) {
    expect(() => select({ [key]: users } as never)).toThrow(SchemaError)
    expect(() => select({ [key]: users.id } as never)).toThrow(new RegExp(`selection '${key}': the key is reserved in JavaScript objects`))
  }
  expect(() => (select({ ['__proto__']: users } as never) as { from(t: unknown): unknown }).from(users)).toThrow(SchemaError)
})

test('defineSchema refuses a reserved table, column or relation key (a JSON-parsed schema can carry one)', () => {
  expect(() => defineSchema(JSON.parse('{"t":{"columns":{"id":{"type":"integer","primaryKey":true},"__proto__":{"type":"text"}}}}'))).toThrow(
    /table t: column key '__proto__' is reserved in JavaScript objects/,
  )
  expect(() => defineSchema({ t: { columns: { id: { type: 'integer', primaryKey: true }, constructor: { type: 'text' } } } } as never)).toThrow(SchemaError)
  expect(() => defineSchema(JSON.parse('{"__proto__":{"columns":{"id":{"type":"integer","primaryKey":true}}}}'))).toThrow(/table key '__proto__' is reserved/)
  // The SQL name can still be such a word: only the JavaScript key is refused.
  expect(() => defineSchema({ t: { columns: { id: { type: 'integer', primaryKey: true }, proto: { type: 'text', name: '__proto__' } } } })).not.toThrow()
})

forEachDialect((db) => {
  test(`rows never write to a prototype (code generation ${codeGenerationAllowed() ? 'allowed' : 'refused'})`, async () => {
    const engine = await db.engine()
    await engine.createAll(schema)
    await engine.execute(insert(users).values([{ id: 1, name: 'a' }, { id: 2, name: 'b' }]))
    const rows = await engine.all(select({ u: users, n: users.name }).from(users).orderBy(users.id))
    expect(rows).toEqual([{ u: { id: 1, name: 'a' }, n: 'a' }, { u: { id: 2, name: 'b' }, n: 'b' }])
    // A raw statement naming a column __proto__: the driver's rows, whatever they hold, pollute nothing.
    // (mysql2 refuses such a field name itself.)
    const statement = sql<Record<string, unknown>>`select 1 as ${sql.identifier('__proto__')}, 2 as ${sql.identifier('id')}`
    if (db.dialect === 'mysql') return void (await expect(engine.all(statement)).rejects.toThrow(/__proto__/))
    const raw = await engine.all(statement)
    expect(raw).toHaveLength(1)
    expect(Object.getPrototypeOf(raw[0])).not.toHaveProperty('id')
  })
})
