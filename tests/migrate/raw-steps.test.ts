/**
 * Raw SQL steps (`op.execute`) on every dialect: a text holding several statements is refused
 * before any step of the migration runs, naming the migration; one statement (with a trailing
 * semicolon, a `;` inside a string or a comment) runs as it did.
 */
import { sql, type Engine } from '@quarry/core'
import { expect, test } from 'vitest'
import { appliedRevisions, introspectDatabase, MigrationError, revisionGraph, upgrade, type Migration } from '../../packages/migrate/src'
import { countStatements } from '../../packages/migrate/src/statements'
import { forEachDialect } from '../support'

const notes: Migration = {
  revision: 'r1',
  down: null,
  message: 'notes',
  upgrade(op) {
    op.createTable({ name: 'notes', columns: [{ name: 'id', type: 'integer' }, { name: 'body', type: 'varchar', length: 50 }], primaryKey: ['id'] })
    op.execute("INSERT INTO notes (id, body) VALUES (1, 'a; b') ; -- one statement; a comment after it")
  },
  downgrade(op) {
    op.dropTable('notes')
  },
}

const several: Migration = {
  revision: 'r2',
  down: 'r1',
  message: 'two statements in one execute',
  upgrade(op) {
    op.addColumn('notes', { name: 'extra', type: 'integer', nullable: true })
    op.execute('CREATE TABLE other (id integer PRIMARY KEY); INSERT INTO other (id) VALUES (1);')
  },
  downgrade(op) {
    op.execute('DROP TABLE other')
    op.dropColumn('notes', 'extra')
  },
}

const tables = async (engine: Engine) => (await introspectDatabase(engine, engine.dialect)).tables.map((t) => t.name).sort()

forEachDialect((db) => {
  test('an execute step holding several statements is refused before anything of its migration runs, naming it', async () => {
    const engine = await db.engine()
    const graph = revisionGraph([notes, several])
    // One statement, with semicolons in a string and a comment, runs.
    expect(await upgrade(engine, graph, ['r1'])).toEqual(['r1'])
    const error = await upgrade(engine, graph, graph.heads).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(MigrationError)
    expect((error as Error).message).toMatch(/migration r2.*step 2.*2 statements.*op\.execute/s)
    // r2 left nothing behind (on MySQL its first step would have committed).
    expect([...(await appliedRevisions(engine, engine.dialect))]).toEqual(['r1'])
    expect(await engine.scalar(sql`SELECT body FROM notes WHERE id = 1`)).toBe('a; b')
    expect(await tables(engine)).toEqual(['notes'])
    const columns = (await introspectDatabase(engine, engine.dialect)).tables.find((t) => t.name === 'notes')!.columns.map((c) => c.name)
    expect(columns).toEqual(['id', 'body'])
  })
})

test('statements are counted past quotes, comments, dollar quotes and trigger or routine bodies', () => {
  expect(countStatements('CREATE TRIGGER t AFTER INSERT ON a BEGIN INSERT INTO b VALUES (1); UPDATE c SET x = CASE WHEN 1 THEN 2 END; END')).toBe(1)
  expect(countStatements('CREATE TRIGGER t AFTER INSERT ON a BEGIN INSERT INTO b VALUES (1); END; INSERT INTO a VALUES (1)')).toBe(2)
  expect(countStatements('CREATE FUNCTION f() RETURNS trigger AS $body$ BEGIN NEW.x := 1; RETURN NEW; END $body$ LANGUAGE plpgsql')).toBe(1)
  expect(countStatements('CREATE PROCEDURE p() BEGIN IF 1 THEN SELECT 1; END IF; END')).toBe(1)
  expect(countStatements("/* a; b */ SELECT 'it''s; fine', \"x;y\" -- c; d")).toBe(1)
  expect(countStatements('BEGIN; CREATE TABLE a (id int); COMMIT;')).toBe(3)
  expect(countStatements("SELECT 'unterminated; SELECT 2")).toBeUndefined()
})
