/**
 * The database side of migrations: introspection through the engine, leaving out Quarry's own
 * bookkeeping tables.
 */
import { modelSchema, sql, type Dialect, type ModelSchema, type Queryable } from '@quarry/core'

/** The table recording applied revisions, and the MySQL step journal beside it. */
export const VERSION_TABLE = 'quarry_migrations'
export const JOURNAL_TABLE = 'quarry_migration_steps'
const OWN = new Set([VERSION_TABLE, JOURNAL_TABLE])

/**
 * The model of the database `db` is connected to, without Quarry's own tables.
 * @example const model = await introspectDatabase(engine, engine.dialect)
 */
export async function introspectDatabase(db: Queryable, dialect: Dialect): Promise<ModelSchema> {
  const model = await dialect.introspect((text) => db.all(sql.raw<Record<string, unknown>>(text)))
  return modelSchema(model.tables.filter((t) => !OWN.has(t.name)))
}
