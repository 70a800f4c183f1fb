/**
 * The flush as data, without a database: from entities and their changes, the exact ordered
 * steps a flush will run (inserts, updates, association rows, post-updates, deletes), cycles
 * included.
 */
import { defineSchema, type AnyTable } from '@quarry/core'
import { expect, test } from 'vitest'
import { cascadeSaves, markDeleted, markOrphans } from '../../packages/orm/src/cascade'
import { loadRelation, stateOf, type Entity, type EntityState } from '../../packages/orm/src/entity'
import { planFlush } from '../../packages/orm/src/flush-plan'
import { flushSteps, type Step } from '../../packages/orm/src/flush-steps'
import { addObject, adopt, createRegistry, type Registry } from '../../packages/orm/src/registry'
import { tableInfo } from '../../packages/orm/src/tables'
import { posts, tags, users } from '../support/blog-schema'
import { departments, employees, nodes } from './orm-schema'

const name = (s: EntityState): string => String(s.obj.username ?? s.obj.title ?? s.obj.name ?? s.obj.label ?? s.obj.id)
const names = (rows: readonly EntityState[]) => rows.map(name).join(', ')

/** One line per step: what it does, to which rows. */
function describe(steps: readonly Step[]): string[] {
  return steps.map((step) => {
    switch (step.kind) {
      case 'insert':
      case 'delete':
        return `${step.kind} ${step.info.meta.key} [${names(step.rows)}]`
      case 'update':
        return `update ${step.info.meta.key} [${step.rows.map((s, i) => `${name(s)}: ${step.changed[i]?.map((c) => step.info.stored[c].key).join(' ') ?? 'bound'}`).join(', ')}]`
      case 'insertLinks':
      case 'deleteLinks':
        return `${step.kind} ${step.info.meta.key} [${step.links.map((l) => `${name(l.source)}-${name(l.target)}`).join(', ')}]`
      case 'purgeLinks':
        return `purgeLinks ${step.info.meta.key} [${step.purge.columns.join(' ')} of ${names(step.purge.states)}]`
      case 'postUpdate':
        return `postUpdate [${step.bindings.map((b) => `${b.child.info.meta.key}.${b.column} of ${name(b.child)} = ${b.parent ? name(b.parent) : 'null'}`).join(', ')}]`
      case 'clearKeys':
        return `clearKeys [${step.pointers.map((p) => `${p.source.info.meta.key}.${p.column.key} of ${name(p.source)}`).join(', ')}]`
    }
  })
}

/** The steps a flush of `reg` would run (the save cascades and orphan marking first, as a flush does). */
function stepsOf(reg: Registry): string[] {
  cascadeSaves(reg)
  markOrphans(reg)
  const plan = planFlush(reg)
  return describe(flushSteps(plan).steps)
}

function session() {
  const reg = createRegistry({})
  return {
    reg,
    add: (table: AnyTable, obj: Entity): Entity => addObject(reg, obj, tableInfo(table)).obj,
    /** A row as if read from the database. */
    loaded: (table: AnyTable, row: Entity): Entity => adopt(reg, row, tableInfo(table)).obj,
    remove: (obj: Entity) => markDeleted(reg, stateOf(obj)!),
  }
}

test('new objects nested in each other: referenced tables first, then the association rows', () => {
  const s = session()
  s.add(posts, { title: 'Guide', body: '…', author: { username: 'alice', email: 'a@x' }, tags: [{ name: 'python' }, { name: 'sql' }] })
  s.add(posts, { title: 'Notes', body: '…', authorId: 7, tags: [] })
  expect(stepsOf(s.reg)).toEqual([
    'insert users [alice]',
    'insert posts [Guide, Notes]',
    'insert tags [python, sql]',
    'insertLinks postTags [Guide-python, Guide-sql]',
  ])
})

test('loaded rows: only changed ones are updated, with their changed columns; a moved child is bound to its new parent', () => {
  const s = session()
  const alice = s.loaded(users, { id: 1, username: 'alice', email: 'a@x', bio: null })
  s.loaded(users, { id: 2, username: 'bob', email: 'b@x', bio: null })
  const post = s.loaded(posts, { id: 10, title: 'Guide', body: '…', authorId: 2 })
  s.loaded(posts, { id: 11, title: 'Notes', body: '…', authorId: 2 })
  alice.email = 'alice@x'
  alice.bio = 'hi'
  post.title = 'Guide, 2nd edition'
  post.author = alice
  expect(stepsOf(s.reg)).toEqual(['update users [alice: email bio]', 'update posts [Guide, 2nd edition: bound]'])
})

test('association rows: removed and added members of a loaded collection', () => {
  const s = session()
  const post = s.loaded(posts, { id: 10, title: 'Guide', body: '…', authorId: 1 })
  const python = s.loaded(tags, { id: 1, name: 'python' })
  const sql = s.loaded(tags, { id: 2, name: 'sql' })
  const go = s.loaded(tags, { id: 3, name: 'go' })
  // As selectinload leaves it: the collection loaded, what it held recorded.
  loadRelation(stateOf(post)!, tableInfo(posts).relationsByKey.tags, [python, sql])
  ;(post.tags as Entity[]).splice(0, 1, go)
  expect(stepsOf(s.reg)).toEqual(['insertLinks postTags [Guide-go]', 'deleteLinks postTags [Guide-python]'])
})

test('a self-referencing table inserts in waves, parents first', () => {
  const s = session()
  s.add(nodes, { id: 1, label: 'root', children: [{ id: 2, label: 'child', children: [{ id: 4, label: 'grandchild' }] }, { id: 3, label: 'sibling' }] })
  expect(stepsOf(s.reg)).toEqual(['insert nodes [root]', 'insert nodes [child, sibling]', 'insert nodes [grandchild]'])
})

test('a cycle of new rows is broken as data: the nullable key is left for a post-update', () => {
  const s = session()
  const sales = s.add(departments, { id: 1, name: 'sales' })
  const ann = s.add(employees, { id: 5, name: 'ann', department: sales })
  sales.manager = ann
  expect(stepsOf(s.reg)).toEqual(['insert departments [sales]', 'insert employees [ann]', 'postUpdate [departments.managerId of sales = ann]'])
})

test('a row pointing at itself is inserted with the key NULL, then post-updated', () => {
  const s = session()
  const loop = s.add(nodes, { id: 1, label: 'loop' })
  loop.parent = loop
  expect(stepsOf(s.reg)).toEqual(['insert nodes [loop]', 'postUpdate [nodes.parentId of loop = loop]'])
})

test('deletes run in reverse dependency order; a deleted post takes its association rows first', () => {
  const s = session()
  const alice = s.loaded(users, { id: 1, username: 'alice', email: 'a@x', bio: null })
  const post = s.loaded(posts, { id: 10, title: 'Guide', body: '…', authorId: 1 })
  s.remove(post)
  s.remove(alice)
  expect(stepsOf(s.reg)).toEqual(['purgeLinks postTags [postId of Guide]', 'delete posts [Guide]', 'delete users [alice]'])
})

test('deleting a chain of self-referencing rows: children before their parents', () => {
  const s = session()
  const root = s.loaded(nodes, { id: 1, parentId: null, label: 'root' })
  const child = s.loaded(nodes, { id: 2, parentId: 1, label: 'child' })
  const leaf = s.loaded(nodes, { id: 3, parentId: 2, label: 'leaf' })
  for (const n of [root, child, leaf]) s.remove(n)
  expect(stepsOf(s.reg)).toEqual(['delete nodes [leaf]', 'delete nodes [child]', 'delete nodes [root]'])
})

test('deleting a cycle of rows: its nullable keys are cleared first', () => {
  const s = session()
  const sales = s.loaded(departments, { id: 1, name: 'sales', managerId: 5 })
  const ann = s.loaded(employees, { id: 5, name: 'ann', departmentId: 1 })
  s.remove(ann)
  s.remove(sales)
  expect(stepsOf(s.reg)).toEqual(['clearKeys [departments.managerId of sales]', 'delete employees [ann]', 'delete departments [sales]'])
})

/** Two tables that each require the other: new rows of both cannot be ordered. */
const locked = defineSchema({
  eggs: { columns: { id: { type: 'integer', primaryKey: true }, henId: { type: 'integer', references: 'hens.id' } }, relations: { hen: { one: 'hens' } } },
  hens: { columns: { id: { type: 'integer', primaryKey: true }, eggId: { type: 'integer', references: 'eggs.id' } }, relations: { egg: { one: 'eggs' } } },
})

test('a cycle of NOT NULL keys among new rows cannot be ordered, and the error names the tables', () => {
  const s = session()
  const egg = s.add(locked.eggs, { id: 1 })
  const hen = s.add(locked.hens, { id: 1, egg })
  egg.hen = hen
  expect(() => stepsOf(s.reg)).toThrow('cannot order the inserts of eggs, hens: their rows refer to each other through NOT NULL foreign keys')
})
