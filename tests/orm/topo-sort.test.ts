/** The flush's table order, without a database: dependencies first, cycles grouped. */
import { expect, test } from 'vitest'
import { sortComponents } from '../../packages/orm/src/topo-sort'

test('dependencies come first; independent nodes keep input order', () => {
  const deps: Record<string, string[]> = { postTags: ['posts', 'tags'], posts: ['users'], users: [], tags: [] }
  const order = sortComponents(['postTags', 'posts', 'users', 'tags'], (n) => deps[n])
  expect(order.map((c) => c.nodes)).toEqual([['users'], ['posts'], ['tags'], ['postTags']])
  expect(order.every((c) => !c.cyclic)).toBe(true)
})

test('self-references and cycles form cyclic components', () => {
  const deps: Record<string, string[]> = { nodes: ['nodes'], departments: ['employees'], employees: ['departments'], audit: ['employees'] }
  const order = sortComponents(['audit', 'nodes', 'departments', 'employees'], (n) => deps[n])
  expect(order.map((c) => [c.nodes.slice().sort(), c.cyclic])).toEqual([
    [['departments', 'employees'], true],
    [['audit'], false],
    [['nodes'], true],
  ])
})
