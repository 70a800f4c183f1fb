/**
 * Issue 13, `cast(booleanExpr, 'text')`: PostgreSQL gives 'true'/'false', SQLite and MariaDB gave
 * '1'/'0'. It is 'true', 'false' or NULL on every dialect, for a boolean column (Quarry-created or
 * hand-written) and for a condition.
 */
import { asc, cast, concat, defineSchema, eq, gt, insert, select, sql, type Engine } from '@quarry/core'
import { expect, test } from 'vitest'
import { forEachDialect, type TestDatabase } from '../../support'
import { seeded } from './seed'

const schema = defineSchema({
  flags: { columns: { id: { type: 'integer', primaryKey: true }, on: { type: 'boolean', nullable: true }, qty: { type: 'integer', nullable: true } } },
})
const { flags } = schema

async function expectWords(engine: Engine) {
  const rows = await engine.all(
    select({ on: cast(flags.on, 'text'), big: cast(gt(flags.qty, 1), 'text'), said: concat('on=', cast(flags.on, 'text')) }).from(flags).orderBy(asc(flags.id)),
  )
  expect(rows).toEqual([
    { on: 'true', big: 'true', said: 'on=true' },
    { on: 'false', big: 'false', said: 'on=false' },
    { on: null, big: null, said: null },
  ])
  // Compared as the text it now is.
  expect(await engine.all(select(flags.id).from(flags).where(eq(cast(flags.on, 'text'), 'false')))).toEqual([2])
  expect(await engine.all(select(cast(flags.on, 'varchar', { length: 3 })).from(flags).orderBy(asc(flags.id)))).toEqual(['tru', 'fal', null])
}

async function handWritten(db: TestDatabase): Promise<Engine> {
  const engine = await db.engine()
  const type = db.dialect === 'postgres' ? 'BOOLEAN' : db.dialect === 'mysql' ? 'TINYINT(1)' : 'INTEGER'
  const [t, f] = db.dialect === 'postgres' ? ['TRUE', 'FALSE'] : ['1', '0']
  await engine.execute(sql.raw(`CREATE TABLE flags (id INTEGER PRIMARY KEY, ${db.dialect === 'mysql' ? '`on`' : '"on"'} ${type}, qty INTEGER)`))
  await engine.execute(sql.raw(`INSERT INTO flags VALUES (1, ${t}, 5), (2, ${f}, 0), (3, NULL, NULL)`))
  return engine
}

forEachDialect((db) => {
  test("cast(boolean, 'text') is 'true'/'false'/NULL on a table Quarry created", async () => {
    const engine = await seeded(db, schema, insert(flags).values([{ id: 1, on: true, qty: 5 }, { id: 2, on: false, qty: 0 }, { id: 3, on: null, qty: null }]))
    await expectWords(engine)
  })
  test("cast(boolean, 'text') is 'true'/'false'/NULL on a hand-written table", async () => {
    await expectWords(await handWritten(db))
  })
})
