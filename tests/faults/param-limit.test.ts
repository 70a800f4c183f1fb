/**
 * Statements over the bind-parameter limit are refused before they are sent, naming the limit,
 * and never wedge a connection; a long inArray list is one array parameter where the dialect can.
 */
import { expect, test } from 'vitest'
import { compile, defineSchema, inArray, notInArray, select, sql } from '../../packages/core/src/index'
import { CompileError } from '../../packages/core/src/errors'
import { forEachDialect } from '../support'

const schema = defineSchema({ items: { columns: { id: { type: 'integer', primaryKey: true }, name: { type: 'text' } } } })
const { items } = schema

forEachDialect((db) => {
  const single = { pool: { size: 1, maxOverflow: 0, timeoutMs: 10_000 } }
  const limit = db.capabilities.maxParams

  test('a statement with more parameters than the dialect accepts is refused before sending, twice, and the connection still works', async () => {
    const engine = await db.engine(single)
    const values = Array.from({ length: 70_000 }, (_, i) => i)
    const tooMany = sql`SELECT ${sql.raw('1')} AS n WHERE 1 IN (${sql.join(values)})`
    for (let attempt = 0; attempt < 2; attempt++) {
      const error = await engine.all(tooMany).catch((e: unknown) => e)
      expect(error).toBeInstanceOf(CompileError)
      expect((error as Error).message).toMatch(/70,000 parameters/)
      expect((error as Error).message).toMatch(new RegExp(`at most ${(Math.min(limit, 65_533)).toLocaleString('en-US')}|at most ${limit.toLocaleString('en-US')}`))
    }
    expect(await engine.all(sql<{ v: number }>`SELECT 42 AS v`)).toEqual([{ v: 42 }])
  })

  test('inArray with a list longer than the parameter limit works (one array parameter where the dialect has arrays)', async () => {
    const engine = await db.engine(single)
    await engine.createAll(schema)
    await engine.execute(sql`INSERT INTO items (id, name) VALUES (1, 'a'), (5, 'b'), (70000, 'c'), (80000, 'd')`)
    const ids = Array.from({ length: 70_000 }, (_, i) => i + 1)
    const query = select({ id: items.id }).from(items).where(inArray(items.id, ids)).orderBy(items.id)
    const compiled = compile(query, db.dialectObject)
    if (db.dialectObject.inArray === undefined) {
      const error = await engine.all(query).catch((e: unknown) => e)
      expect(error).toBeInstanceOf(CompileError)
      expect((error as Error).message).toMatch(/parameters/)
      return
    }
    expect(compiled.sql).toMatch(/= ANY\(\$1::integer\[\]\)/)
    expect(compiled.params).toHaveLength(1)
    expect(await engine.all(query)).toEqual([{ id: 1 }, { id: 5 }, { id: 70000 }])
    const outside = select({ id: items.id }).from(items).where(notInArray(items.id, ids)).orderBy(items.id)
    expect(await engine.all(outside)).toEqual([{ id: 80000 }])
  })
})
