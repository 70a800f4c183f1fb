/**
 * Constraint and index names as DDL writes them, and the way back from a name (in a driver's error)
 * to its table and columns. The scheme is PostgreSQL's own (see `schema/names.ts`):
 * `<table>_pkey`, `<table>_<cols>_key` (unique), `<table>_<cols>_idx`, `<table>_<cols>_fkey`,
 * `<table>_<name>_check`, and `<table>_<col>_check` for an enum's CHECK, shortened by
 * `physicalName` beyond 63 bytes. `defineSchema` makes them unique across the schema.
 */
import type { Node } from '../ast/nodes.js'
import { checkName, constraintName, physicalName } from '../schema/names.js'
import type { ColumnMeta, SchemaMeta, TableMeta } from '../schema/meta.js'

export { physicalName }

/** What a constraint or index name stands for. */
export interface ConstraintTarget {
  readonly kind: 'primaryKey' | 'unique' | 'index' | 'foreignKey' | 'check'
  /** The name as written in DDL. */
  readonly name: string
  readonly table: TableMeta
  /** The constrained columns (for a check: the columns its expression names). */
  readonly columns: readonly ColumnMeta[]
}

/** The name of the CHECK listing an enum column's values. */
export function enumCheckName(table: TableMeta, column: ColumnMeta): string {
  return checkName(table.name, column.name)
}

/** Every named constraint and index of one table, as DDL writes them. */
export function tableConstraints(table: TableMeta): ConstraintTarget[] {
  const columns = (keys: readonly string[]) => keys.map((k) => table.columns[k])
  const target = (kind: ConstraintTarget['kind'], name: string, cols: readonly ColumnMeta[]): ConstraintTarget => ({ kind, name: physicalName(name), table, columns: cols })
  const out: ConstraintTarget[] = []
  if (table.primaryKey.length > 0) out.push(target('primaryKey', constraintName(table.name, [], 'pkey'), columns(table.primaryKey)))
  for (const u of table.uniques) out.push(target('unique', u.name, columns(u.columns)))
  for (const i of table.indexes) out.push(target(i.unique ? 'unique' : 'index', i.name, columns(i.columns)))
  for (const fk of table.foreignKeys) out.push(target('foreignKey', fk.name, columns(fk.columns)))
  for (const c of table.checks) out.push(target('check', c.name, columnsIn(c.expr, table)))
  for (const c of table.columnList) if (c.type === 'enum' && !c.computed) out.push(target('check', enumCheckName(table, c), [c]))
  return out
}

const BY_NAME = new WeakMap<SchemaMeta, Map<string, ConstraintTarget>>()

/**
 * The table and columns behind a constraint or index name, for error normalisation.
 * @example constraintTarget(schemaMeta, 'posts_author_id_fkey') // { kind: 'foreignKey', table: posts, columns: [authorId] }
 */
export function constraintTarget(schema: SchemaMeta, name: string): ConstraintTarget | undefined {
  let byName = BY_NAME.get(schema)
  if (!byName) {
    byName = new Map()
    for (const table of Object.values(schema.tables)) for (const c of tableConstraints(table)) byName.set(c.name, c)
    BY_NAME.set(schema, byName)
  }
  return byName.get(name) ?? byName.get(name.slice(name.lastIndexOf('.') + 1))
}

function columnsIn(node: Node, table: TableMeta): ColumnMeta[] {
  const found = new Set<ColumnMeta>()
  const visit = (n: Node): void => {
    if (n.kind === 'column') found.add(table.columns[n.key] ?? n.meta)
    else if (n.kind === 'identifier') {
      const column = table.columnList.find((c) => c.name === n.names[n.names.length - 1])
      if (column) found.add(column)
    } else if (n.kind === 'raw') n.args.forEach(visit)
  }
  visit(node)
  return [...found]
}
