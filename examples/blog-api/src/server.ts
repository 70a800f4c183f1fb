/**
 * Starts the service: an engine, the migrations, the app on Node's HTTP server. Run directly
 * (`npm run example`) it serves on 127.0.0.1:3000 (PORT) over DATABASE_URL, by default the
 * SQLite file examples/blog-api/blog.db.
 */
import { once } from 'node:events'
import type { AddressInfo } from 'node:net'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { serve } from '@hono/node-server'
import { createEngine, type Engine, type EngineOptions } from '@quarry/core'
import { createApp } from './app.js'
import { migrate } from './db.js'

/** A running service. */
export interface Running {
  /** Its base URL, `http://127.0.0.1:<port>`. */
  readonly url: string
  readonly engine: Engine
  /** Stops accepting requests, ends open connections and closes the engine. */
  close(): Promise<void>
}

/** Where and how to start. */
export interface StartOptions {
  readonly databaseUrl: string
  readonly engineOptions?: EngineOptions
  /** 0 (the default) picks a free port. */
  readonly port?: number
  readonly hostname?: string
  readonly log?: (line: string) => void
}

/**
 * Opens the engine, applies the migrations and listens.
 * @example const api = await start({ databaseUrl: 'sqlite:///blog.db' }); await fetch(`${api.url}/posts`); await api.close()
 */
export async function start(options: StartOptions): Promise<Running> {
  const engine = createEngine(options.databaseUrl, options.engineOptions)
  try {
    const applied = await migrate(engine, options.log)
    options.log?.(applied.length ? `migrations applied: ${applied.join(', ')}` : 'database up to date')
  } catch (error) {
    await engine.close()
    throw error
  }
  const app = createApp(engine)
  const hostname = options.hostname ?? '127.0.0.1'
  const server = serve({ fetch: app.fetch, port: options.port ?? 0, hostname })
  await once(server, 'listening')
  const { port } = server.address() as AddressInfo
  return {
    url: `http://${hostname}:${port}`,
    engine,
    async close() {
      const closed = new Promise((resolve) => server.close(resolve))
      if ('closeAllConnections' in server) server.closeAllConnections()
      await closed
      await engine.close()
    },
  }
}

async function main(): Promise<void> {
  const file = fileURLToPath(new URL('../blog.db', import.meta.url))
  const api = await start({
    databaseUrl: process.env.DATABASE_URL ?? `sqlite:///${file}`,
    port: Number(process.env.PORT ?? 3000),
    log: console.log,
  })
  console.log(`blog API on ${api.url} (OpenAPI document: ${api.url}/openapi.json); Ctrl-C stops it`)
  const stop = () => void api.close().then(() => process.exit(0))
  process.once('SIGINT', stop)
  process.once('SIGTERM', stop)
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await main()
