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
