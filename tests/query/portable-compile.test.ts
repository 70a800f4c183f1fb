/**
 * Compile points where a dialect difference used to be guessed or proxied, run on every dialect
 * with the same expected rows: MySQL's SET order with raw SQL (never guessed: honoured, refused, or
 * stated by the user), an insert of no column, and a set operation whose operands each read a CTE.
 */
import { expect, test } from 'vitest'
import { compile, CompileError, defineSchema, eq, insert, select, sql, update } from '@quarry/core'
import { forEachDialect } from '../support/dialects'

const noteSchema = defineSchema({
  notes: {
    columns: {
      id: { type: 'integer', primaryKey: true },
      title: { type: 'varchar', length: 40 },
      titleLength: { type: 'integer', default: 0 },
    },
  },
  counters: {
    columns: {
      id: { type: 'integer', primaryKey: true },
      hits: { type: 'integer', nullable: true },
    },
  },
})
const { notes, counters } = noteSchema

test('SET order: identifiers in raw SQL (quoted names, sql.identifier) count as possible reads; a cycle only raw SQL makes is refused, never guessed', () => {
  const quoted = update(notes).set({ title: 'x', titleLength: sql`char_length(\`title\`)` }).all()
  expect(compile(quoted, 'mysql').sql).toBe('UPDATE `notes` SET `titleLength` = char_length(`title`), `title` = ?')
  const spaced = defineSchema({ t: { columns: { id: { type: 'integer', primaryKey: true }, 'my col': { type: 'varchar', length: 9 }, b: { type: 'integer' } } } }).t
  expect(compile(update(spaced).set({ 'my col': 'x', b: sql`char_length(\`my col\`)` }).all(), 'mysql').sql).toBe('UPDATE `t` SET `b` = char_length(`my col`), `my col` = ?')
  // A quote inside a string literal does not hide the words after it.
  expect(compile(update(notes).set({ title: 'x', titleLength: sql`char_length(concat('"', title))` }).all(), 'mysql').sql).toMatch(/^UPDATE `notes` SET `titleLength` = .*, `title` = \?$/)
  const cycle = update(notes).set({ title: sql`'titleLength'`, titleLength: sql`char_length(title)` }).all()
  expect(() => compile(cycle, 'mysql')).toThrow(CompileError)
  expect(() => compile(cycle, 'mysql')).toThrow(/raw SQL in the assignments to notes\.\(title, titleLength\) names columns set beside it: whether it reads them is unknowable/)
  expect(compile(cycle, 'postgres').sql).toBe('UPDATE "notes" SET "title" = \'titleLength\', "titleLength" = char_length(title)')
  // Stated: the written order stands; a certain (column) read still moves its reader first.
  const stated = update(notes).set({ titleLength: sql`char_length(title)`, title: sql`'titleLength'` }, { order: 'as written' }).all()
  expect(compile(stated, 'mysql').sql).toBe("UPDATE `notes` SET `titleLength` = char_length(title), `title` = 'titleLength'")
  const swap = update(notes).set({ title: sql`'x'`, titleLength: sql`${notes.id}` }, { order: 'as written' }).all()
  expect(compile(swap, 'mysql').sql).toBe("UPDATE `notes` SET `title` = 'x', `titleLength` = `notes`.`id`")
})

forEachDialect((db) => {
  async function seeded() {
    const engine = await db.engine()
    await engine.createAll(noteSchema)
    await engine.execute(insert(notes).values([{ title: 'abcdef' }, { title: 'xy' }]))
    return engine
  }

  test('raw SQL naming a column through sql.identifier reads the row as it was; a stated order is kept; an unknowable one is refused, changing nothing', async () => {
    const engine = await seeded()
    await engine.execute(update(notes).set({ title: 'z', titleLength: sql`length(${sql.identifier('title')}) * 10` }).where(eq(notes.id, 1)))
    expect(await engine.one(select({ t: notes.title, n: notes.titleLength }).from(notes).where(eq(notes.id, 1)))).toEqual({ t: 'z', n: 60 })
    const cycle = update(notes).set({ title: sql`'titleLength'`, titleLength: sql`length(title)` }).where(eq(notes.id, 2))
    const stated = update(notes).set({ titleLength: sql`length(title)`, title: sql`'titleLength'` }, { order: 'as written' }).where(eq(notes.id, 2))
    if (db.capabilities.sequentialSet) {
      await expect(engine.execute(cycle)).rejects.toThrow(/whether it reads them is unknowable/)
      expect(await engine.one(select({ t: notes.title, n: notes.titleLength }).from(notes).where(eq(notes.id, 2)))).toEqual({ t: 'xy', n: 0 })
    }
    await engine.execute(stated)
    expect(await engine.one(select({ t: notes.title, n: notes.titleLength }).from(notes).where(eq(notes.id, 2)))).toEqual({ t: 'titleLength', n: 2 })
  })

  test('an insert naming no column uses every default (DEFAULT VALUES, or () VALUES () where the dialect says so)', async () => {
    const engine = await seeded()
    await engine.execute(insert(counters).values({}))
    await engine.execute(insert(counters).values({}))
    expect(await engine.all(select(counters).orderBy(counters.id))).toEqual([
      { id: 1, hits: null },
      { id: 2, hits: null },
    ])
    const text = compile(insert(counters).values({}), db.dialectObject).sql
    expect(text).toBe(db.capabilities.emptyInsert === 'empty values' ? 'INSERT INTO `counters` () VALUES ()' : 'INSERT INTO "counters" DEFAULT VALUES')
  })

  test('a set operation whose operands each read a CTE: every CTE goes up into one WITH', async () => {
    const engine = await seeded()
    const lo = select({ id: notes.id, title: notes.title }).from(notes).where(eq(notes.id, 1)).cte('lo')
    const hi = select({ id: notes.id, title: notes.title }).from(notes).where(eq(notes.id, 2)).cte('hi')
    const both = select({ id: lo.id, title: lo.title }).from(lo).union(select({ id: hi.id, title: hi.title }).from(hi))
    const text = compile(both, db.dialectObject).sql
    expect(text.startsWith('WITH ')).toBe(true)
    expect(text.indexOf('WITH ', 1)).toBe(-1)
    const rows = await engine.all(both)
    expect(rows.sort((a, b) => a.id - b.id)).toEqual([
      { id: 1, title: 'abcdef' },
      { id: 2, title: 'xy' },
    ])
    // The same CTE read by both operands is defined once; two different ones of one name are refused.
    const twice = select({ id: lo.id }).from(lo).where(eq(lo.id, 1)).unionAll(select({ id: lo.id }).from(lo))
    expect(await engine.all(twice)).toEqual([{ id: 1 }, { id: 1 }])
    const other = select({ id: notes.id, title: notes.title }).from(notes).cte('lo')
    expect(() => compile(select({ id: lo.id }).from(lo).union(select({ id: other.id }).from(other)), db.dialectObject)).toThrow(/two different CTEs are named lo/)
  })
})
