/**
 * Issue 12, item 2: a database error never prints the values its message hides. `util.inspect`
 * (what `console.error` shows) and `JSON.stringify` of the error, its `cause` included, carry no
 * parameter value (PostgreSQL's `detail`, `parameters` and `args`; MariaDB's `Duplicate entry
 * 'S3cr3t…'`), while the driver's own error stays reachable as the non-enumerable `driverError`.
 */
import { inspect } from 'node:util'
import { expect, test } from 'vitest'
import { DatabaseError, defineSchema, eq, insert, select, sql, update, UniqueViolation } from '@quarry/core'
import { forEachDialect } from '../support'

const schema = defineSchema({
  accounts: { columns: { id: { type: 'integer', primaryKey: true }, email: { type: 'varchar', length: 40, unique: true }, note: { type: 'varchar', length: 8, nullable: true } } },
})
const { accounts } = schema
const SECRET = 'S3cr3t-value-7x'

async function caught(promise: Promise<unknown>): Promise<DatabaseError> {
  const error = await promise.then(() => undefined, (e: unknown) => e)
  expect(error).toBeInstanceOf(DatabaseError)
  return error as DatabaseError
}

/** Every way the error is commonly printed or logged. */
function printed(error: Error): string {
  return [inspect(error), inspect(error, { depth: 10, showHidden: false }), JSON.stringify(error), String(error), error.stack ?? '', inspect(error.cause, { depth: 10 }), JSON.stringify(error.cause)].join('\n')
}

forEachDialect((db) => {
  test('a unique violation on a secret value: inspect and JSON show no value; the driver error stays reachable as driverError', async () => {
    const engine = await db.engine()
    await engine.createAll(schema)
    await engine.execute(insert(accounts).values({ id: 1, email: SECRET }))
    const error = await caught(engine.execute(insert(accounts).values({ id: 2, email: SECRET })))
    expect(error).toBeInstanceOf(UniqueViolation)
    expect(printed(error)).not.toContain(SECRET)
    // The cause is a redacted copy of the driver's error: same class name, code and stack frames.
    expect(error.cause).toBeInstanceOf(Error)
    expect((error.cause as Error).name).toBe((error.driverError as Error).name)
    // The original, with the value, is one property away for debugging, and never enumerable.
    expect(error.driverError).toBeInstanceOf(Error)
    expect(Object.keys(error)).not.toContain('driverError')
    // (SQLite's own message names the column only; the server drivers quote the value.)
    if (db.server) expect(inspect(error.driverError, { depth: 10 })).toContain(SECRET)
    else expect((error.driverError as Error).message).toBe('UNIQUE constraint failed: accounts.email')
  })

  test('values in parameters of a failing statement (update, raw insert, raw select) are not printed', async () => {
    const engine = await db.engine()
    await engine.createAll(schema)
    await engine.execute(insert(accounts).values([{ id: 1, email: 'a' }, { id: 2, email: SECRET }]))
    const errors = [
      await caught(engine.execute(update(accounts).set({ email: SECRET }).where(eq(accounts.id, 1)))),
      await caught(engine.execute(sql`insert into accounts (id, email, note) values (${3}, ${SECRET}, ${'n'})`)),
      await caught(engine.all(sql`select * from accounts where id = ${SECRET} + nope`)),
    ]
    expect(errors[1]).toBeInstanceOf(UniqueViolation)
    for (const error of errors) {
      expect(printed(error)).not.toContain(SECRET)
      expect(error.driverError).toBeDefined()
    }
    expect(await engine.all(select({ id: accounts.id }).from(accounts).where(eq(accounts.email, SECRET)))).toEqual([{ id: 2 }])
  })
})
