/**
 * The order tables are created in: every table after the tables its foreign keys reference. A
 * cycle is broken at the first table (in declaration order) that cannot wait; its foreign keys to
 * tables not yet created are `deferred`.
 */
import type { ForeignKeyMeta, SchemaMeta, TableMeta } from '../schema/meta.js'

/** Tables in creation order, and the foreign keys that point forward in it. */
export interface CreationOrder {
  readonly tables: readonly TableMeta[]
  readonly deferred: ReadonlySet<ForeignKeyMeta>
}

/**
 * Topological order of a schema's tables by foreign key; self-references never wait.
 * @example creationOrder(meta).tables.map((t) => t.name) // ['users', 'posts', 'tags', 'post_tags']
 */
export function creationOrder(schema: SchemaMeta): CreationOrder {
  const remaining = Object.values(schema.tables)
  const created = new Set<string>()
  const tables: TableMeta[] = []
  const deferred = new Set<ForeignKeyMeta>()
  const waitsFor = (table: TableMeta) => table.foreignKeys.filter((fk) => fk.table !== table.key && !created.has(fk.table))
  while (remaining.length > 0) {
    let index = remaining.findIndex((t) => waitsFor(t).length === 0)
    if (index === -1) {
      index = 0
      for (const fk of waitsFor(remaining[0])) deferred.add(fk)
    }
    const [table] = remaining.splice(index, 1)
    created.add(table.key)
    tables.push(table)
  }
  return { tables, deferred }
}
