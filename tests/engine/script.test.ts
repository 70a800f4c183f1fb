/**
 * Stacked statements (issue 12 item 4). Raw SQL runs one statement: `select 1; delete from t`
 * is refused on every dialect before any of it runs (PostgreSQL ran it through the simple query
 * protocol when it had no parameters), on the pool, in a transaction and on a held connection.
 * A script of several statements runs only through `engine.executeScript(text)`.
 */
import { expect, test } from 'vitest'
import { compile, count, defineSchema, insert, select, sql } from '../../packages/core/src/index'
import { ArgumentError, DatabaseError, EngineClosedError, ProgrammingError, StatementCanceledError, StatementTimeoutError } from '../../packages/core/src/errors'
import { forEachDialect } from '../support'

const schema = defineSchema({ items: { columns: { id: { type: 'integer', primaryKey: true }, body: { type: 'text' } } } })
const { items } = schema

forEachDialect((db) => {
  async function seeded() {
    const engine = await db.engine()
    await engine.createAll(schema)
    await engine.execute(insert(items).values([{ id: 1, body: 'a' }, { id: 2, body: 'b' }]))
    const left = () => engine.scalar(select(count()).from(items))
    return { engine, left }
  }

  test('stacked raw SQL is refused with no change made: pool, transaction, held connection, with and without parameters', async () => {
    const { engine, left } = await seeded()
    const stacked = sql`select 1 as one; delete from ${items}`
    for (const run of [() => engine.execute(stacked), () => engine.all(stacked), () => engine.first(stacked)]) {
      const error = await run().then(() => undefined, (e: unknown) => e)
      expect(error).toBeInstanceOf(DatabaseError)
    }
    expect(await left()).toBe(2)
    await expect(engine.execute(sql.raw('select 1; delete from items'))).rejects.toBeInstanceOf(DatabaseError)
    await expect(engine.execute(sql`delete from ${items} where ${items.id} = ${1}; delete from ${items}`)).rejects.toBeInstanceOf(DatabaseError)
    await expect(engine.transaction((tx) => tx.execute(stacked))).rejects.toBeInstanceOf(DatabaseError)
    const connection = await engine.connect()
    try {
      await expect(connection.execute(stacked)).rejects.toBeInstanceOf(DatabaseError)
      // The connection is still usable after the refusal.
      expect(await connection.scalar(select(count()).from(items))).toBe(2)
    } finally {
      await connection.release()
    }
    const streamed = (async () => {
      for await (const row of engine.iterate(stacked)) void row
    })()
    await expect(streamed).rejects.toBeInstanceOf(DatabaseError)
    expect(await left()).toBe(2)
    // A semicolon inside a literal is not a second statement.
    expect(await engine.scalar(sql<{ v: string }>`select 'a; b' as v`)).toBe('a; b')
  })

  test('executeScript runs a script of several statements, in order', async () => {
    const { engine, left } = await seeded()
    await engine.executeScript(`
      insert into items (id, body) values (3, 'c; still c');
      -- a comment; not a statement
      update items set body = 'changed' where id = 1;
      delete from items where id = 2;
    `)
    expect(await engine.all(select(items).from(items).orderBy(items.id))).toEqual([
      { id: 1, body: 'changed' },
      { id: 3, body: 'c; still c' },
    ])
    expect(await left()).toBe(2)
    // The pool is fine afterwards, and single statements are still refused when stacked.
    await expect(engine.execute(sql.raw('select 1; select 2'))).rejects.toBeInstanceOf(DatabaseError)
  })

  test('executeScript: a failing statement is a translated error; bad arguments and a closed engine are refused', async () => {
    const { engine, left } = await seeded()
    await expect(engine.executeScript('delete from items where id = 1; select * from no_such_table')).rejects.toBeInstanceOf(ProgrammingError)
    // The engine still works (SQLite and MySQL committed the first statement; PostgreSQL ran the script as one implicit transaction).
    expect(await left()).toBe(db.dialect === 'postgres' ? 2 : 1)
    await expect(engine.executeScript(42 as never)).rejects.toThrow(ArgumentError)
    await expect(engine.executeScript(42 as never)).rejects.toThrow(/executeScript\(\): expected the script as a string, got the number 42/)
    await expect(engine.executeScript('  ')).rejects.toThrow(/executeScript\(\): the script is empty/)
    const aborted = AbortSignal.abort()
    await expect(engine.executeScript('delete from items', { signal: aborted })).rejects.toBeInstanceOf(StatementCanceledError)
    expect(await left()).toBe(db.dialect === 'postgres' ? 2 : 1)
    await engine.close()
    await expect(engine.executeScript('select 1')).rejects.toBeInstanceOf(EngineClosedError)
  })

  test.runIf(db.server)('executeScript: a script over its timeout is canceled on the server, and the engine goes on', async () => {
    const { engine, left } = await seeded()
    const sleep = compile(db.sleepSql(5, 'script-timeout'), db.dialect).sql
    const started = Date.now()
    await expect(engine.executeScript(`delete from items where id = 1; ${sleep}; delete from items`, { timeoutMs: 300 })).rejects.toBeInstanceOf(StatementTimeoutError)
    expect(Date.now() - started).toBeLessThan(4000)
    // The statement after the sleep never ran (PostgreSQL also undid the first: one implicit transaction).
    expect(await left()).toBe(db.dialect === 'postgres' ? 2 : 1)
  })
})
