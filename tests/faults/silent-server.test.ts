/**
 * A server that accepts connections and never answers (a local net.Server on a free port): the
 * statement fails within its bounds (statement timeout or connect timeout), saying which, instead of hanging.
 */
import { createServer, type Socket } from 'node:net'
import { afterAll, beforeAll, expect, test } from 'vitest'
import { createEngine, sql } from '../../packages/core/src/index'
import { ConnectionError, StatementTimeoutError } from '../../packages/core/src/errors'

const sockets: Socket[] = []
const server = createServer((socket) => void sockets.push(socket))
let port = 0

beforeAll(async () => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  port = (server.address() as { port: number }).port
})

afterAll(async () => {
  for (const socket of sockets) socket.destroy()
  await new Promise((resolve) => server.close(resolve))
})

for (const [dialect, url] of [
  ['postgres', () => `postgres://quarry@127.0.0.1:${port}/test?connect_timeout=1`],
  ['mysql', () => `mysql://quarry@127.0.0.1:${port}/test?connect_timeout=1000`],
] as const) {
  test(`${dialect}: a server that accepts and stays silent fails the statement within its timeouts`, async () => {
    const engine = createEngine(url(), { pool: { timeoutMs: 1000 }, statementTimeoutMs: 500 })
    const start = Date.now()
    try {
      const error = await engine.scalar(sql`SELECT 1 AS n`).catch((e: unknown) => e)
      if (dialect === 'postgres') {
        // postgres.js connects inside the statement, so the statement timeout fires first; the
        // statement was never sent, so postgres.js confirms the cancel at once.
        expect(error).toBeInstanceOf(StatementTimeoutError)
        expect((error as Error).message).toBe('the SELECT statement ran longer than its statement timeout of 500 ms and was canceled')
      } else {
        // mysql2 connects before the statement: its connect timeout fires (the message says only "connect ETIMEDOUT").
        expect(error).toBeInstanceOf(ConnectionError)
        expect((error as Error).message).toMatch(/ETIMEDOUT/)
      }
      expect(Date.now() - start).toBeLessThan(5_000)
      expect(sockets.length).toBeGreaterThan(0)
    } finally {
      await engine.close({ timeoutMs: 100 })
    }
  })
}
