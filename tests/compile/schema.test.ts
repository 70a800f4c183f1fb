/**
 * Schema declaration, without a database: casing, standalone tables assembled later, composite
 * primary keys, renamedFrom, softDelete, relation metadata, and clear errors for what the types
 * would reject (reached only from untyped JavaScript or a cast).
 */
import { describe, expect, test } from 'vitest'
import { compile, defineSchema, getDialect, insert, schemaMetaOf, SchemaError, select, sql, table, tableMetaOf } from '@quarry/core'
import { createTableStatement } from '../../packages/core/src/ddl/create'
import { posts, schema, users } from '../support/blog-schema'
import { DIALECTS } from './compile-all'

const loose = (value: unknown) => value as never

const memberships = table({
  name: 'team_members',
  renamedFrom: 'members',
  columns: {
    teamId: { type: 'integer', references: { to: 'teams.id', onDelete: 'cascade' } },
    userId: { type: 'integer', references: 'people.id', onDelete: 'restrict' },
    role: { type: 'varchar', length: 20, default: 'member', renamedFrom: 'kind' },
    leftAt: { type: 'timestamp', nullable: true },
  },
  primaryKey: ['teamId', 'userId'],
  softDelete: 'leftAt',
})
const teams = table({ columns: { id: { type: 'integer', primaryKey: true }, teamName: { type: 'text' } } })
const people = table({ columns: { id: { type: 'integer', primaryKey: true } } })
const assembled = defineSchema({ teams, people, memberships }, { casing: 'snake_case' })
const meta = schemaMetaOf(assembled)

describe('declaration', () => {
  test('table() returns the literal itself, to assemble later in defineSchema', () => {
    expect(table(teams)).toBe(teams)
    expect(Object.keys(meta.tables)).toEqual(['teams', 'people', 'memberships'])
    expect(tableMetaOf(assembled.teams)).toBe(meta.tables.teams)
  })

  test('casing: snake_case renames tables and columns; preserve (the default) keeps them', () => {
    expect(meta.tables.teams.columns.teamName.name).toBe('team_name')
    expect(meta.tables.memberships.name).toBe('team_members')
    const kept = schemaMetaOf(defineSchema({ fooBar: { columns: { someId: { type: 'integer', primaryKey: true } } } }))
    expect(kept.casing).toBe('preserve')
    expect(kept.tables.fooBar.name).toBe('fooBar')
    expect(kept.tables.fooBar.columns.someId.name).toBe('someId')
    expect(compile(select(posts.authorId).from(posts), 'postgres').sql).toBe('SELECT "posts"."author_id" AS "value" FROM "posts"')
  })

  test('a composite primary key (table option or column flags) is never auto-increment', () => {
    const m = meta.tables.memberships
    expect(m.primaryKey).toEqual(['teamId', 'userId'])
    expect(m.columns.teamId.primaryKey && m.columns.userId.primaryKey).toBe(true)
    expect(m.columnList.some((c) => c.autoIncrement)).toBe(false)
    expect(schemaMetaOf(schema).tables.postTags.primaryKey).toEqual(['postId', 'tagId'])
    expect(schemaMetaOf(schema).tables.postTags.columnList.some((c) => c.autoIncrement)).toBe(false)
    expect(schemaMetaOf(schema).tables.users.columns.id.autoIncrement).toBe(true)
    for (const name of DIALECTS) {
      const d = getDialect(name)
      expect(createTableStatement(m, meta, d)).toContain(`CONSTRAINT ${d.quote('team_members_pkey')} PRIMARY KEY (${d.quote('team_id')}, ${d.quote('user_id')})`)
    }
  })

  test('only a column-level integer primary key numbers itself; a table-level single key is given on insert', () => {
    const s = defineSchema({
      auto: { columns: { id: { type: 'integer', primaryKey: true }, n: { type: 'text' } } },
      given: { columns: { id: { type: 'integer' }, n: { type: 'text' } }, primaryKey: ['id'] },
    })
    expect(tableMetaOf(s.auto).columns.id.autoIncrement).toBe(true)
    expect(tableMetaOf(s.given).columns.id.autoIncrement).toBe(false)
    expect(compile(insert(s.given).values({ id: 7, n: 'x' }), 'postgres').sql).toBe('INSERT INTO "given" ("id", "n") VALUES ($1, $2)')
  })

  test('renamedFrom (tables and columns), softDelete and foreign-key actions are kept as data', () => {
    const m = meta.tables.memberships
    expect(m.renamedFrom).toBe('members')
    expect(m.columns.role.renamedFrom).toBe('kind')
    expect(m.softDelete).toBe('leftAt')
    expect(m.foreignKeys.map((fk) => [fk.name, fk.onDelete])).toEqual([
      ['team_members_team_id_fkey', 'cascade'],
      ['team_members_user_id_fkey', 'restrict'],
    ])
    // The metadata is plain, frozen, JSON-friendly data (what migrations snapshot).
    expect(Object.isFrozen(m) && Object.isFrozen(m.columns.role)).toBe(true)
    expect(JSON.parse(JSON.stringify(meta.tables.teams))).toMatchObject({ key: 'teams', name: 'teams', primaryKey: ['id'] })
  })

  test('relations resolve their join columns: one, many, many through an association table, backPopulates', () => {
    const tables = schemaMetaOf(schema).tables
    expect(tables.posts.relations.author).toMatchObject({ kind: 'one', target: 'users', backPopulates: 'posts', sourceColumns: ['authorId'], targetColumns: ['id'] })
    expect(tables.users.relations.posts).toMatchObject({ kind: 'many', target: 'posts', backPopulates: 'author', sourceColumns: ['id'], targetColumns: ['authorId'] })
    expect(tables.posts.relations.tags).toMatchObject({
      kind: 'many',
      target: 'tags',
      through: 'postTags',
      sourceColumns: ['id'],
      targetColumns: ['id'],
      throughSourceColumns: ['postId'],
      throughTargetColumns: ['tagId'],
    })
    expect(users.posts.kind).toBe('relationRef')
  })

  test('check constraints render their SQL; values in them are inlined as literals in DDL only', () => {
    const s = defineSchema({ t: { columns: { id: { type: 'integer', primaryKey: true }, n: { type: 'integer' } }, checks: { positive: sql`${sql.identifier('n')} > ${0}` } } })
    expect(createTableStatement(schemaMetaOf(s).tables.t, schemaMetaOf(s), getDialect('postgres'))).toContain('CONSTRAINT "t_positive_check" CHECK ("n" > 0)')
    expect(() => insert(s.t).values({ n: 1 })).not.toThrow()
  })
})

describe('clear errors for schemas the types would reject', () => {
  const one = (columns: object, extra: object = {}) => defineSchema(loose({ t: { columns, ...extra } }))

  test('a reference to an unknown table or column, or not table.column', () => {
    expect(() => one({ id: { type: 'integer', primaryKey: true }, x: { type: 'integer', references: 'nope.id' } })).toThrow(/t\.x: references unknown table 'nope'/)
    expect(() => one({ id: { type: 'integer', primaryKey: true }, x: { type: 'integer', references: 't.idd' } })).toThrow(/t\.x: references unknown column 't\.idd'/)
    expect(() => one({ id: { type: 'integer', primaryKey: true }, x: { type: 'integer', references: 'id' } })).toThrow(/references must be 'table\.column'/)
  })

  test('a primary key, softDelete or index naming an unknown column', () => {
    expect(() => one({ id: { type: 'integer' } }, { primaryKey: ['idd'] })).toThrow(SchemaError)
    expect(() => one({ id: { type: 'integer', primaryKey: true } }, { softDelete: 'deletedAt' })).toThrow(/unknown column 'deletedAt'/)
    expect(() => one({ id: { type: 'integer', primaryKey: true } }, { indexes: [{ columns: ['nope'] }] })).toThrow(/unknown column 'nope'/)
  })

  test('a relation to an unknown table, or with an ambiguous foreign key', () => {
    expect(() => one({ id: { type: 'integer', primaryKey: true } }, { relations: { x: { one: 'nope' } } })).toThrow(/relation t\.x: unknown table 'nope'/)
    const twoKeys = {
      users: { columns: { id: { type: 'integer', primaryKey: true } } },
      posts: {
        columns: { id: { type: 'integer', primaryKey: true }, authorId: { type: 'integer', references: 'users.id' }, editorId: { type: 'integer', references: 'users.id' } },
        relations: { author: { one: 'users' } },
      },
    }
    expect(() => defineSchema(loose(twoKeys))).toThrow(/several foreign keys in posts reference users; set foreignKey/)
    const chosen = defineSchema(loose({ ...twoKeys, posts: { ...twoKeys.posts, relations: { author: { one: 'users', foreignKey: 'editorId' } } } }))
    expect(schemaMetaOf(chosen).tables.posts.relations.author.sourceColumns).toEqual(['editorId'])
  })

  test('a column without a type', () => {
    expect(() => one({ id: { primaryKey: true } })).toThrow(/column t\.id: expected \{ type: \.\.\. \}/)
  })
})
