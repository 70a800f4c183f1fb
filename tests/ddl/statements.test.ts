/** DDL text per dialect, without a database: order, names, types, defaults, cycles. */
import { getDialect } from '@quarry/core'
import { describe, expect, it } from 'vitest'
import { constraintTarget, createAllStatements, creationOrder, dropAllStatements, physicalName } from '../../packages/core/src/ddl'
import { DIALECTS } from '../support'
import { cyclicMeta, shopMeta } from './ddl-schemas'

describe('creation order', () => {
  it('creates referenced tables first and defers only the foreign key closing a cycle', () => {
    expect(creationOrder(shopMeta).tables.map((t) => t.name)).toEqual(['users', 'posts', 'tags', 'post_tags'])
    expect(creationOrder(shopMeta).deferred.size).toBe(0)
    const cyclic = creationOrder(cyclicMeta)
    expect(cyclic.tables.map((t) => t.name)).toEqual(['teams', 'people'])
    expect([...cyclic.deferred].map((fk) => fk.name)).toEqual(['teams_captain_id_fkey'])
  })
})

describe.each(DIALECTS)('%s statements', (name) => {
  const dialect = getDialect(name)
  const create = createAllStatements(shopMeta, dialect)
  const q = (s: string) => dialect.quote(s)

  it('is idempotent text: IF NOT EXISTS on every table and index', () => {
    for (const statement of create) expect(statement).toMatch(name === 'mysql' ? /^CREATE TABLE IF NOT EXISTS / : /^CREATE (TABLE|(UNIQUE )?INDEX) IF NOT EXISTS /)
    expect(create.filter((s) => s.startsWith('CREATE TABLE')).map((s) => s.split(' ')[5])).toEqual(
      ['users', 'posts', 'tags', 'post_tags'].map(q),
    )
  })

  it('names constraints deterministically and writes FK actions', () => {
    const posts = create.find((s) => s.startsWith(`CREATE TABLE IF NOT EXISTS ${q('posts')}`))!
    expect(posts).toContain(`CONSTRAINT ${q('posts_author_id_fkey')} FOREIGN KEY (${q('author_id')}) REFERENCES ${q('users')} (${q('id')}) ON DELETE CASCADE ON UPDATE CASCADE`)
    expect(posts).toContain('ON DELETE SET NULL')
    if (name === 'mysql') {
      // MySQL 8 has no CREATE INDEX IF NOT EXISTS: indexes go inside CREATE TABLE IF NOT EXISTS.
      expect(posts).toContain(`, UNIQUE INDEX ${q('posts_author_id_slug_key')} (${q('author_id')}, ${q('slug')})`)
      expect(posts).toContain(`, INDEX ${q('posts_author_id_idx')} (${q('author_id')})`)
      expect(create.some((s) => s.includes('CREATE INDEX') || s.includes('CREATE UNIQUE INDEX'))).toBe(false)
    } else {
      expect(create).toContain(`CREATE UNIQUE INDEX IF NOT EXISTS ${q('posts_author_id_slug_key')} ON ${q('posts')} (${q('author_id')}, ${q('slug')})`)
      expect(create).toContain(`CREATE INDEX IF NOT EXISTS ${q('posts_author_id_idx')} ON ${q('posts')} (${q('author_id')})`)
    }
    const users = create[0]
    expect(users).toContain(`CONSTRAINT ${q('users_email_key')} UNIQUE (${q('email')})`)
    expect(users).toContain(`CONSTRAINT ${q('users_adult_check')} CHECK (${q('age')} >= 18)`)
    expect(create.find((s) => s.includes(q('tags')))).toContain(`CONSTRAINT ${q('tags_name_lang_key')} UNIQUE (${q('name')}, ${q('lang')})`)
  })

  it('reverses creation order on drop', () => {
    expect(dropAllStatements(shopMeta, dialect)).toEqual(['post_tags', 'tags', 'posts', 'users'].map((t) => `DROP TABLE IF EXISTS ${q(t)}`))
  })

  it('handles a foreign-key cycle by ALTER or by suspending checks', () => {
    const statements = createAllStatements(cyclicMeta, dialect)
    const drops = dropAllStatements(cyclicMeta, dialect)
    const alter = statements.some((s) => s.includes('ALTER TABLE'))
    const suspended = /FOREIGN_KEY_CHECKS = 0|foreign_keys = OFF/.test(statements[0])
    expect(alter !== suspended).toBe(true)
    expect(drops.some((s) => s.includes('DROP CONSTRAINT')) || /FOREIGN_KEY_CHECKS = 0|foreign_keys = OFF/.test(drops[0])).toBe(true)
  })
})

describe('types per dialect', () => {
  const users = shopMeta.tables.users
  const column = (overrides: object) => ({ ...users.columns.age, ...overrides }) as typeof users.columns.age
  const cases: [object, string, string, string][] = [
    [{ type: 'integer' }, 'INTEGER', 'integer', 'INT'],
    [{ type: 'smallint' }, 'SMALLINT', 'smallint', 'SMALLINT'],
    [{ type: 'bigint' }, 'BIGINT', 'bigint', 'BIGINT'],
    [{ type: 'real' }, 'REAL', 'real', 'FLOAT'],
    [{ type: 'double' }, 'DOUBLE', 'double precision', 'DOUBLE'],
    [{ type: 'numeric', precision: 38, scale: 10 }, 'DECIMAL_SORTABLE_TEXT(38, 10)', 'numeric(38, 10)', 'DECIMAL(38, 10)'],
    [{ type: 'boolean' }, 'BOOLEAN', 'boolean', 'BOOLEAN'],
    [{ type: 'text' }, 'TEXT', 'text', 'LONGTEXT'],
    [{ type: 'varchar', length: 20 }, 'VARCHAR(20)', 'varchar(20)', 'VARCHAR(20)'],
    [{ type: 'char', length: 2 }, 'CHAR(2)', 'char(2)', 'CHAR(2)'],
    [{ type: 'uuid' }, 'UUID_TEXT', 'uuid', 'CHAR(36)'],
    [{ type: 'date' }, 'DATE_TEXT', 'date', 'DATE'],
    [{ type: 'time' }, 'TIME_TEXT', 'time(0)', 'TIME'],
    [{ type: 'timestamp' }, 'TIMESTAMP_TEXT', 'timestamp(3)', 'DATETIME(3)'],
    [{ type: 'timestamp', withTimezone: true }, 'TIMESTAMPTZ_TEXT', 'timestamptz(3)', 'DATETIME(3)'],
    [{ type: 'json' }, 'JSON_TEXT', 'jsonb', 'JSON'],
    [{ type: 'bytes' }, 'BLOB', 'bytea', 'LONGBLOB'],
    [{ type: 'enum', values: ['a', "b'c"] }, 'TEXT', 'text', "ENUM('a', 'b''c')"],
    [{ type: 'custom', sqlType: 'citext' }, 'citext', 'citext', 'citext'],
    [{ type: 'custom', sqlType: { sqlite: 'TEXT', postgres: 'inet', mysql: 'VARCHAR(45)' } }, 'TEXT', 'inet', 'VARCHAR(45)'],
  ]
  it.each(cases)('%j', (overrides, sqlite, postgres, mysql) => {
    expect(DIALECTS.map((d) => getDialect(d).columnType(column(overrides)))).toEqual([sqlite, postgres, mysql])
  })
})

describe('constraint names', () => {
  it('map back to table and columns', () => {
    const fk = constraintTarget(shopMeta, 'posts_author_id_fkey')!
    expect([fk.kind, fk.table.key, fk.columns.map((c) => c.key)]).toEqual(['foreignKey', 'posts', ['authorId']])
    const unique = constraintTarget(shopMeta, 'posts_author_id_slug_key')!
    expect([unique.kind, unique.columns.map((c) => c.key)]).toEqual(['unique', ['authorId', 'slug']])
    expect(constraintTarget(shopMeta, 'users.users_email_key')!.columns.map((c) => c.key)).toEqual(['email'])
    const check = constraintTarget(shopMeta, 'users_adult_check')!
    expect([check.kind, check.columns.map((c) => c.key)]).toEqual(['check', ['age']])
    expect(constraintTarget(shopMeta, 'users_status_check')!.columns.map((c) => c.key)).toEqual(['status'])
    expect(constraintTarget(shopMeta, 'post_tags_pkey')!.columns.map((c) => c.key)).toEqual(['postId', 'tagId'])
    expect(constraintTarget(shopMeta, 'nope')).toBeUndefined()
  })

  it('shortens names beyond 63 bytes deterministically', () => {
    const long = `${'a'.repeat(40)}_${'b'.repeat(40)}_fkey`
    expect(physicalName(long)).toHaveLength(63)
    expect(physicalName(long)).toBe(physicalName(long))
    expect(physicalName(long)).not.toBe(physicalName(long.replace('b', 'c')))
  })
})
