/**
 * `createSession`: an identity map and a unit of work over one transaction. The session begins
 * a transaction on first use (on PostgreSQL at READ COMMITTED, on first write or locking read)
 * and holds it until commit or rollback; queries flush first (autoflush); a failed flush leaves
 * it refusing work until `rollback()`.
 */
import { builderAst, node, statementOf, withNode } from '@quarry/core/internal'
import {
  MultipleResultsError,
  NoResultError,
  type AnyTable,
  type Engine,
  type EngineConnection,
  type Executable,
  type Queryable,
  type SelectNode,
  type StatementNode,
  type Transaction,
} from '@quarry/core'
import { runnable, selectNode } from '@quarry/core/internal'
import { cascadeDeletes, cascadeSaves, markDeleted, markOrphans } from './cascade.js'
import { bulkExecute, type BulkRunner } from './bulk-sync.js'
import { identityKey, stateOf, type Entity, type EntityState } from './entity.js'
import { PendingRollbackError, SessionClosedError, SessionError } from './errors.js'
import { createEventBus, listener } from './events.js'
import { planFlush } from './flush-plan.js'
import { runSteps, type FlushRunner } from './flush-run.js'
import { pkCondition } from './flush-context.js'
import { flushSteps, storedPk } from './flush-steps.js'
import { finishFlush } from './flush-sync.js'
import { addJoins, foldJoined } from './joined.js'
import type { LoadContext } from './load-context.js'
import { parseOptions, withDeleted, type LoadNode } from './load-options.js'
import { hideDeleted, trackPlan, writesOrLocks } from './query-shape.js'
import { addObject, adopt, createRegistry, findIdentity, forget, ownState, type Registry } from './registry.js'
import { loadTree } from './selectin.js'
import { committedPoint, markPoints, rewind } from './session-rewind.js'
import { holdTransaction, type HeldTransaction } from './session-tx.js'
import type { EntityStatus, Session, SessionOptions } from './session.types.js'
import { changedColumns } from './snapshot.js'
import { tableInfo, type TableInfo } from './tables.js'

/** True when a joined load reaches a collection (joined rows then outnumber parents). */
function joinsCollection(tree: ReadonlyMap<string, LoadNode>): boolean {
  for (const node of tree.values()) if (node.strategy === 'joined' && (node.rel.many || joinsCollection(node.children))) return true
  return false
}

const ONE = node({ kind: 'value', value: 1 }) as SelectNode['limit']

/**
 * The session's values as the row types its signatures promise. The contract (session.types.ts)
 * carries the generics and the runtime here is loosely typed (STYLE rule 7): they meet in this
 * one cast.
 */
function typed<T>(value: unknown): T {
  return value as T
}

/** What `createSession` works on: an engine, or a transaction or connection it is bound to. */
export type SessionSource = Engine | Transaction | EngineConnection

/** A session's record for the finalizer: where it was made, and its open transaction (never the session itself). */
interface Dropped {
  /** The stack where the session was made (a string: a captured trace would hold the functions on it alive). */
  readonly made: string | undefined
  held: HeldTransaction | undefined
}

/**
 * Sessions garbage-collected with their transaction open: the transaction would hold its
 * connection for good (and `engine.close()` wait for it), so the finalizer rolls it back and
 * says where the session was made.
 */
const dropped =
  typeof FinalizationRegistry === 'function'
    ? new FinalizationRegistry<Dropped>((d) => {
        if (!d.held) return
        const where = (d.made ?? '').split('\n').slice(2).find((line) => !/[\\/]packages[\\/]orm[\\/]/.test(line))?.trim() ?? 'at an unknown place'
        console.warn(
          `quarry: a session was garbage-collected with its transaction open (created ${where}); its transaction is rolled back now. End every session with \`await using\`, commit(), rollback() or close().`,
        )
        void d.held.end(false).catch(() => undefined)
      })
    : undefined

/**
 * Creates a session on an engine, or bound to a transaction or connection you hold (then
 * `commit()` releases a SAVEPOINT of it and `rollback()` rolls back to it: see the test fixture
 * in the README). Use it with `await using` so that leaving the block rolls back whatever was
 * not committed.
 * @example
 * await using session = createSession(engine)
 * const alice = session.add(users, { username: 'alice', email: 'alice@example.com' })
 * await session.commit()
 */
export function createSession(source: SessionSource, options: SessionOptions = {}): Session {
  const dialect = source.dialect
  const autoflush = options.autoflush ?? true
  const maxParams = options.maxParams ?? dialect.capabilities.maxParams - 100
  const events = createEventBus(options.listeners)
  let reg: Registry
  let failure: { error: unknown } | undefined
  let flushing = false
  let closed = false

  // The transaction: begun on first use through source.transaction() and held open until commit or
  // rollback (session-tx.ts); inside nested(), `tx` is the savepoint's.
  let tx: Transaction | undefined
  let held: HeldTransaction | undefined
  const record: Dropped = { made: dropped && new Error('session created').stack, held: undefined }

  function connection(): Promise<Transaction> {
    if (tx) return Promise.resolve(tx)
    if (!held) {
      const h = (held = record.held = holdTransaction(source, options.isolation))
      h.ready.then(
        (t) => void (held === h && tx === undefined && (tx = t)),
        () => void (held === h && (held = record.held = undefined)),
      )
    }
    return held.ready
  }

  // At READ COMMITTED (PostgreSQL's default) each statement sees a fresh snapshot whether or not a
  // transaction holds it, so until the first write, reads run on pooled connections: a session
  // that only reads costs no BEGIN or ROLLBACK. An explicit isolation level, a locking read or
  // a write begins the transaction, and from then on every statement runs in it. A session bound
  // to a transaction reads in it.
  const onEngine = 'connect' in source && 'close' in source
  const readsOutside = onEngine && options.isolation === undefined && dialect.capabilities.defaultIsolation === 'read committed'

  /** Where a read runs: the pool before the transaction begins (where reads may), else the transaction. */
  function reader(): Queryable | Promise<Transaction> {
    return readsOutside && !held ? source : connection()
  }

  /** Where a statement of the caller's runs: a plain read may run like `reader()`; anything else begins the transaction. */
  function runnerFor(statement: unknown): Queryable | Promise<Transaction> {
    const ast = builderAst(statement)
    return ast !== undefined && !writesOrLocks(ast) ? reader() : connection()
  }

  async function endTransaction(commit: boolean): Promise<void> {
    const h = held
    if (!h) return
    held = record.held = undefined
    tx = undefined
    await h.end(commit)
  }

  /** After `close()` nothing may be read, written or tracked: `method` says what was called. */
  function guard(method: string): void {
    if (closed) throw new SessionClosedError(method)
    if (failure) throw new PendingRollbackError(failure.error)
  }

  function context(withDeleted: boolean): LoadContext {
    return {
      all: async (query) => (await reader()).all(query),
      entity: (row, info) => adopt(reg, row, info),
      lookup: (info, pk) => findIdentity(reg, info, identityKey(info, pk)),
      maxParams,
      withDeleted,
    }
  }

  const runner: FlushRunner = {
    execute: async (query) => (await connection()).execute(query),
    all: async (query) => (await connection()).all(query),
    dialect,
    maxParams,
    events,
    get session() {
      return session
    },
    get softDeleted() {
      return reg.softDeleted
    },
  }

  async function doFlush(): Promise<void> {
    if (flushing) return
    flushing = true
    try {
      await events.fireSession('beforeFlush', session)
      cascadeSaves(reg)
      markOrphans(reg)
      if (reg.deleted.size) await cascadeDeletes(reg, context(true))
      const plan = planFlush(reg)
      const done = await runSteps(plan, flushSteps(plan), runner)
      finishFlush(reg, plan, done)
    } catch (error) {
      failure = { error }
      throw error
    } finally {
      flushing = false
    }
    await events.fireSession('afterFlush', session)
  }

  async function beforeQuery(method: string): Promise<void> {
    guard(method)
    if (autoflush) await doFlush()
  }

  async function query(statement: Executable, opts: readonly unknown[], firstOnly = false): Promise<unknown[]> {
    const node: StatementNode = statementOf(statement)
    const plan = trackPlan(node)
    const info = plan.kind === 'row' ? plan.info : undefined
    const parsed = parseOptions(info?.meta, opts)
    let run = parsed.withDeleted ? node : hideDeleted(node)
    if (firstOnly && run.kind === 'select' && !run.limit && !joinsCollection(parsed.tree)) {
      run = withNode(run, { limit: ONE })
    }
    const joined = plan.kind === 'row' && parsed.tree.size ? addJoins(run as SelectNode, plan.source, parsed.tree, parsed.withDeleted) : undefined
    if (joined) run = joined.node
    const rows = (await (await runnerFor(runnable(run))).all(runnable(run))) as Record<string, unknown>[]
    const ctx = context(parsed.withDeleted)
    if (plan.kind === 'none') return rows
    if (plan.kind === 'groups') {
      for (const row of rows) {
        for (const g of plan.groups) if (row[g.name]) row[g.name] = adopt(reg, row[g.name] as Entity, g.info).obj
      }
      return rows
    }
    const states = joined ? foldJoined(ctx, rows, plan.info, joined.levels) : rows.map((row) => adopt(reg, row, plan.info))
    if (parsed.tree.size) await loadTree(ctx, [...new Set(states)], parsed.tree)
    return states.map((s) => s.obj)
  }

  /** A statement with soft-deleted rows hidden (itself when there is nothing to hide, or it is SQL text). */
  function hideDeletedIn<T>(statement: T): T {
    const node = builderAst(statement)
    if (node === undefined) return statement
    const hidden = hideDeleted(node)
    return hidden === node ? statement : (runnable(hidden) as T)
  }

  function keyValues(info: TableInfo, key: unknown): unknown[] {
    if (info.pk.length === 1 && (typeof key !== 'object' || key === null || key instanceof Date)) return [key]
    if (typeof key !== 'object' || key === null) throw new SessionError(`get(${info.meta.key}): the primary key has ${info.pk.length} columns; pass an object of them`)
    return info.pk.map((c) => {
      const value = (key as Record<string, unknown>)[c.key]
      if (value === undefined) throw new SessionError(`get(${info.meta.key}): the key has no value for ${c.key}`)
      return value
    })
  }

  /** Puts every tracked object back as of the last commit; objects added since leave the session. */
  function restore(): void {
    reg = rewind(reg, committedPoint)
  }

  /** Takes the values a flush generated off a row that was never committed. */
  function dropGenerated(state: EntityState): void {
    if (state.committed || !state.generated) return
    for (const key of state.generated.keys) delete state.obj[key]
    state.generated = undefined
  }

  function detach(state: EntityState): void {
    state.status = 'detached'
    state.owner = undefined
  }

  function markCommitted(): void {
    for (const table of reg.identity.values()) for (const state of table.values()) {
      state.committed = state.snapshot
      state.relCommitted = state.relSnapshot // shared until either changes (see setRelSnapshot)
      state.generated = undefined
    }
    for (const state of reg.removed) forget(reg, state)
  }

  async function rollback(): Promise<void> {
    if (closed) throw new SessionClosedError('rollback')
    await events.fireSession('beforeRollback', session)
    try {
      await endTransaction(false)
    } finally {
      restore()
      failure = undefined
    }
    await events.fireSession('afterRollback', session)
  }

  const session: Session = {
    add(table: AnyTable, entity: unknown) {
      guard('add')
      return typed(addObject(reg, entity, tableInfo(table)).obj)
    },
    addAll(table: AnyTable, entities: readonly unknown[]) {
      guard('addAll')
      if (!Array.isArray(entities)) throw new SessionError('addAll(table, objects): expected an array')
      const info = tableInfo(table)
      return typed(entities.map((e) => addObject(reg, e, info).obj))
    },
    async get(table: AnyTable, key: unknown, ...opts: readonly unknown[]) {
      guard('get')
      const info = tableInfo(table)
      const values = keyValues(info, key)
      const parsed = parseOptions(info.meta, opts)
      const known = findIdentity(reg, info, identityKey(info, values))
      if (known) {
        if (known.status !== 'persistent') return undefined
        const marker = info.softDelete && known.obj[info.softDelete.key]
        if (marker && !parsed.withDeleted) return undefined
        if (parsed.tree.size) {
          await beforeQuery('get')
          await loadTree(context(parsed.withDeleted), [known], parsed.tree)
        }
        return typed(known.obj)
      }
      await beforeQuery('get')
      const rows = await query(runnable(selectNode(info.ref, pkCondition(info, values))), opts)
      return typed(rows[0])
    },
    async all(statement: Executable, ...opts: readonly unknown[]) {
      await beforeQuery('all')
      return typed(query(statement, opts))
    },
    async first(statement: Executable, ...opts: readonly unknown[]) {
      await beforeQuery('first')
      return typed((await query(statement, opts, true))[0])
    },
    async one(statement: Executable, ...opts: readonly unknown[]) {
      await beforeQuery('one')
      const rows = await query(statement, opts)
      if (rows.length === 0) throw new NoResultError('one() expected exactly one row and found none')
      if (rows.length > 1) throw new MultipleResultsError(`one() expected exactly one row and found ${rows.length}`)
      return typed(rows[0])
    },
    async scalar(statement, ...opts) {
      await beforeQuery('scalar')
      const run = parseOptions(undefined, opts).withDeleted ? statement : hideDeletedIn(statement)
      return (await runnerFor(run)).scalar(run)
    },
    async execute(statement, opts) {
      await beforeQuery('execute')
      const t = await connection()
      const node = builderAst(statement)
      if (node === undefined) return t.execute(statement)
      const run: BulkRunner = { execute: (n) => t.execute(runnable(n)), all: async (n) => (await t.all(runnable(n))) as Record<string, unknown>[], maxParams }
      return typed(await bulkExecute(reg, node, run, opts?.synchronize ?? 'auto'))
    },
    async merge(table: AnyTable, detached: object) {
      guard('merge')
      const info = tableInfo(table)
      const given = detached as Entity
      const own = stateOf(given)
      if (own && own.owner === session && own.status !== 'detached') return typed(given)
      const pk = info.pk.map((c) => given[c.key])
      let target: EntityState | undefined
      if (pk.every((v) => v !== undefined && v !== null)) {
        target = findIdentity(reg, info, identityKey(info, pk))
        if (!target) {
          await beforeQuery('merge')
          const [found] = await query(runnable(selectNode(info.ref, pkCondition(info, pk))), [withDeleted()])
          target = stateOf(found)
        }
      }
      const values: Entity = {}
      for (const c of info.stored) if (given[c.key] !== undefined) values[c.key] = given[c.key]
      if (!target) return typed(addObject(reg, values, info).obj)
      Object.assign(target.obj, values)
      return typed(target.obj)
    },
    async nested(fn) {
      guard('nested')
      await doFlush()
      const outer = await connection()
      const mark = markPoints(reg)
      try {
        return await outer.transaction(async (inner) => {
          tx = inner
          try {
            const out = await fn(session)
            await doFlush()
            return out
          } finally {
            tx = outer
          }
        })
      } catch (error) {
        reg = rewind(reg, (state) => mark.get(state))
        failure = undefined
        throw error
      }
    },
    delete(entity) {
      guard('delete')
      const state = ownState(reg, entity, 'delete')
      const marker = state.info.softDelete
      if (!marker || state.status === 'pending') return markDeleted(reg, state)
      if (state.obj[marker.key] === null || state.obj[marker.key] === undefined) state.obj[marker.key] = new Date()
      reg.softDeleted.add(state)
    },
    hardDelete(entity) {
      guard('hardDelete')
      markDeleted(reg, ownState(reg, entity, 'hardDelete'))
    },
    async flush() {
      guard('flush')
      await doFlush()
    },
    async commit() {
      guard('commit')
      await events.fireSession('beforeCommit', session)
      await doFlush()
      try {
        await endTransaction(true)
      } catch (error) {
        restore()
        throw error
      }
      markCommitted()
      await events.fireSession('afterCommit', session)
    },
    rollback,
    async refresh(entity) {
      guard('refresh')
      const state = ownState(reg, entity, 'refresh')
      if (state.status !== 'persistent') throw new SessionError(`refresh(): the ${state.info.meta.key} object is ${state.status}, not persistent`)
      const { info } = state
      const pk = storedPk(state)
      const row = (await (await reader()).first(runnable(selectNode(info.ref, pkCondition(info, pk))))) as Entity | undefined
      if (!row) throw new SessionError(`refresh(): the ${info.meta.key} row ${JSON.stringify(pk)} no longer exists`)
      for (const c of info.meta.columnList) state.obj[c.key] = row[c.key]
      state.snapshot = info.takeSnapshot(state.obj)
    },
    expunge(entity) {
      guard('expunge')
      forget(reg, ownState(reg, entity, 'expunge'))
    },
    async close() {
      // Like SQLAlchemy's close(): the transaction rolls back and every object leaves the session
      // as it is (no values restored), except that rows inserted by the rolled-back transaction
      // lose the values the database generated for them, as after rollback().
      try {
        if (held || failure) {
          await events.fireSession('beforeRollback', session)
          try {
            await endTransaction(false)
          } finally {
            // Rows new in this transaction: pending, or inserted (in the identity map, or deleted since).
            for (const state of reg.pending) dropGenerated(state)
            for (const table of reg.identity.values()) for (const state of table.values()) dropGenerated(state)
            for (const state of reg.removed) dropGenerated(state)
            failure = undefined
          }
          await events.fireSession('afterRollback', session)
        }
      } finally {
        for (const table of reg.identity.values()) for (const state of table.values()) detach(state)
        for (const set of [reg.pending, reg.deleted, reg.removed]) for (const state of set) detach(state)
        reg = createRegistry(session)
        closed = true
      }
    },
    async [Symbol.asyncDispose]() {
      await session.close()
    },
    on(a: unknown, b: unknown, c?: unknown) {
      if (closed) throw new SessionClosedError('on')
      return events.add(listener(a, b, c))
    },
    statusOf(entity): EntityStatus {
      const state = stateOf(entity)
      if (!state) return 'transient'
      if (state.owner !== session) return 'detached'
      return state.status
    },
    isModified(entity) {
      const state = stateOf(entity)
      if (!state || state.owner !== session) return false
      if (state.status === 'pending') return true
      return state.snapshot !== undefined && changedColumns(state.obj, state.snapshot, state.info.stored).length > 0
    },
  } satisfies Session
  reg = createRegistry(session)
  dropped?.register(session, record)
  return session
}
