/**
 * The database side of the service: one engine per process, the committed migrations applied at
 * start-up, and a session per request (middleware), closed when the request ends.
 */
import { fileURLToPath } from 'node:url'
import type { Engine } from '@quarry/core'
import { loadMigrations, revisionGraph, upgrade } from '@quarry/migrate'
import { createSession, type Session } from '@quarry/orm'
import { createMiddleware } from 'hono/factory'

/** The migrations folder written by `quarry revision --autogenerate`. */
export const MIGRATIONS = fileURLToPath(new URL('../migrations', import.meta.url))

/**
 * Applies the migrations the database does not have yet (what `quarry upgrade` does), under the
 * migration lock, so several instances starting at once apply each migration once.
 * @example await migrate(engine) // ['39af2bfe76f8'] the first time, [] afterwards
 */
export async function migrate(engine: Engine, log?: (line: string) => void): Promise<string[]> {
  const graph = revisionGraph(await loadMigrations(MIGRATIONS))
  return upgrade(engine, graph, graph.heads, log ? { log } : {})
}

/** What the middleware puts on Hono's context. */
export interface Env {
  Variables: { session: Session }
}

/**
 * A session for each request, never shared: it holds no connection until its first query, and
 * `await using` closes it when the handler is done, rolling back whatever was not committed
 * (a handler that throws after a flush leaves nothing behind).
 * @example app.use(sessionPerRequest(engine)); app.get('/', (c) => c.var.session.all(select(users)))
 */
export function sessionPerRequest(engine: Engine) {
  return createMiddleware<Env>(async (c, next) => {
    await using session = createSession(engine)
    c.set('session', session)
    await next()
  })
}
