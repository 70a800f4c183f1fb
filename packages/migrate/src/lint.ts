/**
 * Lint rules over ops, with a severity: destructive changes, NOT NULL without a default, on
 * PostgreSQL lock-heavy operations, foreign keys without an index, drops that may be renames.
 */
import type { Dialect, ModelSchema } from '@quarry/core'
import type { Op } from './ops.js'
import { sameType } from './normalize.js'

/** One finding. */
export interface Finding {
  readonly severity: 'error' | 'warning'
  readonly rule: string
  readonly message: string
}

/**
 * The findings of a list of ops on a database shaped like `model` (the model before them).
 * @example lint([{ kind: 'dropColumn', table: 'users', column: bio }], postgresDialect, model) // [{ severity: 'warning', rule: 'destructive', … }]
 */
export function lint(ops: readonly Op[], dialect: Dialect, model?: ModelSchema): Finding[] {
  const out: Finding[] = []
  const online = !!dialect.ddl.online
  for (const op of ops) {
    switch (op.kind) {
      case 'dropTable':
        out.push({ severity: 'warning', rule: 'destructive', message: `drops table ${op.table.name} and its rows` })
        break
      case 'dropColumn':
        out.push({ severity: 'warning', rule: 'destructive', message: `drops column ${op.table}.${op.column.name} and its values` })
        break
      case 'alterColumn': {
        const { from, to } = op
        if ((from.length ?? Infinity) > (to.length ?? Infinity) || (from.precision ?? Infinity) > (to.precision ?? Infinity) || (from.scale ?? 0) > (to.scale ?? 0))
          out.push({ severity: 'warning', rule: 'destructive', message: `narrows ${op.table}.${to.name}: values may be cut or refused` })
        else if (from.type === 'enum' && to.type === 'enum' && (from.values ?? []).some((v) => !(to.values ?? []).includes(v)))
          out.push({ severity: 'warning', rule: 'destructive', message: `removes values from enum ${op.table}.${to.name}` })
        else if (!sameType({ ...from, length: undefined, precision: undefined, scale: undefined, values: undefined }, { ...to, length: undefined, precision: undefined, scale: undefined, values: undefined }))
          out.push({ severity: 'warning', rule: 'type-change', message: `changes the type of ${op.table}.${to.name} from ${from.type} to ${to.type}: values are converted${online ? ', and the table is rewritten under an exclusive lock' : ''}` })
        if (from.nullable && !to.nullable && to.default === undefined) out.push({ severity: 'warning', rule: 'not-null', message: `makes ${op.table}.${to.name} NOT NULL without a default: fails if a row holds NULL` })
        break
      }
      case 'addColumn':
        if (!op.column.nullable && op.column.default === undefined && !op.column.autoIncrement)
          out.push({ severity: 'error', rule: 'not-null', message: `adds NOT NULL column ${op.table}.${op.column.name} without a default: fails on a table that has rows` })
        if (online && op.column.default !== undefined && /\(|random|now|uuid|clock_timestamp/i.test(op.column.default) && !/^\(?CURRENT_TIMESTAMP/i.test(op.column.default.trim()))
          out.push({ severity: 'warning', rule: 'lock', message: `adds ${op.table}.${op.column.name} with a volatile default: PostgreSQL rewrites the table` })
        break
      case 'createIndex':
        if (online && !op.concurrently && model?.tables.some((t) => t.name === op.table))
          out.push({ severity: 'warning', rule: 'lock', message: `CREATE INDEX ${op.index.name} blocks writes to ${op.table} while it builds: consider { concurrently: true }` })
        break
      case 'addForeignKey': {
        if (online && !op.notValid && model?.tables.some((t) => t.name === op.table))
          out.push({ severity: 'warning', rule: 'lock', message: `foreign key ${op.foreignKey.name} checks every row under lock: consider { notValid: true } and validateConstraint later` })
        break
      }
      default:
        break
    }
  }
  out.push(...unindexedForeignKeys(ops, model))
  out.push(...possibleRenames(ops).map((r) => ({ severity: 'warning' as const, rule: 'possible-rename', message: `${r.table}: ${r.from} dropped and ${r.to} added with the same type: if this is a rename, set renamedFrom: '${r.from}' on ${r.to}` })))
  return out
}

/** Foreign keys added (or created with a table) whose columns no index starts with. */
function unindexedForeignKeys(ops: readonly Op[], model?: ModelSchema): Finding[] {
  const out: Finding[] = []
  const indexed = (table: string, columns: readonly string[]) => {
    const t = model?.tables.find((x) => x.name === table)
    const created = ops.find((o) => o.kind === 'createTable' && o.table.name === table)
    const lists = [
      ...(t ? [...t.indexes, ...t.uniques].map((i) => i.columns) : []),
      ...(t ? [t.primaryKey] : []),
      ...(created && created.kind === 'createTable' ? [...created.table.indexes, ...created.table.uniques].map((i) => i.columns).concat([created.table.primaryKey]) : []),
      ...ops.flatMap((o) => (o.kind === 'createIndex' && o.table === table ? [o.index.columns] : o.kind === 'addUnique' && o.table === table ? [o.unique.columns] : [])),
    ]
    return lists.some((l) => columns.every((c, i) => l[i] === c))
  }
  for (const op of ops) {
    const fks = op.kind === 'createTable' ? op.table.foreignKeys.map((fk) => ({ table: op.table.name, fk })) : op.kind === 'addForeignKey' ? [{ table: op.table, fk: op.foreignKey }] : []
    for (const { table, fk } of fks) if (!indexed(table, fk.columns)) out.push({ severity: 'warning', rule: 'unindexed-fk', message: `foreign key ${fk.name} on ${table} (${fk.columns.join(', ')}) has no index: deletes in ${fk.table} scan ${table}` })
  }
  return out
}

/** A column dropped and another added in the same table with the same type, with no hint: maybe a rename. */
export function possibleRenames(ops: readonly Op[]): { table: string; from: string; to: string }[] {
  const out: { table: string; from: string; to: string }[] = []
  for (const drop of ops) {
    if (drop.kind !== 'dropColumn') continue
    const add = ops.find((o) => o.kind === 'addColumn' && o.table === drop.table && sameType(o.column, drop.column))
    if (add && add.kind === 'addColumn') out.push({ table: drop.table, from: drop.column.name, to: add.column.name })
  }
  return out
}
