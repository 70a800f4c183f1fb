/**
 * @quarry/migrate: schema models, diffs, migration files and their runner, and the `quarry` CLI.
 */
export { applyOp, applyToTable } from './apply.js'
export { introspectDatabase, JOURNAL_TABLE, VERSION_TABLE } from './database.js'
export { diff } from './diff.js'
export { MigrationError, MigrationLockError } from './errors.js'
export { defaultKey, expressionKey, sameAction, sameColumn, sameType } from './normalize.js'
export { opTable, reverse, type Op, type OpKind } from './ops.js'
export { rebuildStep, renderOp, type Step } from './render.js'
export { ancestry, currentHeads, parents, resolveRevision, revisionGraph, type RevisionGraph } from './graph.js'
export { column, recorder, table, type ColumnChanges, type ColumnSpec, type Migration, type MigrationOptions, type Operations, type Planned, type TableSpec } from './migration.js'
export { appliedRevisions, downgrade, ensureVersionTables, plannedSteps, stamp, upgrade, type RunOptions } from './runner.js'
export { defineConfig, loadConfig, loadMigrations, loadSchema, type LoadedConfig, type QuarryConfig } from './config.js'
export { lint, possibleRenames, type Finding } from './lint.js'
export { literal, migrationFile, opCall } from './write.js'
export { pullSchema, schemaSource, type PulledSchema, type StoredForms } from './pull.js'
