/**
 * `select`: an immutable, generative SELECT builder. Every method returns a new frozen builder
 * sharing the method table; the AST is rebuilt incrementally as plain data.
 */
import { blankNode, brand, node, withNode } from '../ast/brand.js'
import type { CompoundNode, JoinNode, JoinType, Node, SelectNode, SetOp } from '../ast/nodes.js'
import { TABLE } from '../schema/symbols.js'
import { andWhere, countNode, ctesOf, fromNode, groupItems, mergeCtes, orderItems, scopeOf, selectionNodes } from './clauses.js'
import { expectNode } from '../expr/nodes.js'
import { DERIVED_KEY, cteTable, derivedTable } from './derived.js'
import { outputOrder } from './output-order.js'
import type { CompoundBuilder, LockOptions, SelectOf, Selection } from './select.types.js'

interface State {
  readonly ast: SelectNode
  /** Result group → the scope of its table. */
  readonly groups: Readonly<Record<string, string>>
  /** Scopes on the nullable side of an outer join. */
  readonly nullable: readonly string[]
  /** Every scope in FROM / JOIN. */
  readonly scopes: readonly string[]
}

// The runtime methods are loosely typed; the public contract is SelectBuilder (select.types.ts).
type Builder = State & { readonly nullable: readonly string[] }

function make(state: State): Builder {
  // Properties assigned in one fixed order: every builder shares one hidden class.
  const builder = Object.create(selectMethods) as { -readonly [K in keyof State]: State[K] }
  builder.ast = state.ast
  builder.groups = state.groups
  builder.nullable = state.nullable
  builder.scopes = state.scopes
  return Object.freeze(builder) as Builder
}

/**
 * A new SELECT node from `base` with `patch` applied. Written out field by field (not a spread) so
 * every select node has one hidden class: building and compiling stay monomorphic. (No clause is
 * ever patched back to `undefined`, so `??` is exact.)
 */
function selectNode(base: SelectNode, patch: Partial<SelectNode>): SelectNode {
  const out = blankNode<SelectNode>()
  out.kind = 'select'
  out.ctes = patch.ctes ?? base.ctes
  out.distinct = patch.distinct ?? base.distinct
  out.selection = patch.selection ?? base.selection
  out.from = patch.from ?? base.from
  out.joins = patch.joins ?? base.joins
  out.where = patch.where ?? base.where
  out.groupBy = patch.groupBy ?? base.groupBy
  out.having = patch.having ?? base.having
  out.orderBy = patch.orderBy ?? base.orderBy
  out.limit = patch.limit ?? base.limit
  out.offset = patch.offset ?? base.offset
  out.lock = patch.lock ?? base.lock
  out.nullableGroups = patch.nullableGroups ?? base.nullableGroups
  out.single = base.single
  return Object.freeze(out)
}

function nullableGroups(groups: Readonly<Record<string, string>>, nullable: readonly string[]): readonly string[] | undefined {
  if (nullable.length === 0) return undefined
  const out = Object.keys(groups).filter((g) => nullable.includes(groups[g]))
  return out.length ? Object.freeze(out) : undefined
}

function join(self: Builder, type: JoinType, source: object, on?: unknown): Builder {
  const method = `${type}Join()`
  const from = fromNode(source, method)
  const scope = scopeOf(source)
  const joinNode: JoinNode = node({ kind: 'join', type, from, on: type === 'cross' ? undefined : expectNode(on, `${method}: argument 2 (on)`) })
  const nullable =
    type === 'left' ? [...self.nullable, scope]
    : type === 'right' ? [...self.scopes]
    : type === 'full' ? [...self.scopes, scope]
    : self.nullable
  const ast = selectNode(self.ast, {
    joins: Object.freeze([...self.ast.joins, joinNode]),
    ctes: mergeCtes(self.ast.ctes, ctesOf(from)),
    nullableGroups: nullableGroups(self.groups, nullable),
  })
  return make({ ast, groups: self.groups, nullable, scopes: [...self.scopes, scope] })
}

function setAst(self: Builder, patch: Partial<SelectNode>): Builder {
  return make({ ast: selectNode(self.ast, patch), groups: self.groups, nullable: self.nullable, scopes: self.scopes })
}

function compound(op: SetOp, left: SelectNode | CompoundNode, right: { ast: SelectNode | CompoundNode }): CompoundBuilder<unknown> {
  const ast: CompoundNode = node({ kind: 'compound', ctes: Object.freeze([]), op, left, right: right.ast, orderBy: Object.freeze([]) })
  return Object.freeze(Object.assign(Object.create(compoundMethods), { ast }))
}

const setOps = {
  union(this: { ast: SelectNode | CompoundNode }, other: { ast: SelectNode | CompoundNode }) {
    return compound('union', this.ast, other)
  },
  unionAll(this: { ast: SelectNode | CompoundNode }, other: { ast: SelectNode | CompoundNode }) {
    return compound('union all', this.ast, other)
  },
  intersect(this: { ast: SelectNode | CompoundNode }, other: { ast: SelectNode | CompoundNode }) {
    return compound('intersect', this.ast, other)
  },
  except(this: { ast: SelectNode | CompoundNode }, other: { ast: SelectNode | CompoundNode }) {
    return compound('except', this.ast, other)
  },
  as(this: { ast: SelectNode | CompoundNode }, alias: string) {
    return derivedTable(this.ast, alias)
  },
  cte(this: { ast: SelectNode | CompoundNode }, name: string) {
    return cteTable(this.ast, name)
  },
}

const compoundMethods = {
  ...setOps,
  orderBy(this: { ast: CompoundNode }, ...items: unknown[]) {
    return withCompound(this.ast, { orderBy: Object.freeze([...this.ast.orderBy, ...items.map((item) => outputOrder(this.ast, item))]) })
  },
  limit(this: { ast: CompoundNode }, count: unknown) {
    return withCompound(this.ast, { limit: countNode(count, 'limit') })
  },
  offset(this: { ast: CompoundNode }, count: unknown) {
    return withCompound(this.ast, { offset: countNode(count, 'offset') })
  },
}

function withCompound(ast: CompoundNode, patch: Partial<CompoundNode>): CompoundBuilder<unknown> {
  return Object.freeze(Object.assign(Object.create(compoundMethods), { ast: withNode(ast, patch) }))
}

const selectMethods: Record<string, (this: Builder, ...args: never[]) => unknown> = {
  ...setOps,
  from(this: Builder, source: object) {
    const from = fromNode(source)
    const scope = scopeOf(source)
    return make({ ast: selectNode(this.ast, { from, ctes: mergeCtes(this.ast.ctes, ctesOf(from)) }), groups: this.groups, nullable: this.nullable, scopes: [...this.scopes, scope] })
  },
  innerJoin(this: Builder, source: object, on: unknown) {
    return join(this, 'inner', source, on)
  },
  leftJoin(this: Builder, source: object, on: unknown) {
    return join(this, 'left', source, on)
  },
  rightJoin(this: Builder, source: object, on: unknown) {
    return join(this, 'right', source, on)
  },
  fullJoin(this: Builder, source: object, on: unknown) {
    return join(this, 'full', source, on)
  },
  crossJoin(this: Builder, source: object) {
    return join(this, 'cross', source)
  },
  correlate(this: Builder) {
    return this
  },
  where(this: Builder, ...conditions: unknown[]) {
    return setAst(this, { where: andWhere(this.ast.where, conditions) })
  },
  groupBy(this: Builder, ...exprs: unknown[]) {
    return setAst(this, { groupBy: groupItems(this.ast.groupBy, exprs) })
  },
  having(this: Builder, ...conditions: unknown[]) {
    return setAst(this, { having: andWhere(this.ast.having, conditions, 'having') })
  },
  orderBy(this: Builder, ...items: unknown[]) {
    return setAst(this, { orderBy: orderItems(this.ast.orderBy, items) })
  },
  limit(this: Builder, count: unknown) {
    return setAst(this, { limit: countNode(count, 'limit') })
  },
  offset(this: Builder, count: unknown) {
    return setAst(this, { offset: countNode(count, 'offset') })
  },
  distinct(this: Builder) {
    return setAst(this, { distinct: true })
  },
  forUpdate(this: Builder, options: LockOptions = {}) {
    return setAst(this, { lock: Object.freeze({ strength: 'update', skipLocked: !!options.skipLocked, noWait: !!options.noWait }) })
  },
  forShare(this: Builder, options: LockOptions = {}) {
    return setAst(this, { lock: Object.freeze({ strength: 'share', skipLocked: !!options.skipLocked, noWait: !!options.noWait }) })
  },
  skipLocked(this: Builder) {
    return setAst(this, { lock: Object.freeze({ strength: this.ast.lock?.strength ?? 'update', skipLocked: true, noWait: false }) })
  },
}

brand(compoundMethods, 'builder')
brand(selectMethods, 'builder')

const EMPTY: readonly never[] = Object.freeze([])

/** The starting point of every SELECT node (no selection, no clauses); `single` selects one expression. */
const NO_SELECT: SelectNode = node({
  kind: 'select',
  ctes: EMPTY,
  distinct: false,
  selection: EMPTY,
  from: undefined,
  joins: EMPTY,
  where: undefined,
  groupBy: EMPTY,
  having: undefined,
  orderBy: EMPTY,
  limit: undefined,
  offset: undefined,
  lock: undefined,
  nullableGroups: undefined,
  single: undefined,
})
const SINGLE_SELECT: SelectNode = withNode(NO_SELECT, { single: true })

/**
 * Start a SELECT: a whole table, one expression, or an object of columns, expressions and tables.
 * @example select(users).where(eq(users.id, 1))
 * @example select({ id: users.id, name: users.username }).from(users)
 */
export function select<const TSel extends Selection>(selection: TSel): SelectOf<TSel> {
  if (typeof selection !== 'object' || selection === null || !(TABLE in selection)) return start(selection) as never // cast: the runtime builder is untyped; SelectOf<TSel> is its public type
  // A whole table: builders are immutable, so one starting builder per table object serves every call.
  let builder = tableSelects.get(selection)
  if (!builder) tableSelects.set(selection, (builder = start(selection)))
  return builder as never // cast: as above, the cached builder of a whole table
}

const tableSelects = new WeakMap<object, Builder>()

function start(selection: Selection): Builder {
  const { nodes, groups, single } = selectionNodes(selection, 'select()')
  const isSource = TABLE in selection || DERIVED_KEY in selection
  const from = isSource ? fromNode(selection) : undefined
  const ast = selectNode(single ? SINGLE_SELECT : NO_SELECT, { ctes: from ? mergeCtes(EMPTY, ctesOf(from)) : EMPTY, selection: nodes, from })
  return make({ ast, groups, nullable: EMPTY, scopes: from ? Object.freeze([scopeOf(selection)]) : EMPTY })
}
