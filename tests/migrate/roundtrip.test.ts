/**
 * The round-trip invariant: migrate an empty database to a schema, introspect it, diff: nothing,
 * on every dialect, for a schema with every column type and option (and for createAll's output).
 */
import { schemaMetaOf, schemaModel, sql, type Engine } from '@quarry/core'
import { expect, test } from 'vitest'
import { diff, introspectDatabase, renderOp, type Op } from '../../packages/migrate/src'
import { forEachDialect } from '../support'
import { everyFeature } from './every-feature'
import { shop } from '../ddl/ddl-schemas'

async function run(engine: Engine, ops: readonly Op[]): Promise<void> {
  let model = { tables: [] as never[] } as Parameters<typeof renderOp>[2]
  const { applyOp } = await import('../../packages/migrate/src/apply')
  for (const op of ops) {
    for (const step of renderOp(op, engine.dialect, model)) {
      if (step.kind === 'sql') await engine.execute(sql.raw(step.sql))
      else for (const s of step.statements) await engine.execute(sql.raw(s))
    }
    model = applyOp(model, op)
  }
}

forEachDialect((db) => {
  test('migrating an empty database to the every-feature schema, then introspecting, diffs empty', async () => {
    const engine = await db.engine()
    const target = schemaModel(schemaMetaOf(everyFeature), engine.dialect)
    const ops = diff({ tables: [] }, target)
    expect(ops.map((o) => o.kind)).toEqual(['createTable', 'createTable', 'createTable'])
    await run(engine, ops)
    const found = await introspectDatabase(engine, engine.dialect)
    expect(diff(found, target)).toEqual([])
    expect(diff(target, found)).toEqual([])
    expect(found.tables.map((t) => t.name)).toEqual(['accounts', 'groups', 'memberships'])
  })

  test('a database made by createAll introspects to a model with no difference from its schema', async () => {
    const engine = await db.engine()
    await engine.createAll(shop)
    const found = await introspectDatabase(engine, engine.dialect)
    expect(diff(found, schemaModel(schemaMetaOf(shop), engine.dialect))).toEqual([])
  })
})
