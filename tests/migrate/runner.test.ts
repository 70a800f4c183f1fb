/**
 * The runner on every dialect: a chain applied and reverted, a migration failing halfway (rolled
 * back where DDL is transactional; journaled and resumed on MySQL), the SQLite rebuild keeping
 * ON DELETE CASCADE children and the indexes the model does not hold, and the lock naming its holder after the timeout.
 */
import { sql, type Engine } from '@quarry/core'
import { expect, test } from 'vitest'
import { appliedRevisions, downgrade, introspectDatabase, MigrationError, MigrationLockError, revisionGraph, upgrade, type Migration } from '../../packages/migrate/src'
import { forEachDialect } from '../support'

const parent: Migration = {
  revision: 'a1',
  down: null,
  message: 'parents and children',
  upgrade(op) {
    op.createTable({ name: 'parents', columns: [{ name: 'id', type: 'integer', autoIncrement: true }, { name: 'name', type: 'varchar', length: 50 }], primaryKey: ['id'] })
    op.createTable({
      name: 'children',
      columns: [{ name: 'id', type: 'integer', autoIncrement: true }, { name: 'parent_id', type: 'integer' }],
      primaryKey: ['id'],
      foreignKeys: [{ name: 'children_parent_id_fkey', columns: ['parent_id'], table: 'parents', references: ['id'], onDelete: 'cascade' }],
    })
    op.createIndex('children', 'children_parent_id_idx', ['parent_id'])
  },
  downgrade(op) {
    op.dropTable('children')
    op.dropTable('parents')
  },
}

const widen: Migration = {
  revision: 'b2',
  down: 'a1',
  message: 'widen the name, add a note',
  upgrade(op) {
    op.alterColumn('parents', 'name', { length: 200, default: "'anon'" })
    op.addColumn('parents', { name: 'note', type: 'text', nullable: true })
    op.addCheck('parents', 'parents_name_check', "name <> ''")
  },
  downgrade(op) {
    op.dropCheck('parents', 'parents_name_check')
    op.warn('the note column and its values are dropped')
    op.dropColumn('parents', 'note')
    op.alterColumn('parents', 'name', { length: 50, default: null })
  },
}

async function seed(engine: Engine): Promise<void> {
  await engine.execute(sql`INSERT INTO parents (name) VALUES ('p1'), ('p2')`)
  await engine.execute(sql`INSERT INTO children (parent_id) VALUES (1), (1), (2)`)
}

const count = async (engine: Engine, table: string) => Number(await engine.scalar(sql.raw(`SELECT COUNT(*) AS n FROM ${table}`)))

forEachDialect((db) => {
  test('upgrade and downgrade a chain; data survives; the steps are logged with durations', async () => {
    const engine = await db.engine()
    const graph = revisionGraph([widen, parent])
    const lines: string[] = []
    expect(await upgrade(engine, graph, ['a1'], { log: (l) => lines.push(l) })).toEqual(['a1'])
    await seed(engine)
    expect(await upgrade(engine, graph, graph.heads, { log: (l) => lines.push(l) })).toEqual(['b2'])
    expect(lines.some((l) => /step 1: alterColumn parents\.name \(\d+ ms\)/.test(l))).toBe(true)
    const model = await introspectDatabase(engine, engine.dialect)
    const name = model.tables.find((t) => t.name === 'parents')!.columns.find((c) => c.name === 'name')!
    expect(name.length).toBe(200)
    expect(await count(engine, 'children')).toBe(3)
    // CASCADE still acts after the changes (on SQLite: after a rebuild of the parent table).
    await engine.execute(sql`DELETE FROM parents WHERE id = 2`)
    expect(await count(engine, 'children')).toBe(2)
    const down: string[] = []
    expect(await downgrade(engine, graph, ['a1'], { log: (l) => down.push(l) })).toEqual(['b2'])
    expect(down.some((l) => l.includes('warning: the note column and its values are dropped'))).toBe(true)
    expect(await count(engine, 'children')).toBe(2)
    expect([...(await appliedRevisions(engine, engine.dialect))]).toEqual(['a1'])
    expect(await downgrade(engine, graph, [])).toEqual(['a1'])
    expect((await introspectDatabase(engine, engine.dialect)).tables).toEqual([])
  })

  test('a table rebuild keeps every ON DELETE CASCADE child (SQLite rebuilds; others alter)', async () => {
    const engine = await db.engine()
    const rebuild: Migration = {
      revision: 'c3',
      down: 'a1',
      upgrade(op) {
        op.dropColumn('parents', 'name')
        op.addUnique('parents', 'parents_id_key', ['id'])
      },
      downgrade() {},
    }
    const graph = revisionGraph([parent, rebuild])
    await upgrade(engine, graph, ['a1'])
    await seed(engine)
    const lines: string[] = []
    await upgrade(engine, graph, ['c3'], { log: (l) => lines.push(l) })
    expect(await count(engine, 'children')).toBe(3)
    expect(await count(engine, 'parents')).toBe(2)
    if (db.dialect === 'sqlite') expect(lines.some((l) => l.includes('rebuilt parents: 2 rows copied'))).toBe(true)
    const children = (await introspectDatabase(engine, engine.dialect)).tables.find((t) => t.name === 'children')!
    expect(children.indexes.map((i) => i.name)).toContain('children_parent_id_idx')
    await engine.execute(sql`DELETE FROM parents WHERE id = 1`)
    expect(await count(engine, 'children')).toBe(1)
  })

  // MariaDB has neither kind of index.
  test.skipIf(db.dialect === 'mysql')('a table rebuild keeps the indexes the model does not hold (on an expression, partial)', async () => {
    const engine = await db.engine()
    const rebuild: Migration = { revision: 'c3', down: 'a1', upgrade: (op) => op.dropColumn('parents', 'name'), downgrade() {} }
    const graph = revisionGraph([parent, rebuild])
    await upgrade(engine, graph, ['a1'])
    await engine.execute(sql`CREATE INDEX parents_double ON parents ((id * 2))`)
    await engine.execute(sql`CREATE INDEX parents_later ON parents (id) WHERE id > 1`)
    await upgrade(engine, graph, ['c3'])
    const parents = (await introspectDatabase(engine, engine.dialect)).tables.find((t) => t.name === 'parents')!
    expect(parents.columns.map((c) => c.name)).toEqual(['id'])
    expect([...(parents.unread ?? [])].sort()).toEqual(['index parents_double on an expression', 'index parents_later with a WHERE'])
    // An index of the model on a dropped column goes with it.
    const dropKey: Migration = { revision: 'd5', down: 'c3', upgrade: (op) => op.dropColumn('children', 'parent_id'), downgrade() {} }
    await upgrade(engine, revisionGraph([parent, rebuild, dropKey]), ['d5'])
    const children = (await introspectDatabase(engine, engine.dialect)).tables.find((t) => t.name === 'children')!
    expect([children.columns.map((c) => c.name), children.indexes]).toEqual([['id'], []])
  })

  test('a migration failing halfway leaves a consistent state; on MySQL upgrade resumes after the fix, never redoing a step', async () => {
    const engine = await db.engine()
    let broken = true
    const failing: Migration = {
      revision: 'd4',
      down: 'a1',
      upgrade(op) {
        op.addColumn('parents', { name: 'extra', type: 'integer', nullable: true })
        op.run('fill extra', async (conn) => {
          if (broken) throw new Error('the data is not ready')
          return (await conn.execute(sql.raw('UPDATE parents SET extra = 1'))).rowsAffected
        })
        op.createIndex('parents', 'parents_extra_idx', ['extra'])
      },
      downgrade() {},
    }
    const graph = revisionGraph([parent, failing])
    await upgrade(engine, graph, ['a1'])
    await seed(engine)
    const error = await upgrade(engine, graph, ['d4']).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(MigrationError)
    expect((error as Error).message).toContain('step 2 (data migration: fill extra) failed: the data is not ready')
    const columns = (await introspectDatabase(engine, engine.dialect)).tables.find((t) => t.name === 'parents')!.columns.map((c) => c.name)
    expect([...(await appliedRevisions(engine, engine.dialect))]).toEqual(['a1'])
    if (db.capabilities.transactionalDdl) expect(columns).not.toContain('extra')
    else {
      expect(columns).toContain('extra')
      expect((error as Error).message).toContain('resumes at step 2')
    }
    broken = false
    const lines: string[] = []
    await upgrade(engine, graph, ['d4'], { log: (l) => lines.push(l) })
    if (!db.capabilities.transactionalDdl) expect(lines.some((l) => l.includes('step 1: addColumn parents.extra (done before, skipped)'))).toBe(true)
    expect(lines.some((l) => /step 2: data migration: fill extra \(\d+ ms, 2 rows\)/.test(l))).toBe(true)
    expect([...(await appliedRevisions(engine, engine.dialect))].sort()).toEqual(['a1', 'd4'])
  })

  test('a second runner waits for the lock up to its timeout, then names the holder', async () => {
    if (db.dialect === 'sqlite') return // SQLite's lock is BEGIN IMMEDIATE; two processes are tested through the CLI.
    const engine = await db.engine()
    const graph = revisionGraph([parent])
    const holder = await engine.connect()
    try {
      const lock = engine.dialect.ddl.migrationLock
      if (lock.scope === 'session') for (const s of lock.acquire(1000)) await holder.execute(sql.raw(s))
      const held = lock.scope === 'transaction'
        ? holder.transaction(async (tx) => {
            for (const s of lock.acquire(1000)) await tx.execute(sql.raw(s))
            const error = await upgrade(engine, graph, ['a1'], { lockTimeoutMs: 300 }).catch((e: unknown) => e)
            return error
          })
        : upgrade(engine, graph, ['a1'], { lockTimeoutMs: 1000 }).catch((e: unknown) => e)
      const error = await held
      expect(error).toBeInstanceOf(MigrationLockError)
      expect((error as Error).message).toMatch(/waited \d+ ms for the migration lock, held by (pid|connection)=\d+/)
      if (lock.release) await holder.execute(sql.raw(lock.release))
    } finally {
      await holder.release()
    }
    expect(await upgrade(engine, graph, ['a1'])).toEqual(['a1'])
  })
})
