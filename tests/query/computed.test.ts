/**
 * Computed fields (TOUR §8): declared in the schema, usable in SQL like any column, selected on
 * whole rows under their key, never stored: no column in DDL, refused by insert and update.
 */
import { expect, test } from 'vitest'
import { alias, compile, concat, defineSchema, desc, eq, getDialect, insert, like, mul, schemaMetaOf, SchemaError, select, update } from '@quarry/core'
import { createAllStatements } from '../../packages/core/src/ddl'
import { forEachDialect } from '../support/dialects'
import { DIALECTS } from '../support'

const schema = defineSchema({
  people: {
    columns: {
      id: { type: 'integer', primaryKey: true },
      firstName: { type: 'varchar', length: 40 },
      lastName: { type: 'varchar', length: 40 },
      fullName: { type: 'text', computed: (t) => concat(t.firstName, ' ', t.lastName) },
      managerId: { type: 'integer', nullable: true, references: 'people.id' },
      hours: { type: 'integer', default: 0 },
      minutes: { type: 'integer', computed: (t) => mul(t.hours, 60) },
    },
  },
}, { casing: 'snake_case' })
const { people } = schema

test('DDL creates no column for a computed field', () => {
  for (const name of DIALECTS) {
    const dialect = getDialect(name)
    const [create] = createAllStatements(schemaMetaOf(schema), dialect)
    expect(create).toContain(dialect.quote('last_name'))
    expect(create).not.toContain(dialect.quote('full_name'))
    expect(create).not.toContain(dialect.quote('minutes'))
  }
})

test("a computed field's literals are bound on every compile (whole-row selections are cached)", () => {
  for (let i = 0; i < 2; i++) {
    const { sql, params } = compile(select(people).where(eq(people.id, 7)), 'postgres')
    expect(sql).toContain('("people"."first_name" || $1 || "people"."last_name") AS "fullName"')
    expect(sql).toMatch(/WHERE "people"."id" = \$3$/)
    expect(params).toEqual([' ', 60, 7])
  }
  const emulated = compile(insert(people).values({ firstName: 'a', lastName: 'b' }).returning(), 'mysql').emulateReturning!
  if (emulated.kind !== 'insert') throw new Error(`expected an insert's emulation, got ${emulated.kind}`)
  expect(emulated.selectParams).toEqual([' ', 60])
  expect(emulated.selectSql).toMatch(/>= \? AND .* < \? ORDER BY/)
})

test('a computed field cannot carry storage options', () => {
  const computed = { type: 'text', computed: () => concat('x') } as const
  for (const option of [{ unique: true }, { index: true }, { primaryKey: true }, { default: 'x' }, { references: 'a.id' }]) {
    expect(() => defineSchema({ a: { columns: { id: { type: 'integer', primaryKey: true }, c: { ...computed, ...option } as never } } })).toThrow(SchemaError)
  }
})

forEachDialect((db) => {
  async function seeded() {
    const engine = await db.engine()
    await engine.createAll(schema)
    await engine.execute(
      insert(people).values([
        { firstName: 'Ada', lastName: 'Lovelace', hours: 2 },
        { firstName: 'Alan', lastName: 'Turing', managerId: 1 },
        { firstName: 'Grace', lastName: 'Hopper', managerId: 1, hours: 1 },
      ]),
    )
    return engine
  }

  test('select(table) returns computed fields under their key, decoded by their declared type', async () => {
    const engine = await seeded()
    const rows = await engine.all(select(people).orderBy(people.id))
    expect(rows.map((r) => r.fullName)).toEqual(['Ada Lovelace', 'Alan Turing', 'Grace Hopper'])
    expect(rows.map((r) => r.minutes)).toEqual([120, 0, 60])
    expect(typeof rows[0].minutes).toBe('number')
    expect(Object.keys(rows[0])).toEqual(['id', 'firstName', 'lastName', 'fullName', 'managerId', 'hours', 'minutes'])
  })

  test('computed fields in where, orderBy and chosen columns', async () => {
    const engine = await seeded()
    expect(await engine.first(select(people).where(eq(people.fullName, 'Alan Turing')))).toMatchObject({ id: 2, fullName: 'Alan Turing' })
    expect(await engine.all(select(people.id).from(people).where(like(people.fullName, '%e%')).orderBy(desc(people.fullName)))).toEqual([3, 1])
    expect(await engine.all(select({ id: people.id, name: people.fullName, minutes: people.minutes }).from(people).orderBy(desc(people.minutes)))).toEqual([
      { id: 1, name: 'Ada Lovelace', minutes: 120 },
      { id: 3, name: 'Grace Hopper', minutes: 60 },
      { id: 2, name: 'Alan Turing', minutes: 0 },
    ])
  })

  test('an alias computes its fields from its own columns (self-join)', async () => {
    const engine = await seeded()
    const boss = alias(people, 'boss')
    const rows = await engine.all(
      select({ name: people.fullName, boss: boss.fullName }).from(people).innerJoin(boss, eq(boss.id, people.managerId)).orderBy(people.id),
    )
    expect(rows).toEqual([
      { name: 'Alan Turing', boss: 'Ada Lovelace' },
      { name: 'Grace Hopper', boss: 'Ada Lovelace' },
    ])
  })

  test('insert returning gives computed fields back', async () => {
    const engine = await seeded()
    const result = await engine.execute(insert(people).values({ firstName: 'Edsger', lastName: 'Dijkstra', hours: 3 }).returning())
    expect(result.rows).toEqual([{ id: 4, firstName: 'Edsger', lastName: 'Dijkstra', fullName: 'Edsger Dijkstra', managerId: null, hours: 3, minutes: 180 }])
  })

  test('update changes what computed fields compute', async () => {
    const engine = await seeded()
    await engine.execute(update(people).set({ lastName: 'King' }).where(eq(people.fullName, 'Ada Lovelace')))
    expect(await engine.all(select(people.fullName).from(people).where(eq(people.id, 1)))).toEqual(['Ada King'])
  })
})

test('insert and update refuse a computed field, naming it', () => {
  expect(() => insert(people).values({ firstName: 'a', lastName: 'b', fullName: 'x' } as never)).toThrow(/'fullName' is computed/)
  expect(() => update(people).set({ fullName: 'x' } as never)).toThrow(/'fullName' is computed/)
})
