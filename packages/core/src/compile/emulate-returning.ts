/**
 * RETURNING where the dialect has none (MySQL): what the engine runs instead. An insert re-selects
 * its rows by the range of generated ids; an update runs in one transaction as three statements:
 * lock the matching rows' keys (`FOR UPDATE`, computing the new keys too), update by those keys,
 * then select the returned columns by the new keys.
 */
import { withNode } from '../ast/brand.js'
import type { InsertNode, Node, StatementNode, UpdateNode } from '../ast/nodes.js'
import type { Dialect } from '../dialects/dialect.js'
import { CompileError } from '../errors.js'
import type { CompiledQuery, InsertReturning, UpdateReturning } from './compiled.js'
import { isNode } from '../expr/nodes.js'
import { bind, context, render, selectionSql, type Ctx } from './compile.js'
import { isDefault, updateSql } from './mutations.js'

/** How the engine emulates RETURNING where the dialect has none: `undefined` when it needs not. */
export function emulation(node: StatementNode, d: Dialect): CompiledQuery['emulateReturning'] {
  if (d.capabilities.returning) return undefined
  if (node.kind === 'insert' && node.returning.length) return insertEmulation(node, d)
  if (node.kind === 'update' && node.returning.length) return updateEmulation(node, d)
  return undefined
}

/** The statement without RETURNING, where the engine emulates it (what `compile` shows and logs). */
export function withoutReturning(node: StatementNode, d: Dialect): StatementNode {
  return node.kind === 'update' && node.returning.length && !d.capabilities.returning ? withNode(node, { returning: NO_SELECTION }) : node
}

const NO_SELECTION = Object.freeze([]) as readonly never[]

function updateEmulation(node: UpdateNode, d: Dialect): UpdateReturning {
  const meta = node.table.meta
  if (meta.primaryKey.length === 0) throw new CompileError(`${d.name} cannot return rows from an update of ${meta.name}: emulation needs a primary key`)
  if (node.from) throw new CompileError(`${d.name} cannot return rows from an update of ${meta.name} that reads rows given as data`)
  const qualifier = d.quote(node.table.alias ?? meta.name)
  const keys = meta.primaryKey.map((key) => meta.columns[key])
  const keySql = (k: typeof keys[number]) => qualifier + '.' + d.quote(k.name)
  const keyColumns = keys.length === 1 ? keySql(keys[0]) : '(' + keys.map(keySql).join(', ') + ')'
  // 1. The matching rows' keys, locked, with the keys they will have (SET reads the row as it was).
  const lock = context(d)
  const newKeys = keys.map((k) => {
    const set = node.set.find((a) => a.column.meta.name === k.name)
    return set ? render(set.value, lock) : keySql(k)
  })
  let lockSql = 'SELECT ' + keys.map(keySql).concat(newKeys).join(', ') + ' FROM ' + fromTable(node, d)
  if (node.where) lockSql += ' WHERE ' + render(node.where, lock)
  lockSql += ' FOR UPDATE'
  // 2. The update itself, by the locked keys (the engine appends `WHERE keys IN (…)`).
  const change = context(d)
  const updatePrefix = updateSql(withNode(node, { where: undefined, everyRow: true, returning: NO_SELECTION }), change)
  // 3. The returned columns, by the new keys.
  const back = context(d)
  const selectPrefix = 'SELECT ' + node.returning.map((s) => selectionSql(s, back)).join(', ') + ' FROM ' + fromTable(node, d)
  noParams(meta.name, d, lock, change, back)
  return { kind: 'update', table: meta.name, keyWidth: keys.length, keyColumns, lockSql, lockParams: lock.params, updatePrefix, updateParams: change.params, selectPrefix, selectParams: back.params }
}

function fromTable(node: UpdateNode, d: Dialect): string {
  const name = d.quote(node.table.meta.name)
  return node.table.alias ? name + ' AS ' + d.quote(node.table.alias) : name
}

/** Named placeholders (`param()`) are filled in the main statement only: refused in an emulated update. */
function noParams(table: string, d: Dialect, ...contexts: Ctx[]): void {
  if (contexts.some((c) => c.slots !== undefined)) {
    throw new CompileError(`${d.name} cannot return rows from an update of ${table} that has param() placeholders; pass the values directly`)
  }
}

/**
 * `WHERE keys IN (…)` for `count` keys of `width` columns, placeholders numbered from `first`.
 * @example keyListSql(mysqlDialect, '`t`.`id`', 1, 2, 1) // ' WHERE `t`.`id` IN (?, ?)'
 */
export function keyListSql(d: Dialect, keyColumns: string, width: number, count: number, first: number): string {
  let out = ' WHERE ' + keyColumns + ' IN ('
  let index = first
  for (let r = 0; r < count; r++) {
    out += r ? ', ' : ''
    if (width === 1) out += d.placeholder(index++)
    else {
      out += '('
      for (let i = 0; i < width; i++) out += (i ? ', ' : '') + d.placeholder(index++)
      out += ')'
    }
  }
  return out + ')'
}

/**
 * RETURNING of an insert: the rows re-selected by the range of generated ids, or by the ids the
 * rows give. A batch mixing both is refused: after an explicit id the database numbers on from it,
 * so the generated ids are no range the engine could find again.
 */
function insertEmulation(node: InsertNode, d: Dialect): InsertReturning {
  const meta = node.table.meta
  const pk = meta.primaryKey.length === 1 ? meta.columns[meta.primaryKey[0]] : undefined
  if (!pk?.autoIncrement) {
    throw new CompileError(`${d.name} cannot return rows from an insert into ${meta.name}: emulation needs a single auto-increment primary key`)
  }
  if (node.onConflict) throw new CompileError(`${d.name} cannot return rows from an upsert into ${meta.name}`)
  const ctx = context(d)
  const cols = node.returning.map((s) => selectionSql(s, ctx)).join(', ')
  const pkSql = d.quote(meta.name) + '.' + d.quote(pk.name)
  const from = 'SELECT ' + cols + ' FROM ' + d.quote(meta.name) + ' WHERE ' + pkSql
  const rowCount = Array.isArray(node.values) ? node.values.length : -1
  const keys = givenKeys(node, pk.name, d)
  if (keys !== undefined) {
    // Expressions in the selection (computed fields) bind their own parameters, ahead of the keys.
    const list = keys.map((key) => bind(ctx, key, pk)).join(', ')
    return { kind: 'insert', table: meta.name, primaryKey: pk.name, rowCount, byKeys: true, selectSql: from + ' IN (' + list + ') ORDER BY ' + pkSql, selectParams: ctx.params }
  }
  const n = ctx.params.length
  const selectSql = from + ' >= ' + d.placeholder(n + 1) + ' AND ' + pkSql + ' < ' + d.placeholder(n + 2) + ' ORDER BY ' + pkSql
  return { kind: 'insert', table: meta.name, primaryKey: pk.name, rowCount, selectSql, selectParams: ctx.params }
}

/**
 * The primary keys the rows of an insert give, when every row gives one; `undefined` when the
 * database numbers every row (the key is left out, NULL or DEFAULT in each).
 */
function givenKeys(node: InsertNode, pkName: string, d: Dialect): unknown[] | undefined {
  const at = node.columns.findIndex((c) => c.meta.name === pkName)
  const table = node.table.meta.name
  if (at < 0) return undefined
  if (!Array.isArray(node.values)) {
    throw new CompileError(`${d.name} cannot return rows from an insert into ${table} from a query that gives ${pkName}; select them afterwards`)
  }
  const rows = node.values as readonly (readonly unknown[])[]
  const keys: unknown[] = []
  for (const row of rows) {
    const cell = row[at]
    if (cell === null || cell === undefined || (isNode(cell) && isDefault(cell as Node))) continue
    if (isNode(cell)) throw new CompileError(`${d.name} cannot return rows from an insert into ${table} whose ${pkName} is an expression; give the value`)
    keys.push(cell)
  }
  if (keys.length === 0) return undefined
  if (keys.length < rows.length) {
    throw new CompileError(
      `${d.name} cannot return rows from an insert into ${table} that mixes rows that give ${pkName} with rows that leave it to the database ` +
        '(the ids generated after an explicit one cannot be found again); insert the two kinds in separate statements',
    )
  }
  return keys
}
