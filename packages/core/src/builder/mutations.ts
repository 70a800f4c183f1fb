/**
 * `insert`, `update` and `deleteFrom`: immutable builders over one table, sharing WHERE and
 * RETURNING with select. Client defaults and `onUpdate` columns are applied here, once.
 */
import { blankNode, brand, brandOf, node, valueNode, withNode } from '../ast/brand.js'
import type { AssignmentNode, ColumnNode, CompoundNode, SelectNode, DeleteNode, ExcludedNode, InsertNode, Node, RawNode, UpdateNode } from '../ast/nodes.js'
import { ArgumentError, SchemaError } from '../errors.js'
import type { Condition, Expr } from '../expr/expr.types.js'
import { isNode, operand, tableNode } from '../expr/nodes.js'
import type { ColumnMeta, TableMeta } from '../schema/meta.js'
import { TABLE } from '../schema/symbols.js'
import type { AnyTable, NewRow, Row, RowPatch, ScopeOf } from '../schema/table.types.js'
import { andWhere, selectionNodes, sourceColumns } from './clauses.js'
import type { Executable, FilterCheck, Typed } from './executable.js'
import type { ResultRow } from './select.types.js'
import { outputsOf } from './derived.js'

/** The `DEFAULT` keyword in a VALUES row (a column some rows set and others leave out). */
export const DEFAULT_VALUE: RawNode = node({ kind: 'raw', parts: Object.freeze(['DEFAULT']), args: Object.freeze([]) })

/** Values for `update().set()` and upsert: a value or an expression, per column. */
export type SetValues<TTable> = { [K in keyof RowPatch<TTable>]?: RowPatch<TTable>[K] | Expr<RowPatch<TTable>[K], ScopeOf<TTable>> }

/** How SET is ordered where the database runs it left to right (MySQL). */
export interface SetOptions {
  /**
   * `'as written'`: the assignments run in the order given (raw SQL reads what that order lets
   * it); column references still reorder them, so they read the row as it was.
   */
  readonly order?: 'as written'
}

type Returned<TSel> = ResultRow<TSel, never>

/** An INSERT under construction; `TRow` is what RETURNING gives (`never` without it). */
export interface InsertBuilder<TTable extends AnyTable, TRow = never> extends Typed<TRow> {
  readonly ast: InsertNode
  /** One row or many; columns with a client default are filled in. */
  values(rows: NewRow<TTable> | readonly NewRow<TTable>[]): InsertBuilder<TTable, TRow>
  /** `INSERT … SELECT`: the query's output keys name the columns. */
  fromSelect(query: Executable<Partial<Row<TTable>>>): InsertBuilder<TTable, TRow>
  /** Skip rows that conflict (`ON CONFLICT DO NOTHING`; MySQL: a no-op `ON DUPLICATE KEY UPDATE`). */
  onConflictDoNothing(options?: { target?: ColumnNode | readonly ColumnNode[] }): InsertBuilder<TTable, TRow>
  /**
   * Upsert (`ON CONFLICT (target) DO UPDATE SET …`; MySQL: `ON DUPLICATE KEY UPDATE`, where the
   * target is every unique key). Use `excluded(col)` for the proposed value.
   */
  onConflictDoUpdate(options: { target: ColumnNode | readonly ColumnNode[]; set: SetValues<TTable>; where?: Condition<ScopeOf<TTable>> } & SetOptions): InsertBuilder<TTable, TRow>
  /** Return the inserted rows (emulated on MySQL by the insert id range and a re-select). */
  returning(): InsertBuilder<TTable, Row<TTable>>
  returning<const TSel extends Record<string, Expr<unknown, ScopeOf<TTable>>>>(selection: TSel): InsertBuilder<TTable, Returned<TSel>>
}

/**
 * An UPDATE under construction. `TFiltered` is true once it says which rows it changes
 * (`where()` or `.all()`); until then running it is a compile error, and a `CompileError` from
 * untyped code.
 */
export interface UpdateBuilder<TTable extends AnyTable, TRow = never, TFiltered extends boolean = false> extends Typed<TRow>, FilterCheck<TFiltered, 'update'> {
  readonly ast: UpdateNode
  /**
   * Columns to set, to values or expressions; `onUpdate` columns are refreshed unless set here.
   * Every expression reads the row as it was. Where SET runs left to right (MySQL) the assignments
   * are reordered by the columns they read; raw SQL naming a column set beside it that no order
   * can honour is refused, unless `{ order: 'as written' }` states that its written order is right.
   */
  set(values: SetValues<TTable>, options?: SetOptions): UpdateBuilder<TTable, TRow, TFiltered>
  /**
   * The rows to update: conditions joined with AND (also across calls). `undefined`, no
   * condition and an empty `and()` are an `ArgumentError` (they would update every row).
   * @example update(users).set({ bio: null }).where(eq(users.id, 1))
   */
  where(condition: Condition<ScopeOf<TTable>>, ...more: Condition<ScopeOf<TTable>>[]): UpdateBuilder<TTable, TRow, true>
  /**
   * Update every row of the table, on purpose (an update with neither `where()` nor `.all()` is refused).
   * @example update(users).set({ bio: null }).all() // UPDATE "users" SET "bio" = $1
   */
  all(): UpdateBuilder<TTable, TRow, true>
  /** Return the updated rows (refused on MySQL, which cannot). */
  returning(): UpdateBuilder<TTable, Row<TTable>, TFiltered>
  returning<const TSel extends Record<string, Expr<unknown, ScopeOf<TTable>>>>(selection: TSel): UpdateBuilder<TTable, Returned<TSel>, TFiltered>
}

/**
 * A DELETE under construction. `TFiltered` is true once it says which rows it deletes
 * (`where()` or `.all()`); until then running it is a compile error, and a `CompileError` from
 * untyped code.
 */
export interface DeleteBuilder<TTable extends AnyTable, TRow = never, TFiltered extends boolean = false> extends Typed<TRow>, FilterCheck<TFiltered, 'delete'> {
  readonly ast: DeleteNode
  /**
   * The rows to delete: conditions joined with AND (also across calls). `undefined`, no
   * condition and an empty `and()` are an `ArgumentError` (they would delete every row).
   * @example deleteFrom(sessions).where(lt(sessions.expiresAt, new Date()))
   */
  where(condition: Condition<ScopeOf<TTable>>, ...more: Condition<ScopeOf<TTable>>[]): DeleteBuilder<TTable, TRow, true>
  /**
   * Delete every row of the table, on purpose (a delete with neither `where()` nor `.all()` is refused).
   * @example deleteFrom(sessions).all() // DELETE FROM "sessions"
   */
  all(): DeleteBuilder<TTable, TRow, true>
  /** Return the deleted rows (refused on MySQL, which cannot). */
  returning(): DeleteBuilder<TTable, Row<TTable>, TFiltered>
  returning<const TSel extends Record<string, Expr<unknown, ScopeOf<TTable>>>>(selection: TSel): DeleteBuilder<TTable, Returned<TSel>, TFiltered>
}

interface MutationState<TNode> {
  readonly ast: TNode
  readonly table: AnyTable
}

function make<TNode>(methods: object, table: AnyTable, ast: TNode): never {
  const builder = Object.create(methods) as { -readonly [K in keyof MutationState<TNode>]: MutationState<TNode>[K] }
  builder.ast = ast
  builder.table = table
  return Object.freeze(builder) as never
}

/** A bound value of a column (the hot path of update sets: no node sniffing for primitives). */
function valueOf(value: unknown, column: ColumnMeta): Node {
  return typeof value === 'object' && value !== null ? operand(value, column) : valueNode(value, column)
}

/** An insert cell: the plain value itself, or a node for expressions, tables and subqueries. */
function cellOf(value: unknown, column: ColumnMeta): unknown {
  return brandOf(value) !== undefined ? operand(value, column) : value
}

function metaOf(table: AnyTable): TableMeta {
  return table[TABLE]
}

type Verb = 'insert into' | 'update' | 'upsert into'

/** The column ref of `key`; errors name the statement and table (`update users: …`). */
function columnRef(table: AnyTable, key: string, verb: Verb): ColumnNode {
  const ref = (table as unknown as Record<string, Node>)[key]
  if (ref !== undefined && ref.kind === 'column') return ref
  const meta = metaOf(table)
  if (meta.columns[key]?.computed) throw new SchemaError(`${verb} ${meta.key}: '${key}' is computed and cannot be set`)
  throw new SchemaError(`${verb} ${meta.key}: table ${meta.key} has no column '${key}'`)
}

function assignments(table: AnyTable, values: object, verb: Verb): AssignmentNode[] {
  const out: AssignmentNode[] = []
  for (const key in values) {
    const value = (values as Record<string, unknown>)[key]
    if (value === undefined) continue
    const column = columnRef(table, key, verb)
    const assignment = blankNode<AssignmentNode>()
    assignment.kind = 'assignment'
    assignment.column = column
    assignment.value = valueOf(value, column.meta)
    out.push(Object.freeze(assignment))
  }
  return out
}

function returningOf(table: AnyTable, selection?: object) {
  return selection !== undefined ? selectionNodes(selection, 'returning()').nodes : sourceColumns(table)
}

const returningMethod = {
  returning(this: MutationState<{ returning: unknown }>, selection?: object) {
    return make(Object.getPrototypeOf(this), this.table, withNode(this.ast as InsertNode | UpdateNode | DeleteNode, { returning: returningOf(this.table, selection) }))
  },
}

function insertableKey(meta: TableMeta, key: string): string {
  const column = meta.columns[key]
  if (!column) throw new SchemaError(`insert into ${meta.key}: unknown column '${key}'`)
  if (column.computed) throw new SchemaError(`insert into ${meta.key}: '${key}' is computed and cannot be set`)
  return key
}

/** The insert columns: those in `present`, then those with a client default, in table order. */
function insertColumns(meta: TableMeta, present: ReadonlySet<string>): ColumnMeta[] {
  return meta.columnList.filter((c) => present.has(c.key) || (c.hasDefault && !c.computed))
}

/** A row's cell for a column from the row's value: the client default or `DEFAULT` when it is undefined. */
function cellFor(value: unknown, c: ColumnMeta): unknown {
  return (
    value !== undefined ? cellOf(value, c)
    : c.hasDefault ? cellOf(typeof c.default === 'function' ? (c.default as () => unknown)() : c.default, c)
    : DEFAULT_VALUE
  )
}

/**
 * The columns and cell rows of `values()`. The list of rows is frozen; each row is readonly by
 * type only, since freezing a hundred small arrays costs more than building and compiling them.
 */
function insertRows(table: AnyTable, rows: readonly Record<string, unknown>[]): Pick<InsertNode, 'columns' | 'values'> {
  return sameShapeRows(table, rows) ?? anyShapeRows(table, rows)
}

/** How rows with one list of keys map onto an insert's columns. */
interface RowPlan {
  readonly keys: readonly string[]
  readonly columns: readonly ColumnMeta[]
  readonly refs: readonly ColumnNode[]
  /** The cell index of each key. */
  readonly slots: readonly number[]
}

/** The last plan per table: repeated inserts of one kind of row check their keys only once. */
const lastPlan = new WeakMap<AnyTable, RowPlan>()

function rowPlan(table: AnyTable, keys: readonly string[]): RowPlan {
  const last = lastPlan.get(table)
  if (last && last.keys.length === keys.length && last.keys.every((key, i) => key === keys[i])) return last
  const meta = metaOf(table)
  const columns = insertColumns(meta, new Set(keys.map((key) => insertableKey(meta, key))))
  const refs = Object.freeze(columns.map((c) => columnRef(table, c.key, 'insert into')))
  const plan = { keys, columns, refs, slots: keys.map((key) => columns.findIndex((c) => c.key === key)) }
  lastPlan.set(table, plan)
  return plan
}

/**
 * The usual case, fast: every row has the first row's keys in the same order, and the first row
 * sets them all. Rows are read with `for…in` (V8 loads those by field index, where
 * `row[column.key]` goes through a megamorphic lookup). `undefined` for rows of another kind,
 * found before any client default is computed.
 */
function sameShapeRows(table: AnyTable, rows: readonly Record<string, unknown>[]): Pick<InsertNode, 'columns' | 'values'> | undefined {
  const keys: string[] = []
  for (const key in rows[0]) {
    if (rows[0][key] === undefined) return undefined
    keys.push(key)
  }
  const { columns, refs, slots } = rowPlan(table, keys)
  const width = columns.length
  const values = new Array<unknown[]>(rows.length)
  // Defaults (which may call user functions) wait until every row is known to fit.
  let defaults = width > keys.length
  for (let r = 0; r < rows.length; r++) {
    const row = rows[r]
    const cells = new Array<unknown>(width)
    let k = 0
    for (const key in row) {
      if (key !== keys[k]) return undefined
      const slot = slots[k++]
      const value = row[key]
      if (value === undefined) defaults = true
      else cells[slot] = cellOf(value, columns[slot])
    }
    if (k !== keys.length) return undefined
    values[r] = cells
  }
  if (defaults) for (const cells of values) for (let i = 0; i < width; i++) if (cells[i] === undefined) cells[i] = cellFor(undefined, columns[i])
  return { columns: refs, values: Object.freeze(values) }
}

/** Rows of any keys: the columns are those some row sets to a value other than `undefined`. */
function anyShapeRows(table: AnyTable, rows: readonly Record<string, unknown>[]): Pick<InsertNode, 'columns' | 'values'> {
  const meta = metaOf(table)
  const present = new Set<string>()
  for (const row of rows) for (const key in row) if (row[key] !== undefined && !present.has(key)) present.add(insertableKey(meta, key))
  const columns = insertColumns(meta, present)
  return {
    columns: Object.freeze(columns.map((c) => columnRef(table, c.key, 'insert into'))),
    values: Object.freeze(rows.map((row) => columns.map((c) => cellFor(row[c.key], c)))),
  }
}

function targets(target: ColumnNode | readonly ColumnNode[] | undefined): readonly ColumnNode[] {
  return Object.freeze(target === undefined ? [] : Array.isArray(target) ? [...target] : [target as ColumnNode])
}

const insertMethods = {
  ...returningMethod,
  values(this: MutationState<InsertNode>, rows: object | readonly object[]) {
    const list = (Array.isArray(rows) ? rows : [rows]) as Record<string, unknown>[]
    if (list.length === 0) throw new SchemaError(`insert into ${metaOf(this.table).key}: values() needs at least one row`)
    const { columns, values } = insertRows(this.table, list)
    const ast = this.ast
    return make(insertMethods, this.table, node({ kind: 'insert', ctes: ast.ctes, table: ast.table, columns, values, onConflict: ast.onConflict, returning: ast.returning }))
  },
  fromSelect(this: MutationState<InsertNode>, query: { ast: SelectNode | CompoundNode }) {
    const outputs = outputsOf(query.ast)
    const columns = outputs.map((o) => columnRef(this.table, o.alias, 'insert into'))
    return make(insertMethods, this.table, withNode(this.ast, { columns: Object.freeze(columns), values: query.ast }))
  },
  onConflictDoNothing(this: MutationState<InsertNode>, options: { target?: ColumnNode | readonly ColumnNode[] } = {}) {
    return make(insertMethods, this.table, withNode(this.ast, { onConflict: node({ kind: 'onConflict', target: targets(options.target) }) }))
  },
  onConflictDoUpdate(this: MutationState<InsertNode>, options: { target: ColumnNode | readonly ColumnNode[]; set: object; where?: unknown; order?: 'as written' }) {
    const set = Object.freeze(assignments(this.table, options.set, 'upsert into'))
    const onConflict = node({ kind: 'onConflict' as const, target: targets(options.target), set, where: options.where as Node | undefined, setOrder: options.order })
    return make(insertMethods, this.table, withNode(this.ast, { onConflict }))
  },
}

/** The `col = onUpdate` assignments of a table, made once per table object. */
const refreshCache = new WeakMap<AnyTable, readonly AssignmentNode[]>()

export function refreshAssignments(table: AnyTable): readonly AssignmentNode[] {
  let refresh = refreshCache.get(table)
  if (!refresh) {
    const meta = metaOf(table)
    refresh = Object.freeze(
      meta.columnList
        .filter((c) => c.onUpdate)
        .map((c) => node({ kind: 'assignment' as const, column: columnRef(table, c.key, 'update'), value: c.onUpdate as Node })),
    )
    refreshCache.set(table, refresh)
  }
  return refresh
}

/** An UPDATE node with every field written out: one hidden class for all of them. */
function updateNode(base: UpdateNode, patch: Partial<UpdateNode>): UpdateNode {
  const out = blankNode<UpdateNode>()
  out.kind = 'update'
  out.ctes = base.ctes
  out.table = base.table
  out.set = patch.set ?? base.set
  out.setOrder = patch.setOrder ?? base.setOrder
  out.from = base.from
  out.where = patch.where ?? base.where
  out.everyRow = patch.everyRow ?? base.everyRow
  out.returning = patch.returning ?? base.returning
  return Object.freeze(out)
}

const updateMethods = {
  returning(this: MutationState<UpdateNode>, selection?: object) {
    return make(updateMethods, this.table, updateNode(this.ast, { returning: returningOf(this.table, selection) }))
  },
  set(this: MutationState<UpdateNode>, values: object, options: SetOptions = {}) {
    const refresh = refreshAssignments(this.table)
    const added = assignments(this.table, values, 'update')
    // Earlier set() calls: their assignments stay unless set again; the refreshes are recomputed.
    const prior = this.ast.set.length === 0 ? added : this.ast.set.filter((p) => !refresh.includes(p) && !added.some((a) => a.column.key === p.column.key)).concat(added)
    const set = refresh.length === 0 ? prior : prior.concat(refresh.filter((r) => !prior.some((a) => a.column.key === r.column.key)))
    return make(updateMethods, this.table, updateNode(this.ast, { set: Object.freeze(set), setOrder: options.order }))
  },
  where(this: MutationState<UpdateNode>, ...conditions: unknown[]) {
    return make(updateMethods, this.table, updateNode(this.ast, { where: filterOf(this, 'update', conditions) }))
  },
  all(this: MutationState<UpdateNode>) {
    return make(updateMethods, this.table, updateNode(this.ast, { everyRow: true }))
  },
}

const deleteMethods = {
  ...returningMethod,
  where(this: MutationState<DeleteNode>, ...conditions: unknown[]) {
    return make(deleteMethods, this.table, withNode(this.ast, { where: filterOf(this, 'delete from', conditions) }))
  },
  all(this: MutationState<DeleteNode>) {
    return make(deleteMethods, this.table, withNode(this.ast, { everyRow: true }))
  },
}

/** An `and()` that holds no condition (it matches every row). */
function isEmptyAnd(value: unknown): boolean {
  return isNode(value) && value.kind === 'logical' && value.op === 'and' && value.items.every(isEmptyAnd)
}

/**
 * The WHERE of an update or a delete after `where(...conditions)`. Where a select skips
 * `undefined` (an optional filter), here it would widen the statement to every row, so
 * `undefined`, no condition at all and an empty `and()` are refused, naming the table.
 */
function filterOf(state: MutationState<UpdateNode | DeleteNode>, verb: 'update' | 'delete from', conditions: readonly unknown[]): Node {
  const statement = `${verb} ${metaOf(state.table).key}`
  const every = `call .all() to ${verb === 'update' ? 'update' : 'delete'} every row`
  if (conditions.length === 0) throw new ArgumentError(`${statement}: where() got no condition; pass one, or ${every}`)
  for (let i = 0; i < conditions.length; i++) {
    if (conditions[i] === undefined) throw new ArgumentError(`${statement}: where() argument ${i + 1} is undefined; pass a condition, or ${every}`)
    if (isEmptyAnd(conditions[i])) throw new ArgumentError(`${statement}: where() argument ${i + 1} is an empty and(), which matches every row; pass a condition, or ${every}`)
  }
  return andWhere(state.ast.where, conditions, `${statement}: where`)!
}

brand(insertMethods, 'builder')
brand(updateMethods, 'builder')
brand(deleteMethods, 'builder')

const NONE: readonly never[] = Object.freeze([])

/** A verb's starting builder per table object: builders are immutable, so one serves every call. */
function starter<TNode>(cache: WeakMap<AnyTable, object>, methods: object, table: AnyTable, ast: (table: AnyTable) => TNode): never {
  let builder = cache.get(table)
  if (!builder) cache.set(table, (builder = make(methods, table, ast(table))))
  return builder as never
}

const inserts = new WeakMap<AnyTable, object>()
const updates = new WeakMap<AnyTable, object>()
const deletes = new WeakMap<AnyTable, object>()

/**
 * Start an INSERT.
 * @example insert(users).values({ username: 'alice', email: 'a@example.com' }).returning()
 */
export function insert<TTable extends AnyTable>(table: TTable): InsertBuilder<TTable> {
  return starter(inserts, insertMethods, table, (t): InsertNode => node({ kind: 'insert', ctes: NONE, table: tableNode(t), columns: NONE, values: NONE, returning: NONE }))
}

/**
 * Start an UPDATE.
 * @example update(users).set({ bio: 'Legacy user' }).where(lt(users.createdAt, cutoff))
 */
export function update<TTable extends AnyTable>(table: TTable): UpdateBuilder<TTable> {
  return starter(updates, updateMethods, table, (t): UpdateNode => node({ kind: 'update', ctes: NONE, table: tableNode(t), set: NONE, setOrder: undefined, from: undefined, where: undefined, returning: NONE }))
}

/**
 * Start a DELETE.
 * @example deleteFrom(users).where(eq(users.id, 1))
 */
export function deleteFrom<TTable extends AnyTable>(table: TTable): DeleteBuilder<TTable> {
  return starter(deletes, deleteMethods, table, (t): DeleteNode => node({ kind: 'delete', ctes: NONE, table: tableNode(t), returning: NONE }))
}

/** The value proposed for insertion, inside `onConflictDoUpdate({ set })` (`excluded.col` / `VALUES(col)`). */
export function excluded<T, S extends string>(column: Expr<T, S>): Expr<T, S> {
  if (!isNode(column) || column.kind !== 'column') throw new SchemaError('excluded() takes a column')
  return node({ kind: 'excluded', column } satisfies ExcludedNode) as Expr<T, S>
}
