// Types of pgbouncer.mjs, for the tests that import it.

/** A running pgbouncer started by `startPgbouncer`. */
export interface Pgbouncer {
  readonly host: string
  readonly port: number
  readonly dir: string
  /** How long it took to accept connections, in milliseconds. */
  readonly startedMs: number
  /** A postgres:// URL through this pgbouncer. */
  url(database?: string, user?: string): string
  /** The last lines of pgbouncer's log. */
  log(): string
  /** Ends pgbouncer and removes its directory. */
  stop(): Promise<void>
}

/** Options of `startPgbouncer`. */
export interface PgbouncerOptions {
  readonly server?: { readonly host: string; readonly port: number }
  readonly poolSize?: number
  readonly maxClientConn?: number
  readonly users?: readonly string[]
  readonly timeoutMs?: number
}

/** The pgbouncer binary's path, or `undefined` when it is not installed. */
export function pgbouncerBinary(): string | undefined
/** Installs pgbouncer from the distribution's packages when it is missing; returns its path. */
export function installPgbouncer(): string
/** Starts pgbouncer in transaction pooling on a free loopback port. */
export function startPgbouncer(options?: PgbouncerOptions): Promise<Pgbouncer>
