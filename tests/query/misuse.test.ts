/**
 * Developer mistakes that must be clear errors, never a statement that does something else
 * (issue 12 item 5 and "Developer mistakes"). An UPDATE or DELETE says which rows it changes:
 * `where(…)` with at least one condition, or `.all()` for every row. `where(undefined)`,
 * `where()` and a condition list that holds nothing (`and()`) are refused when the builder is
 * made; a statement with neither `where` nor `.all()` is refused before it is sent.
 */
import { expect, test } from 'vitest'
import { and, asc, compile, count, defineSchema, deleteFrom, eq, insert, or, param, prepare, select, update } from '../../packages/core/src/index'
import { ArgumentError, CompileError } from '../../packages/core/src/errors'
import { forEachDialect } from '../support'

const schema = defineSchema({ notes: { columns: { id: { type: 'integer', primaryKey: true }, body: { type: 'text' } } } })
const { notes } = schema

/** A statement as an untyped JavaScript caller would write it (the types refuse these). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const loose = (value: unknown) => value as any

forEachDialect((db) => {
  async function seeded() {
    const engine = await db.engine()
    await engine.createAll(schema)
    await engine.execute(insert(notes).values([{ body: 'a' }, { body: 'b' }, { body: 'c' }]))
    const left = () => engine.scalar(select(count()).from(notes))
    const bodies = async () => (await engine.all(select(notes.body).from(notes))).sort()
    return { engine, left, bodies }
  }

  test('where(undefined) on a delete or an update is an error naming the table, and changes nothing', async () => {
    const { engine, left, bodies } = await seeded()
    const filter: ReturnType<typeof eq> | undefined = undefined
    expect(() => deleteFrom(notes).where(loose(filter))).toThrow(ArgumentError)
    expect(() => deleteFrom(notes).where(loose(filter))).toThrow(/delete from notes: where\(\) argument 1 is undefined/)
    expect(() => update(notes).set({ body: 'x' }).where(loose(filter))).toThrow(/update notes: where\(\) argument 1 is undefined/)
    expect(() => deleteFrom(notes).where(eq(notes.id, 1), loose(undefined))).toThrow(/delete from notes: where\(\) argument 2 is undefined/)
    // What a caller that ignores the error would have run: nothing was sent, nothing changed.
    await expect(async () => engine.execute(deleteFrom(notes).where(loose(filter)))).rejects.toThrow(ArgumentError)
    expect(await left()).toBe(3)
    expect(await bodies()).toEqual(['a', 'b', 'c'])
  })

  test('an empty condition list (where(), where(...[]), and(), and(undefined)) is an error naming the table', async () => {
    const { engine, left } = await seeded()
    const none: ReturnType<typeof eq>[] = []
    expect(() => loose(deleteFrom(notes)).where()).toThrow(/delete from notes: where\(\) got no condition/)
    expect(() => loose(update(notes).set({ body: 'x' })).where(...none)).toThrow(/update notes: where\(\) got no condition/)
    expect(() => deleteFrom(notes).where(and())).toThrow(/delete from notes: where\(\) argument 1 is an empty and\(\)/)
    expect(() => update(notes).set({ body: 'x' }).where(and(loose(undefined), and()))).toThrow(ArgumentError)
    // An or() of nothing is false: it matches no row, so it is not refused.
    expect((await engine.execute(deleteFrom(notes).where(or()))).rowsAffected).toBe(0)
    expect(await left()).toBe(3)
  })

  test('a delete or an update without where() is refused before sending; .all() states "every row"', async () => {
    const { engine, left, bodies } = await seeded()
    await expect(engine.execute(loose(deleteFrom(notes)))).rejects.toThrow(CompileError)
    await expect(engine.execute(loose(deleteFrom(notes)))).rejects.toThrow(/delete from notes has no where\(\): pass a condition, or call \.all\(\) to delete every row/)
    await expect(engine.execute(loose(update(notes).set({ body: 'x' })))).rejects.toThrow(/update notes has no where\(\): pass a condition, or call \.all\(\) to update every row/)
    await expect(engine.transaction((tx) => tx.execute(loose(update(notes).set({ body: 'x' }))))).rejects.toThrow(CompileError)
    expect(() => compile(loose(deleteFrom(notes)), db.dialect)).toThrow(/call \.all\(\)/)
    expect(await bodies()).toEqual(['a', 'b', 'c'])

    expect((await engine.execute(update(notes).set({ body: 'x' }).all())).rowsAffected).toBe(3)
    expect(await bodies()).toEqual(['x', 'x', 'x'])
    expect((await engine.execute(deleteFrom(notes).where(eq(notes.id, 1)))).rowsAffected).toBe(1)
    expect((await engine.execute(deleteFrom(notes).all())).rowsAffected).toBe(2)
    expect(await left()).toBe(0)
  })

  // "Developer mistakes": untyped misuse gave `renderers[kind] is not a function` or `Cannot read properties of undefined`.
  test('untyped misuse is an ArgumentError naming the argument and what was expected', async () => {
    const { engine } = await seeded()
    const cases: [() => unknown, RegExp][] = [
      [() => select(notes).orderBy(loose('id')), /orderBy\(\): argument 1: expected a column, an expression or asc\(\)\/desc\(\) of one, got a string/],
      [() => select(notes).orderBy(asc(notes.id), loose(1)), /orderBy\(\): argument 2: expected .* got the number 1/],
      [() => select(notes).orderBy(loose(undefined)), /orderBy\(\): argument 1: .* got undefined/],
      [() => select(notes).groupBy(loose('body')), /groupBy\(\): argument 1: expected a column or an expression, got a string/],
      [() => select(loose('id')).from(notes), /select\(\): expected a table, a column, an expression or an object of them, got a string/],
      [() => select(loose(undefined)), /select\(\): expected a table, .* got undefined/],
      [() => select(loose({ a: 'id' })).from(notes), /select\(\): selection 'a': expected a column, an expression or a table, got a string/],
      [() => select(notes.id).from(loose('notes')), /from\(\): expected a table, an alias, a subquery \.as\(\) or a CTE, got a string/],
      [() => select(notes.id).from(notes).innerJoin(loose('notes'), eq(notes.id, 1)), /innerJoin\(\): expected a table, .* got a string/],
      [() => select(notes.id).from(notes).leftJoin(notes, loose('1 = 1')), /leftJoin\(\): argument 2 \(on\): expected a column, a condition or an expression, got a string/],
      [() => update(notes).set({ body: 'x' }).all().returning(loose({ b: 'body' })), /returning\(\): selection 'b': expected a column, an expression or a table, got a string/],
    ]
    for (const [run, message] of cases) {
      expect(run).toThrow(ArgumentError)
      expect(run).toThrow(message)
    }
    await expect(engine.all(loose(notes))).rejects.toThrow(/expected a statement \(a query builder, sql`…` or prepare\(…\)\), got the table notes/)
    await expect(engine.all(loose(notes))).rejects.toBeInstanceOf(ArgumentError)
  })

  test('limit and offset take a whole number ≥ 0, checked before anything is bound', async () => {
    const { engine } = await seeded()
    const bad: [unknown, RegExp][] = [
      [NaN, /got the number NaN/],
      [-1, /got the number -1/],
      [1.5, /got the number 1.5/],
      [Infinity, /got the number Infinity/],
      ['5', /got a string/],
      [undefined, /got undefined/],
      [null, /got null/],
    ]
    for (const [value, got] of bad) {
      for (const clause of ['limit', 'offset'] as const) {
        const run = () => loose(select(notes))[clause](value)
        expect(run).toThrow(ArgumentError)
        expect(run).toThrow(new RegExp(`${clause}\\(\\): expected a whole number ≥ 0 \\(or param\\(\\)\\), ${got.source}`))
        expect(() => loose(select(notes.id).from(notes).union(select(notes.id).from(notes)))[clause](value)).toThrow(ArgumentError)
      }
    }
    // What stays valid: 0, large counts, param(), on every dialect.
    expect(await engine.all(select(notes).limit(0))).toEqual([])
    expect(await engine.all(select(notes.id).from(notes).orderBy(notes.id).limit(2_000_000_000).offset(1))).toEqual([2, 3])
    const firstN = prepare(select(notes.id).from(notes).orderBy(notes.id).limit(param('n')).offset(param('skip')))
    expect(await engine.all(firstN, { n: 1, skip: 0 })).toEqual([1])
    // A param() count is checked when its value is bound, before the statement is sent.
    for (const [value, got] of bad.filter(([v]) => v !== undefined)) {
      await expect(engine.all(firstN, { n: value, skip: 0 })).rejects.toThrow(ArgumentError)
      await expect(engine.all(firstN, { n: value, skip: 0 })).rejects.toThrow(new RegExp(`limit\\(\\): param\\('n'\\) must be a whole number ≥ 0, ${got.source}`))
      await expect(engine.all(firstN, { n: 1, skip: value })).rejects.toThrow(/offset\(\): param\('skip'\)/)
    }
  })
})
