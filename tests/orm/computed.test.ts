/**
 * Computed fields in the session (TOUR §8): loaded on every entity, in queries and relation
 * loading, filled in and refreshed by flush, never written; writing one is a clear flush error.
 */
import { concat, defineSchema, eq, select, update, upper } from '@quarry/core'
import { joinedload, PendingRollbackError, selectinload, SessionError } from '@quarry/orm'
import { expect, test } from 'vitest'
import { forEachDialect } from '../support/dialects'
import { setUp } from './helpers'

const schema = defineSchema({
  teams: {
    columns: {
      id: { type: 'integer', primaryKey: true },
      name: { type: 'varchar', length: 40 },
      label: { type: 'text', computed: (t) => upper(t.name) },
    },
    relations: { members: { many: 'people', backPopulates: 'team' } },
  },
  people: {
    columns: {
      // Declared first on purpose: a whole-row query still comes back as tracked entities.
      fullName: { type: 'text', computed: (t) => concat(t.firstName, ' ', t.lastName) },
      id: { type: 'integer', primaryKey: true },
      firstName: { type: 'varchar', length: 40 },
      lastName: { type: 'varchar', length: 40 },
      teamId: { type: 'integer', nullable: true, references: 'teams.id' },
    },
    relations: { team: { one: 'teams', backPopulates: 'members' } },
  },
  // An explicit (non auto-increment) key: MySQL reads generated values back with a re-select.
  codes: {
    columns: {
      code: { type: 'varchar', length: 10, primaryKey: true },
      title: { type: 'varchar', length: 40 },
      display: { type: 'text', computed: (t) => concat(t.code, ': ', t.title) },
    },
  },
}, { casing: 'snake_case' })
const { teams, people, codes } = schema

forEachDialect((db) => {
  async function seeded() {
    const ctx = await setUp(db, schema)
    {
      await using s = ctx.session()
      s.add(teams, { name: 'core', members: [{ firstName: 'Ada', lastName: 'Lovelace' }, { firstName: 'Alan', lastName: 'Turing' }] })
      await s.commit()
    }
    ctx.log.reset()
    return ctx
  }

  test('add fills computed fields in at flush, without writing them', async () => {
    const { session, log } = await setUp(db, schema)
    await using s = session()
    const ada = s.add(people, { firstName: 'Ada', lastName: 'Lovelace' })
    const code = s.add(codes, { code: 'X1', title: 'first' })
    await s.flush()
    expect(ada.fullName).toBe('Ada Lovelace')
    expect(code.display).toBe('X1: first')
    const inserts = log.statements.filter((q) => /^INSERT/i.test(q))
    expect(inserts).toHaveLength(2)
    for (const q of inserts) expect(q).not.toMatch(/INSERT INTO \S+ \([^)]*(full_name|display)/)
  })

  test('get, all and relation loading load computed fields', async () => {
    const { session } = await seeded()
    const s = session()
    const ada = await s.get(people, 1)
    expect(ada).toMatchObject({ id: 1, fullName: 'Ada Lovelace' })
    const byName = await s.all(select(people).where(eq(people.fullName, 'Alan Turing')))
    expect(byName.map((p) => p.id)).toEqual([2])
    expect(await s.first(select(people).where(eq(people.fullName, 'Ada Lovelace')))).toBe(ada)
    await s.close()

    const t = session()
    const [selectin] = await t.all(select(teams), selectinload(teams.members))
    expect(selectin.label).toBe('CORE')
    expect(selectin.members.map((m) => m.fullName).sort()).toEqual(['Ada Lovelace', 'Alan Turing'])
    await t.close()

    const u = session()
    const [joined] = await u.all(select(people).where(eq(people.id, 2)), joinedload(people.team))
    expect(joined.fullName).toBe('Alan Turing')
    expect(joined.team?.label).toBe('CORE')
    await u.close()
  })

  test('changing the columns of an entity updates them only, and refreshes its computed fields', async () => {
    const { session, log } = await seeded()
    await using s = session()
    const ada = (await s.get(people, 1))!
    const code = s.add(codes, { code: 'X1', title: 'first' })
    await s.flush()
    log.reset()
    ada.lastName = 'King'
    code.title = 'second'
    expect(s.isModified(ada)).toBe(true)
    await s.flush()
    const updates = log.statements.filter((q) => /^UPDATE/i.test(q))
    expect(updates).toHaveLength(2)
    for (const q of updates) expect(q.replace(/ RETURNING .*/, '')).not.toMatch(/full_name|display/)
    expect(ada.fullName).toBe('Ada King')
    expect(code.display).toBe('X1: second')
    expect(s.isModified(ada)).toBe(false)
    await s.commit()
    expect(ada.fullName).toBe('Ada King')
  })

  test('refresh reloads computed fields; rollback restores them', async () => {
    const { session, engine } = await seeded()
    await using s = session()
    const ada = (await s.get(people, 1))!
    ada.firstName = 'Augusta'
    await s.flush()
    expect(ada.fullName).toBe('Augusta Lovelace')
    await s.rollback()
    expect(ada.firstName).toBe('Ada')
    expect(ada.fullName).toBe('Ada Lovelace')

    await engine.execute(update(people).set({ lastName: 'Byron' }).where(eq(people.id, 1)))
    await s.refresh(ada)
    expect(ada.fullName).toBe('Ada Byron')
    expect(s.isModified(ada)).toBe(false)
    await s.rollback()
  })

  test('writing a computed field is a flush error naming it', async () => {
    const { session } = await seeded()
    await using s = session()
    const ada = (await s.get(people, 1))!
    ada.fullName = 'Countess of Lovelace'
    await expect(s.flush()).rejects.toThrow(SessionError)
    await expect(s.flush()).rejects.toThrow(PendingRollbackError)
    await s.rollback()
    expect(ada.fullName).toBe('Ada Lovelace')

    const added = s.add(people, { firstName: 'Grace', lastName: 'Hopper', fullName: 'Amazing Grace' } as never)
    await expect(s.commit()).rejects.toThrow(/people\.fullName is computed/)
    await s.rollback()
    expect(s.statusOf(added)).toBe('detached')
  })
})
