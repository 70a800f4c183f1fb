/**
 * Generated constraint and index names never collide across a schema (issue 12 item 13): table
 * `ux_y` with a unique index on `z` and table `ux` with one on `y_z` both produced `ux_y_z_key`, and
 * `CREATE UNIQUE INDEX IF NOT EXISTS` then skipped the second, so its duplicates were accepted.
 * Names of schemas without a collision stay exactly what they were (migrations depend on them).
 */
import { defineSchema, insert, schemaMetaOf, SchemaError, sql, UniqueViolation } from '@quarry/core'
import { describe, expect, test } from 'vitest'
import { tableConstraints } from '../../packages/core/src/ddl/constraint-names'
import { forEachDialect } from '../support'

/** Table `ux_y` with a unique index on `z`, table `ux` with one on `y_z`: both were `ux_y_z_key`. */
function schemaInput() {
  return {
    first: { name: 'ux_y', columns: { id: { type: 'integer', primaryKey: true }, z: { type: 'integer' } }, indexes: [{ columns: ['z'], unique: true }] },
    second: { name: 'ux', columns: { id: { type: 'integer', primaryKey: true }, y_z: { type: 'integer' } }, indexes: [{ columns: ['y_z'], unique: true }] },
  } as const
}
const colliding = defineSchema(schemaInput())

/** Every constraint and index name of a schema, as DDL writes them, by table. */
function names(schema: object): Record<string, string[]> {
  const out: Record<string, string[]> = {}
  for (const table of Object.values(schemaMetaOf(schema).tables)) out[table.name] = tableConstraints(table).map((c) => c.name)
  return out
}

forEachDialect((db) => {
  test('two tables whose generated unique index names would collide both refuse duplicates', async () => {
    const engine = await db.engine()
    await engine.createAll(colliding)
    await engine.execute(insert(colliding.first).values({ id: 1, z: 7 }))
    await expect(engine.execute(insert(colliding.first).values({ id: 2, z: 7 }))).rejects.toThrow(UniqueViolation)
    await engine.execute(insert(colliding.second).values({ id: 1, y_z: 7 }))
    const duplicate = await engine.execute(insert(colliding.second).values({ id: 2, y_z: 7 })).catch((error: unknown) => error)
    expect(duplicate).toBeInstanceOf(UniqueViolation)
    // The error names the table whose index refused the row, not the other one.
    expect(duplicate).toMatchObject({ table: 'ux', columns: ['y_z'] })
    // A second createAll finds everything in place.
    await engine.createAll(colliding)
  })
})

describe('generated names', () => {
  test('the first declared keeps its name; the one that would collide gets a hash suffix, the same every time', () => {
    const [first, second] = Object.values(names(colliding))
    expect(first).toEqual(['ux_y_pkey', 'ux_y_z_key'])
    expect(second[0]).toBe('ux_pkey')
    expect(second[1]).toMatch(/^ux_y_z_key_[0-9a-f]{8}$/)
    expect(names(colliding)).toEqual(names(defineSchema(schemaInput())))
  })

  test('a schema without collisions keeps the names it always had', () => {
    const schema = defineSchema({
      users: {
        columns: {
          id: { type: 'integer', primaryKey: true },
          email: { type: 'text', unique: true },
          team: { type: 'integer', index: true, references: 'teams.id' },
          status: { type: 'enum', values: ['a', 'b'] },
        },
        indexes: [{ columns: ['team', 'email'] }, { columns: ['status', 'team'], unique: true }],
        uniques: [['team', 'status']],
        checks: { positive: sql`1 = 1` },
      },
      teams: { columns: { id: { type: 'integer', primaryKey: true } } },
    })
    expect(names(schema)).toEqual({
      users: [
        'users_pkey', 'users_email_key', 'users_team_status_key', 'users_team_idx', 'users_team_email_idx', 'users_status_team_key',
        'users_team_fkey', 'users_positive_check', 'users_status_check',
      ],
      teams: ['teams_pkey'],
    })
  })

  test('a declared check named like an enum column keeps the enum its own check name', () => {
    const schema = defineSchema({
      t: { columns: { id: { type: 'integer', primaryKey: true }, status: { type: 'enum', values: ['a'] } }, checks: { status: sql`1 = 1` } },
    })
    const [declared, enumCheck] = names(schema).t!.slice(1)
    expect(enumCheck).toBe('t_status_check')
    expect(declared).toMatch(/^t_status_check_[0-9a-f]{8}$/)
  })

  test('a name given in the schema that another constraint already has is a SchemaError naming both tables', () => {
    const given = (name: string) =>
      defineSchema({
        a_b: { columns: { id: { type: 'integer', primaryKey: true }, c: { type: 'integer', unique: true } } },
        other: { columns: { id: { type: 'integer', primaryKey: true }, x: { type: 'integer' } }, indexes: [{ columns: ['x'], name }] },
      })
    expect(() => given('a_b_c_key')).toThrow(SchemaError)
    expect(() => given('a_b_c_key')).toThrow(/^table other: the name 'a_b_c_key' given to its index on x is also the name of unique constraint on c of table a_b\b/)
    expect(() => given('a_b_pkey')).toThrow(/'a_b_pkey'/)
    expect(() => given('other_x_idx')).not.toThrow()
  })

  test('a generated name over 63 bytes is shortened with a hash, deterministically and without collisions', () => {
    const long = 'a'.repeat(40)
    const schema = defineSchema({
      t: {
        columns: { id: { type: 'integer', primaryKey: true }, [`${long}_1`]: { type: 'integer' }, [`${long}_2`]: { type: 'integer' } },
        indexes: [{ columns: [`${long}_1`, `${long}_2`], unique: true }, { columns: [`${long}_2`, `${long}_1`], unique: true }],
      },
    })
    const [, one, two] = names(schema).t!
    for (const name of [one, two]) expect(Buffer.byteLength(name!)).toBeLessThanOrEqual(63)
    expect(one).not.toBe(two)
  })
})

