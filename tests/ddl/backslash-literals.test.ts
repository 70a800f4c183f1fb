/**
 * Text written into SQL (enum members, defaults and checks in DDL, `literal()`, LIKE's ESCAPE) means
 * the same whatever the server's sql_mode (issue 12, developer mistakes): MariaDB with
 * NO_BACKSLASH_ESCAPES read Quarry's `'a\\b'` as two backslashes, so the enum member 'a\b' became
 * 'a\\b' and `contains()` (ESCAPE '\\') failed. On MariaDB each check runs under both modes.
 */
import { contains, defineSchema, insert, literal, select, sql } from '@quarry/core'
import { expect, test } from 'vitest'
import { DatabaseError } from '../../packages/core/src/errors'
import { forEachDialect } from '../support'

const MEMBERS = ['a\\b', 'c\\\\d', "it's", 'é\\', 'plain'] as const

const schema = defineSchema({
  t: {
    columns: {
      id: { type: 'integer', primaryKey: true },
      e: { type: 'enum', values: MEMBERS, nullable: true },
      d: { type: 'varchar', length: 20, default: 'x\\y' },
    },
    checks: { notBackslash: sql`${sql.identifier('d')} <> ${'\\'}` },
  },
})
const { t } = schema

forEachDialect((db) => {
  const modes = db.dialect === 'mysql' ? ['', 'NO_BACKSLASH_ESCAPES'] : ['']
  for (const mode of modes) {
    test(`enum members, defaults, checks, literals and ESCAPE with backslashes${mode ? ` under ${mode}` : ''}`, async () => {
      // One connection, so the session's sql_mode holds for every statement.
      const engine = await db.engine({ pool: { size: 1, maxOverflow: 0 } })
      if (mode) await engine.execute(sql.raw(`SET SESSION sql_mode = CONCAT(@@SESSION.sql_mode, ',${mode}')`))
      await engine.createAll(schema)
      let id = 0
      for (const e of MEMBERS) await engine.execute(insert(t).values({ id: ++id, e }))
      expect(await engine.all(select(t).orderBy(t.id))).toEqual(MEMBERS.map((e, i) => ({ id: i + 1, e, d: 'x\\y' })))
      // The member doubled is not a member; the CHECK refuses a lone backslash.
      await expect(engine.execute(insert(t).values({ id: 100, e: 'a\\\\b' as never }))).rejects.toThrow(DatabaseError)
      await expect(engine.execute(insert(t).values({ id: 101, d: '\\' }))).rejects.toThrow(DatabaseError)
      expect(await engine.all(select({ v: literal('a\\b') }).from(t).where(contains(t.d, 'x\\')).limit(1))).toEqual([{ v: 'a\\b' }])
    })
  }
})
