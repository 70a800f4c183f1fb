/** Shared setup of the builder tests. */
import type { Engine } from '@quarry/core'
import type { TestDatabase } from '../../support'

/** An engine on the test's database with `schema` created and the `inserts` run, in order. */
export async function seeded(db: TestDatabase, schema: object, ...inserts: Parameters<Engine['execute']>[0][]): Promise<Engine> {
  const engine = await db.engine()
  await engine.createAll(schema)
  for (const statement of inserts) await engine.execute(statement)
  return engine
}
