/** Shared set-up for the session tests: a fresh database with a schema, and a statement log. */
import { createSession, type SessionOptions } from '@quarry/orm'
import type { TestDatabase } from '../support/dialects'

/** Statements the engine ran (transaction control excluded). */
export interface StatementLog {
  readonly statements: string[]
  /** Statements since the last `reset()`. */
  count(): number
  reset(): void
}

const CONTROL = /^\s*(BEGIN|START TRANSACTION|COMMIT|ROLLBACK|SAVEPOINT|RELEASE|SET TRANSACTION|SET SESSION)/i

/** An engine on the test's database with `schemas` created, and a log of its statements. */
export async function setUp(db: TestDatabase, ...schemas: object[]) {
  const log: StatementLog = {
    statements: [],
    count() {
      return this.statements.length
    },
    reset() {
      this.statements.length = 0
    },
  }
  let recording = false
  const engine = await db.engine({ echo: (e) => recording && !CONTROL.test(e.sql) && log.statements.push(e.sql) })
  for (const schema of schemas) await engine.createAll(schema)
  recording = true
  return { engine, log, session: (options?: SessionOptions) => createSession(engine, options) }
}
