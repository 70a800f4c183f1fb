/**
 * The errors of @quarry/migrate. Each names the migration, the step, the table or the option at fault.
 */

/** A migration could not be planned, loaded or run. */
export class MigrationError extends Error {
  override name = 'MigrationError'
}

/** Another runner holds the migration lock past the timeout. */
export class MigrationLockError extends MigrationError {
  override name = 'MigrationLockError'
}
