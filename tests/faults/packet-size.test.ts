/**
 * A value larger than one network packet may carry (MySQL/MariaDB max_allowed_packet) is refused
 * before sending with an error naming the setting, and the pool keeps no dead connection. Where
 * there is no such limit (PostgreSQL, SQLite), the same value round-trips.
 */
import { expect, test } from 'vitest'
import { sql } from '../../packages/core/src/index'
import { DataError } from '../../packages/core/src/errors'
import { forEachDialect } from '../support'

forEachDialect((db) => {
  test('a value over the packet limit is refused before sending and the connection stays usable', async () => {
    const engine = await db.engine({ pool: { size: 1, maxOverflow: 0, timeoutMs: 10_000 } })
    await engine.execute(sql`CREATE TABLE blobs (id integer primary key, body ${sql.raw(db.dialect === 'mysql' ? 'longtext' : 'text')})`)
    // Only MySQL/MariaDB limit the packet a statement travels in.
    const packetLimit = db.dialect === 'mysql' ? Number(await engine.scalar(sql<{ m: number }>`SELECT @@max_allowed_packet AS m`)) : undefined
    const body = 'x'.repeat((packetLimit ?? 16 * 1024 * 1024) + 1024 * 1024)
    for (let attempt = 0; attempt < 2; attempt++) {
      const result = await engine.execute(sql`INSERT INTO blobs (id, body) VALUES (${attempt + 1}, ${body})`).catch((e: unknown) => e)
      if (packetLimit === undefined) {
        expect(result).toMatchObject({ rowsAffected: 1 })
      } else {
        expect(result).toBeInstanceOf(DataError)
        expect((result as Error).message).toMatch(/max_allowed_packet/)
      }
    }
    expect(await engine.all(sql<{ v: number }>`SELECT 42 AS v`)).toEqual([{ v: 42 }])
    const stored = await engine.scalar(sql<{ n: number }>`SELECT count(*) AS n FROM blobs`)
    expect(Number(stored)).toBe(packetLimit === undefined ? 2 : 0)
  })
})
