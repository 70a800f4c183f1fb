/** engine.close() waits for connections in use, for a while, and says what it waited for. */
import { sql } from '@quarry/core'
import { expect, test, vi } from 'vitest'
import { forEachDialect } from '../support'

forEachDialect((db) => {
  test('close() with a connection still held waits its grace period, then names what it waited for', async () => {
    const engine = await db.engine()
    const held = await engine.connect()
    expect(await held.scalar(sql<{ n: number }>`SELECT 1 AS n`)).toBe(1)
    const warnings: string[] = []
    const warn = vi.spyOn(console, 'warn').mockImplementation((message: string) => void warnings.push(message))
    try {
      await engine.close()
    } finally {
      warn.mockRestore()
    }
    expect(warnings).toHaveLength(1)
    expect(warnings[0]).toMatch(/waited 5000 ms for 1 connection\(s\) still in use/)
    expect(warnings[0]).toMatch(/a connection from connect\(\) not released/)
    expect(warnings[0]).toMatch(/ORM session not committed, rolled back or closed/)
  })

  test('close() with nothing in use closes at once, without a word', async () => {
    const engine = await db.engine()
    expect(await engine.scalar(sql<{ n: number }>`SELECT 1 AS n`)).toBe(1)
    const warn = vi.spyOn(console, 'warn')
    try {
      await engine.close()
      expect(warn).not.toHaveBeenCalled()
    } finally {
      warn.mockRestore()
    }
  })
})
