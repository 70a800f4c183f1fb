/**
 * A json column that declares a zod schema: values are checked before they are sent (insert,
 * multi-row insert, update, the session's flush), a rejected one is a `JsonSchemaError` (a
 * `DataError`) naming the column and the zod issues, and nothing is written. `validateJson: false`
 * turns it off per engine.
 */
import { createSession } from '@quarry/orm'
import { expect, test } from 'vitest'
import { z } from 'zod'
import { DataError, JsonSchemaError, defineSchema, eq, insert, select, update } from '../../packages/core/src/index'
import { forEachDialect } from '../support'

const Settings = z.object({ theme: z.enum(['light', 'dark']), size: z.number().int().positive() })

const schema = defineSchema({
  prefs: {
    columns: {
      id: { type: 'integer', primaryKey: true },
      settings: { type: 'json', schema: Settings },
      extra: { type: 'json', schema: Settings, nullable: true },
    },
  },
})
const { prefs } = schema

async function rejected(promise: Promise<unknown>): Promise<JsonSchemaError> {
  const error = await promise.then(() => undefined, (e: unknown) => e)
  expect(error).toBeInstanceOf(JsonSchemaError)
  expect(error).toBeInstanceOf(DataError)
  return error as JsonSchemaError
}

forEachDialect((db) => {
  test('an insert whose json value breaks the column schema is refused before it is sent', async () => {
    const statements: string[] = []
    const engine = await db.engine({ echo: (e) => statements.push(e.sql) })
    await engine.createAll(schema)
    statements.length = 0
    const error = await rejected(engine.execute(insert(prefs).values({ settings: { theme: 'blue', size: 0 } as never })))
    expect(error).toMatchObject({ table: 'prefs', columns: ['settings'] })
    expect(error.message).toContain('prefs.settings')
    expect(error.issues.map((issue) => issue.path)).toEqual([['theme'], ['size']])
    expect(statements).toEqual([])
    // One bad row of several: nothing is written.
    await rejected(engine.execute(insert(prefs).values([{ settings: { theme: 'dark', size: 1 } }, { settings: { theme: 'dark', size: 1 }, extra: { size: 2 } as never }])))
    expect(await engine.all(select(prefs))).toEqual([])
    await engine.execute(insert(prefs).values({ settings: { theme: 'dark', size: 3 }, extra: null }))
    expect(await engine.all(select(prefs))).toEqual([{ id: 1, settings: { theme: 'dark', size: 3 }, extra: null }])
  })

  test('an update and a session flush are checked too', async () => {
    const engine = await db.engine()
    await engine.createAll(schema)
    await engine.execute(insert(prefs).values({ settings: { theme: 'dark', size: 3 } }))
    const error = await rejected(engine.execute(update(prefs).set({ extra: { theme: 'dark', size: -1 } }).where(eq(prefs.id, 1))))
    expect(error.columns).toEqual(['extra'])
    {
      await using session = createSession(engine)
      const row = (await session.get(prefs, 1))!
      row.settings = { theme: 'light', size: 1.5 }
      await rejected(session.commit())
    }
    expect(await engine.all(select(prefs))).toEqual([{ id: 1, settings: { theme: 'dark', size: 3 }, extra: null }])
  })

  test('validateJson: false sends the value as given', async () => {
    const engine = await db.engine({ validateJson: false })
    await engine.createAll(schema)
    await engine.execute(insert(prefs).values({ settings: { theme: 'blue' } as never }))
    expect(await engine.all(select(prefs))).toEqual([{ id: 1, settings: { theme: 'blue' }, extra: null }])
  })
})
