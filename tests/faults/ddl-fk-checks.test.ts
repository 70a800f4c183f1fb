/**
 * A createAll / dropAll that fails part-way while foreign-key checks are suspended (a cycle on
 * MySQL and SQLite) must turn them back on: the connection goes on enforcing foreign keys.
 */
import { expect, test } from 'vitest'
import { count, defineSchema, insert, select, sql } from '../../packages/core/src/index'
import { DatabaseError } from '../../packages/core/src/errors'
import { forEachDialect } from '../support'

const TEAMS = { columns: { id: { type: 'integer', primaryKey: true }, captainId: { type: 'integer', nullable: true, references: 'people.id' } } } as const
const PEOPLE = { columns: { id: { type: 'integer', primaryKey: true }, teamId: { type: 'integer', nullable: true, references: 'teams.id' } } } as const

// A cycle (teams ↔ people) and, created after it, a table whose CHECK names a column that does not exist.
const broken = defineSchema({
  teams: TEAMS,
  people: PEOPLE,
  badges: {
    columns: { id: { type: 'integer', primaryKey: true }, personId: { type: 'integer', references: 'people.id' } },
    checks: { bad: sql`no_such_column > 0` },
  },
})
const { teams } = broken

// The cycle alone, and with a table `shown` that is dropped before it, where DROP TABLE fails once
// the cycle's checks are suspended: a view (SQLite, PostgreSQL), or a table the session has not
// locked while it holds LOCK TABLES (MariaDB drops a view named in DROP TABLE IF EXISTS silently).
const pair = defineSchema({ teams: TEAMS, people: PEOPLE })
const withShown = defineSchema({
  teams: TEAMS,
  people: PEOPLE,
  shown: { columns: { id: { type: 'integer', primaryKey: true }, teamId: { type: 'integer', references: 'teams.id' } } },
})

forEachDialect((db) => {
  test('a failed createAll leaves foreign keys enforced: an orphan insert is refused afterwards', async () => {
    // One connection, so the statement after the failure runs where the checks were suspended.
    const engine = await db.engine({ pool: { size: 1, maxOverflow: 0 } })
    const error = await engine.createAll(broken).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(DatabaseError)
    const orphan = await engine.execute(insert(teams).values({ id: 1, captainId: 99 })).catch((e: unknown) => e)
    expect(orphan).toBeInstanceOf(DatabaseError)
    const stored = await engine.scalar(select(count()).from(teams)).catch((e: unknown) => e)
    // Transactional DDL without suspended checks (PostgreSQL) rolls the whole createAll back: no table at all.
    if (db.capabilities.transactionalDdl && db.dialectObject.ddl.suspendForeignKeys === undefined) expect(stored).toBeInstanceOf(DatabaseError)
    else expect(stored).toBe(0)
  })

  test('a failed dropAll leaves foreign keys enforced: an orphan insert is refused afterwards', async () => {
    const engine = await db.engine({ pool: { size: 1, maxOverflow: 0 } })
    await engine.createAll(pair)
    const locks = db.dialect === 'mysql'
    if (locks) {
      await engine.createAll(withShown)
      await engine.execute(sql.raw('LOCK TABLES people READ'))
    } else await engine.execute(sql.raw('CREATE VIEW shown AS SELECT 1 AS id, 1 AS team_id'))
    const error = await engine.dropAll(withShown).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(DatabaseError)
    if (locks) await engine.execute(sql.raw('UNLOCK TABLES'))
    // `shown` is dropped first, so the cycle's tables are still there.
    const orphan = await engine.execute(insert(pair.teams).values({ id: 1, captainId: 99 })).catch((e: unknown) => e)
    expect(orphan).toBeInstanceOf(DatabaseError)
    expect(await engine.scalar(select(count()).from(pair.teams))).toBe(0)
  })
})
