/**
 * Constraint and index names unique across a schema. PostgreSQL and SQLite keep index names per
 * schema and MySQL foreign-key names per database, and `CREATE INDEX IF NOT EXISTS` skips an index
 * whose name another table's index already has: `ux_y` with a unique index on `z` and `ux` with one
 * on `y_z` were both `ux_y_z_key`, and the second was never created. A generated name that would
 * collide gets `_` and 8 hex digits of a hash of its table and name (the first declared keeps its
 * plain name, so the names of a schema without collisions never change); a name given in the
 * schema that collides is a SchemaError naming both tables.
 */
import { SchemaError } from '../errors.js'
import type { TableMeta } from './meta.js'
import { checkName, constraintName, nameHash, physicalName } from './names.js'

/** Who holds a name. */
interface Holder {
  readonly table: TableMeta
  readonly what: string
  /** The schema gave this name (it cannot move). */
  readonly given?: boolean
}

/**
 * Renames, in place, the generated constraint and index names of `tables` that would collide,
 * and refuses a given name (`given` holds the index entries whose name the schema declared) that collides.
 */
export function makeNamesUnique(tables: readonly TableMeta[], given: ReadonlySet<object>): void {
  const taken = new Map<string, Holder>()
  // Names that cannot move: the primary keys' and enum CHECKs' (introspection finds an enum's values by that name).
  for (const table of tables) {
    if (table.primaryKey.length > 0) taken.set(physicalName(constraintName(table.name, [], 'pkey')), { table, what: 'the primary key' })
    for (const column of table.columnList) {
      const name = physicalName(checkName(table.name, column.name))
      if (column.type === 'enum' && !column.computed && !taken.has(name)) taken.set(name, { table, what: `the CHECK of enum column ${column.key}` })
    }
  }
  for (const table of tables) {
    for (const index of [...table.indexes, ...table.uniques]) {
      if (!given.has(index)) continue
      const what = `${table.uniques.includes(index) ? 'unique constraint' : 'index'} on ${index.columns.join(', ')}`
      const holder = taken.get(physicalName(index.name))
      if (holder) throw collision(index.name, { table, what, given: true }, holder)
      taken.set(physicalName(index.name), { table, what, given: true })
    }
  }
  // Foreign-key and CHECK names the schema gave never move either. Databases keep them per table
  // (PostgreSQL, MariaDB's checks) or per database (MySQL's keys), so one may repeat across tables;
  // a generated name that meets one yields to it.
  for (const table of tables) {
    for (const entry of [...table.foreignKeys, ...table.checks]) {
      if (given.has(entry) && !taken.has(physicalName(entry.name))) taken.set(physicalName(entry.name), { table, what: `${'expr' in entry ? 'CHECK' : 'foreign key'} ${entry.name}` })
    }
  }
  for (const table of tables) {
    const unique = <T extends { readonly name: string }>(entry: T, what: string): T => {
      if (given.has(entry)) return entry
      const name = freeName(entry.name, { table, what }, taken)
      taken.set(physicalName(name), { table, what })
      return name === entry.name ? entry : { ...entry, name }
    }
    Object.assign(table, {
      uniques: table.uniques.map((u) => unique(u, `unique constraint on ${u.columns.join(', ')}`)),
      indexes: table.indexes.map((i) => unique(i, `index on ${i.columns.join(', ')}`)),
      foreignKeys: table.foreignKeys.map((fk) => unique(fk, `foreign key on ${fk.columns.join(', ')}`)),
      checks: table.checks.map((c) => unique(c, `CHECK ${c.name}`)),
    })
  }
}

/** `name`, or `name_<hash>` when another constraint holds it; a given name holding it is an error. */
function freeName(name: string, claimant: Holder, taken: ReadonlyMap<string, Holder>): string {
  const holder = taken.get(physicalName(name))
  if (holder === undefined) return name
  if (holder.given) throw collision(name, holder, claimant)
  for (let attempt = 0; ; attempt++) {
    const candidate = `${name}_${nameHash(`${claimant.table.name}\u0000${name}${attempt === 0 ? '' : `\u0000${attempt}`}`)}`
    if (!taken.has(physicalName(candidate))) return candidate
  }
}

/** The error for a name the schema gave (`given`) that another constraint or index has too. */
function collision(name: string, given: Holder, other: Holder): SchemaError {
  const where = other.table === given.table ? 'the same table' : `table ${other.table.key}`
  return new SchemaError(
    `table ${given.table.key}: the name '${name}' given to its ${given.what} is also the name of ${other.what} of ${where}` +
      (other.table === given.table ? '' : ' (index and constraint names are shared by every table of a schema)') +
      '; give the index another name',
  )
}
