/**
 * Names and values that carry quote characters: identifiers are quoted with the dialect's quote
 * character doubled inside, and `sql` template values are bound as parameters, never inlined.
 */
import { expect, test } from 'vitest'
import { compile, count, defineSchema, eq, insert, select, sql, update, deleteFrom, jsonText, alias } from '@quarry/core'
import { forEachDialect } from '../support/dialects'

const odd = defineSchema({
  parents: {
    name: 'par"ent`s',
    columns: {
      id: { type: 'integer', primaryKey: true },
      'na"me`': { type: 'varchar', length: 100, unique: true },
    },
  },
  children: {
    name: 'chi`ld"ren',
    columns: {
      id: { type: 'integer', primaryKey: true },
      'pa"rent`Id': { type: 'integer', references: 'parents.id', index: true },
      'no`te"': { type: 'json', nullable: true },
    },
    indexes: [{ columns: ['pa"rent`Id', 'id'], unique: true }],
  },
})
const { parents, children } = odd
const parentName = parents['na"me`']
const parentId = children['pa"rent`Id']
const note = children['no`te"']

const HOSTILE = `o'brien "quoted" \`tick\` \\ -- ; DROP TABLE x; '); --`
/** A JSON key with every character a path or a string literal escapes. */
const KEY = `k"e\`y\\'z`

test('the same identifier quotes differently per dialect, with the quote character doubled', () => {
  const q = select({ n: parentName }).from(parents)
  expect(compile(q, 'postgres').sql).toBe('SELECT "par""ent`s"."na""me`" AS "n" FROM "par""ent`s"')
  expect(compile(q, 'sqlite').sql).toBe('SELECT "par""ent`s"."na""me`" AS "n" FROM "par""ent`s"')
  expect(compile(q, 'mysql').sql).toBe('SELECT `par"ent``s`.`na"me``` AS `n` FROM `par"ent``s`')
})

test('JSON path keys are escaped for the path and for the string literal (MySQL: backslashes doubled)', () => {
  const q = select(jsonText(note, 'a"b\\c')).from(children)
  expect(compile(q, 'mysql').sql).toContain(`'$."a\\\\"b\\\\\\\\c"'`)
  expect(compile(q, 'sqlite').sql).toContain(`'$."a\\"b\\\\c"'`)
  expect(compile(q, 'postgres').sql).toContain(`'{"a\\"b\\\\c"}'`)
})

test('a sql template value with quotes is a parameter on every dialect', () => {
  for (const dialect of ['sqlite', 'postgres', 'mysql'] as const) {
    const { sql: text, params } = compile(sql`select ${HOSTILE} as v`, dialect)
    expect(text).not.toContain('brien')
    expect(params).toEqual([HOSTILE])
  }
})

forEachDialect((db) => {
  test('tables, columns, constraints and indexes named with quote characters work end to end', async () => {
    const engine = await db.engine()
    await engine.createAll(odd)
    await engine.createAll(odd)
    const [p] = await engine.all(insert(parents).values({ 'na"me`': HOSTILE }).returning())
    expect(p).toEqual({ id: 1, 'na"me`': HOSTILE })
    await engine.execute(insert(children).values([{ 'pa"rent`Id': 1, 'no`te"': { [KEY]: HOSTILE } }, { 'pa"rent`Id': 1 }]))
    expect(await engine.scalar(select(count()).from(children).innerJoin(parents, eq(parentId, parents.id)).where(eq(parentName, HOSTILE)))).toBe(2)
    expect(await engine.scalar(select(jsonText(note, KEY)).from(children).where(eq(children.id, 1)))).toBe(HOSTILE)
    const other = alias(parents, 'o"t`her')
    expect(await engine.all(select({ a: parents.id, b: other.id }).from(parents).innerJoin(other, eq(other.id, parents.id)))).toEqual([{ a: 1, b: 1 }])
    await engine.execute(update(parents).set({ 'na"me`': 'plain' }).where(eq(parents.id, 1)))
    expect(await engine.scalar(select(parentName).from(parents))).toBe('plain')
    await engine.execute(deleteFrom(children).where(eq(parentId, 1)))
    await engine.dropAll(odd)
  })

  test('a sql template value with quotes round-trips as data and changes nothing else', async () => {
    const engine = await db.engine()
    await engine.createAll(odd)
    expect(await engine.scalar(sql<{ v: string }>`select ${HOSTILE} as v`)).toBe(HOSTILE)
    await engine.execute(sql`insert into ${sql.identifier('par"ent`s')} (${sql.identifier('na"me`')}) values (${HOSTILE})`)
    expect(await engine.all(sql<{ n: string }>`select ${parentName} as n from ${parents} where ${parentName} = ${HOSTILE}`)).toEqual([{ n: HOSTILE }])
    expect(await engine.scalar(select(count()).from(parents))).toBe(1)
  })
})
