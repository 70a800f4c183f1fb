/**
 * `update(…).returning()` on every dialect: native RETURNING on SQLite and PostgreSQL, emulated on
 * MySQL/MariaDB in one transaction (keys locked FOR UPDATE, updated by key, re-selected by the new
 * key). Same rows everywhere, also when the update changes the key, and under concurrent writers.
 */
import { expect, test } from 'vitest'
import { add, compile, CompileError, concat, defineSchema, eq, insert, param, prepare, select, sql, update } from '@quarry/core'
import { forEachDialect, type TestDatabase } from '../support/dialects'

const shop = defineSchema({
  retItems: {
    columns: {
      id: { type: 'integer', primaryKey: true },
      name: { type: 'varchar', length: 40 },
      status: { type: 'varchar', length: 10 },
      hits: { type: 'integer', default: 0 },
    },
  },
})
const { retItems } = shop

test('MySQL compiles the update without RETURNING and the three statements of its emulation', () => {
  const q = update(retItems).set({ id: add(retItems.id, 100), name: 'x' }).where(eq(retItems.status, 'open')).returning({ id: retItems.id, name: retItems.name })
  const compiled = compile(q, 'mysql')
  expect(compiled.sql).toBe('UPDATE `retItems` SET `id` = (`retItems`.`id` + ?), `name` = ? WHERE `retItems`.`status` = CONVERT(? USING utf8mb4) COLLATE utf8mb4_nopad_bin')
  expect(compiled.emulateReturning).toMatchObject({
    kind: 'update',
    lockSql: 'SELECT `retItems`.`id`, (`retItems`.`id` + ?) FROM `retItems` WHERE `retItems`.`status` = CONVERT(? USING utf8mb4) COLLATE utf8mb4_nopad_bin FOR UPDATE',
    lockParams: [100, 'open'],
    updatePrefix: 'UPDATE `retItems` SET `id` = (`retItems`.`id` + ?), `name` = ?',
    updateParams: [100, 'x'],
    selectPrefix: 'SELECT `retItems`.`id`, `retItems`.`name` FROM `retItems`',
  })
  expect(() => compile(prepare(update(retItems).set({ name: 'x' }).where(eq(retItems.id, param('id'))).returning()).ast, 'mysql')).toThrow(CompileError)
})

/** Waits (at most 10 s) until a statement on `table` in this test's database is running (held up by a row lock: the tables are tiny). */
async function lockWaitOn(db: TestDatabase, table: string): Promise<void> {
  const admin = await db.admin()
  const { name } = await db.target()
  const waiting =
    db.dialect === 'postgres'
      ? sql<{ n: number }>`SELECT count(*) AS n FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND query LIKE ${'%' + table + '%'}`
      : sql<{ n: number }>`SELECT count(*) AS n FROM information_schema.processlist WHERE db = ${name} AND command IN ('Query', 'Execute') AND info LIKE ${'%' + table + '%'}`
  const deadline = Date.now() + 10_000
  while (Number((await admin.one(waiting)).n) === 0) {
    if (Date.now() > deadline) throw new Error(`no statement on ${table} was held up within 10 s`)
  }
}

forEachDialect((db) => {
  async function seeded() {
    const engine = await db.engine()
    await engine.createAll(shop)
    await engine.execute(
      insert(retItems).values([
        { id: 1, name: 'a', status: 'open' },
        { id: 2, name: 'b', status: 'open' },
        { id: 3, name: 'c', status: 'closed' },
      ]),
    )
    return engine
  }

  test('returning from an update, also when it changes the key: the rows as they are after it', async () => {
    const engine = await seeded()
    const rows = await engine.all(update(retItems).set({ id: add(retItems.id, 100), name: concat(retItems.name, '!') }).where(eq(retItems.status, 'open')).returning())
    expect(rows.sort((x, y) => x.id - y.id)).toEqual([
      { id: 101, name: 'a!', status: 'open', hits: 0 },
      { id: 102, name: 'b!', status: 'open', hits: 0 },
    ])
    expect(await engine.all(update(retItems).set({ name: 'none' }).where(eq(retItems.status, 'gone')).returning({ id: retItems.id }))).toEqual([])
    const result = await engine.execute(update(retItems).set({ hits: 5 }).where(eq(retItems.id, 3)).returning({ id: retItems.id, hits: retItems.hits }))
    expect(result.rows).toEqual([{ id: 3, hits: 5 }])
    expect(result.rowsAffected).toBe(1)
    // Inside a transaction too (the emulation takes a savepoint there).
    await engine.transaction(async (tx) => {
      expect(await tx.all(update(retItems).set({ hits: 6 }).where(eq(retItems.id, 3)).returning({ hits: retItems.hits }))).toEqual([{ hits: 6 }])
    })
  })

  test('concurrent increments through returning: every returned value is distinct, none lost', async () => {
    const engine = await seeded()
    const other = await db.engine()
    const bump = update(retItems).set({ hits: add(retItems.hits, 1) }).where(eq(retItems.id, 1)).returning({ hits: retItems.hits })
    const run = async (e: typeof engine) => {
      const seen: number[] = []
      for (let i = 0; i < 10; i++) seen.push(...(await e.all(bump)).map((r) => r.hits))
      return seen
    }
    const [a, b] = await Promise.all([run(engine), run(other)])
    expect([...a, ...b].sort((x, y) => x - y)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1))
  })

  test.runIf(db.capabilities.locking)('a row a concurrent writer moves out of the WHERE is neither updated nor returned', async () => {
    const engine = await seeded()
    const other = await db.engine()
    let pending: Promise<unknown[]> | undefined
    await other.transaction(async (tx) => {
      await tx.execute(update(retItems).set({ status: 'closed' }).where(eq(retItems.id, 1)))
      pending = engine.all(update(retItems).set({ name: 'taken' }).where(eq(retItems.status, 'open')).returning({ id: retItems.id, name: retItems.name }))
      await lockWaitOn(db, 'retItems')
    })
    expect(await pending).toEqual([{ id: 2, name: 'taken' }])
    expect(await engine.all(select({ id: retItems.id, name: retItems.name, status: retItems.status }).from(retItems).orderBy(retItems.id))).toEqual([
      { id: 1, name: 'a', status: 'closed' },
      { id: 2, name: 'taken', status: 'open' },
      { id: 3, name: 'c', status: 'closed' },
    ])
  })
})
