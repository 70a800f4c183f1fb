/**
 * DROP statements for a schema: the reverse of creation order, so no table is dropped while
 * another of the schema still references it. Foreign keys closing a cycle are dropped first, or
 * enforcement is suspended, as the dialect allows.
 */
import type { Dialect } from '../dialects/dialect.js'
import type { SchemaMeta } from '../schema/meta.js'
import { physicalName } from './constraint-names.js'
import { creationOrder } from './order.js'

/**
 * The statements dropping every table of a schema that exists, to run in order on one connection.
 * @example dropAllStatements(meta, sqlite) // ['DROP TABLE IF EXISTS "post_tags"', 'DROP TABLE IF EXISTS "tags"', …]
 */
export function dropAllStatements(schema: SchemaMeta, dialect: Dialect): string[] {
  const hooks = dialect.ddl
  const { tables, deferred } = creationOrder(schema)
  const q = (name: string) => dialect.quote(name)
  const out: string[] = []
  const suspend = deferred.size > 0 && !hooks.dropForeignKey ? hooks.suspendForeignKeys : undefined
  if (suspend) out.push(suspend[0])
  if (hooks.dropForeignKey) {
    for (const fk of deferred) {
      const table = tables.find((t) => t.foreignKeys.includes(fk))!
      out.push(hooks.dropForeignKey(table.name, physicalName(fk.name), q))
    }
  }
  for (const table of [...tables].reverse()) out.push(`DROP TABLE IF EXISTS ${q(table.name)}`)
  if (suspend) out.push(suspend[1])
  return out
}
