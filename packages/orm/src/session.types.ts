/**
 * The typed contract of the session. The runtime in `session.ts` is loosely typed underneath;
 * these signatures carry the row types: entities are `Row<typeof table>`, and a query's result
 * gains exactly the relations its load options load.
 */
import type { AnyTable, ColumnsOf, ExecuteResult, Executable, IsolationLevel, NewRow, RelationRef, Row, RowOf, ScalarOf, Statement } from '@quarry/core'
import type { Synchronize } from './bulk-sync.js'
import type { Listener, SessionEventName, TableEventName } from './events.js'
import type { LoadTree, Loaded, QueryOption, QueryResult, RootTable, SessionOption, TableScope } from './load-options.types.js'

/** Options of `createSession`. */
export interface SessionOptions {
  /** Flush pending changes before every query (default `true`). */
  readonly autoflush?: boolean
  /** Isolation level of the session's transaction. */
  readonly isolation?: IsolationLevel
  /** Listeners made with `listen()`, active from the start. */
  readonly listeners?: readonly Listener[]
  /** Bind parameters one statement may carry, for IN lists (default: the dialect's limit less 100). */
  readonly maxParams?: number
}

type RelationKeys<TTable> = { [K in keyof TTable]: TTable[K] extends { readonly kind: 'relationRef' } ? K : never }[keyof TTable] & string

type ManyKeys<TTable> = { [K in keyof TTable]: TTable[K] extends RelationRef<string, AnyTable, true> ? K : never }[keyof TTable] & string

type ForeignKeys<TTable> = { [K in keyof ColumnsOf<TTable>]: ColumnsOf<TTable>[K] extends { readonly references: unknown } ? K : never }[keyof ColumnsOf<TTable>]

type RelationInput<R> = R extends RelationRef<string, infer T, infer M> ? (M extends true ? readonly NewEntity<T>[] : NewEntity<T> | null) : never

/**
 * What `add` takes: a new row (foreign keys optional, since a related object can set them)
 * with related objects, new or loaded, nested under the relation names.
 */
export type NewEntity<TTable> = Omit<NewRow<TTable>, ForeignKeys<TTable>> &
  Partial<Pick<NewRow<TTable>, ForeignKeys<TTable> & keyof NewRow<TTable>>> & { [K in RelationKeys<TTable>]?: RelationInput<TTable[K]> }

type Simplify<T> = { [K in keyof T]: T[K] }

/** What `add` returns: the row, with its collections (a new object's collections are loaded). */
export type Added<TTable> = Simplify<Row<TTable> & { [K in ManyKeys<TTable>]: TTable[K] extends RelationRef<string, infer T, true> ? Row<T>[] : never }>

type PkKeys<TTable> = { [K in keyof ColumnsOf<TTable>]: ColumnsOf<TTable>[K] extends { readonly primaryKey: true } ? K : never }[keyof ColumnsOf<TTable>] & keyof Row<TTable>

/** A primary key: the value of a single-column key, or an object of the key's columns. */
export type PrimaryKey<TTable> = [PkKeys<TTable>] extends [never] ? Partial<Row<TTable>> : Row<TTable>[PkKeys<TTable>] | Pick<Row<TTable>, PkKeys<TTable>>

/** Where an object stands with respect to a session. */
export type EntityStatus = 'transient' | 'pending' | 'persistent' | 'deleted' | 'detached'

/** A unit of work over one transaction: identity map, change tracking, relation loading. */
export interface Session extends AsyncDisposable {
  /**
   * Adds a new object (and the related objects nested in it); it is inserted at the next flush.
   * Returns the same object, now tracked.
   * @example const post = session.add(posts, { title: 'Guide', body: '…', authorId: 1, tags: [{ name: 'python' }] })
   */
  add<TTable extends AnyTable>(table: TTable, entity: NewEntity<TTable>): Added<TTable>
  /** Adds several new objects of one table. */
  addAll<TTable extends AnyTable>(table: TTable, entities: readonly NewEntity<TTable>[]): Added<TTable>[]
  /**
   * The row with this primary key: from the identity map without a query when it is there.
   * @example const user = await session.get(users, 1, selectinload(users.posts))
   */
  get<TTable extends AnyTable, const TOptions extends readonly SessionOption<TableScope<TTable>>[] = []>(
    table: TTable,
    key: PrimaryKey<TTable>,
    ...options: TOptions
  ): Promise<Loaded<TTable, LoadTree<TTable, TOptions>> | undefined>
  /**
   * Runs a query; whole-table rows come back as tracked entities, with the relations the options load.
   * @example const rows = await session.all(select(users).where(eq(users.id, 1)), selectinload(users.posts))
   */
  all<TQuery extends Executable, const TOptions extends readonly SessionOption<TableScope<RootTable<TQuery>>>[] = []>(
    query: TQuery,
    ...options: TOptions
  ): Promise<QueryResult<RowOf<TQuery>, TQuery, TOptions>[]>
  /** The first row of a query, or `undefined`. */
  first<TQuery extends Executable, const TOptions extends readonly SessionOption<TableScope<RootTable<TQuery>>>[] = []>(
    query: TQuery,
    ...options: TOptions
  ): Promise<QueryResult<RowOf<TQuery>, TQuery, TOptions> | undefined>
  /** Exactly one row: `NoResultError` for none, `MultipleResultsError` for more. */
  one<TQuery extends Executable, const TOptions extends readonly SessionOption<TableScope<RootTable<TQuery>>>[] = []>(
    query: TQuery,
    ...options: TOptions
  ): Promise<QueryResult<RowOf<TQuery>, TQuery, TOptions>>
  /** The first column of the first row (`select(count()).from(users)`); soft-deleted rows are left out unless `withDeleted()`. */
  scalar<TRow>(query: Statement<TRow>, ...options: readonly QueryOption[]): Promise<ScalarOf<TRow>>
  /**
   * Runs a statement on the session's transaction, bypassing the unit of work (bulk updates and
   * deletes). Loaded objects of the table an UPDATE or DELETE writes are kept true
   * (`synchronize: 'auto'`: its WHERE evaluated in JavaScript where that gives the database's
   * answer, else the keys it matches selected first; `'fetch'`: always selected; `false`: left as
   * they are).
   * @example await session.execute(update(posts).set({ published: true }).where(eq(posts.authorId, 1)))
   */
  execute<TRow>(query: Statement<TRow>, options?: { readonly synchronize?: Synchronize }): Promise<ExecuteResult<TRow>>
  /**
   * Copies a detached object's column values (from an HTTP body, a cache) onto the tracked row
   * with its primary key, found in the identity map or loaded; without one, adds a new row.
   * Returns the tracked object (never the one given). Relations are not merged.
   * @example const post = await session.merge(posts, await request.json())
   */
  merge<TTable extends AnyTable>(table: TTable, detached: Partial<Row<TTable>>): Promise<Added<TTable>>
  /**
   * Runs `fn` inside a SAVEPOINT (pending changes flushed first, and again at the end): when it
   * throws, the database rolls back to the savepoint and tracked objects return to their state
   * there, and the session goes on. Returns what `fn` returns.
   * @example await session.nested(async () => { session.add(users, u); await session.flush() }).catch(report)
   */
  nested<TResult>(fn: (session: Session) => Promise<TResult> | TResult): Promise<TResult>
  /** Marks an entity for deletion at the next flush; on a `softDelete` table, sets the marker column instead. */
  delete(entity: object): void
  /** Deletes the row even on a `softDelete` table. */
  hardDelete(entity: object): void
  /** Writes pending changes to the database (inside the session's transaction). */
  flush(): Promise<void>
  /** Flushes and commits; entities stay usable and reflect the committed state. */
  commit(): Promise<void>
  /** Rolls the transaction back and restores tracked objects to their last committed state; new objects leave the session. */
  rollback(): Promise<void>
  /** Reloads an entity's columns from the database, discarding unflushed changes to them. */
  refresh(entity: object): Promise<void>
  /** Stops tracking an entity. */
  expunge(entity: object): void
  /** Rolls back what was not committed and empties the session (also what `await using` does). */
  close(): Promise<void>
  /** Adds a session-event listener; returns a function that removes it. */
  on(event: SessionEventName, fn: (session: Session) => unknown): () => void
  /** Adds a table-event listener; returns a function that removes it. */
  on<TTable extends AnyTable>(table: TTable, event: TableEventName, fn: (entity: Row<TTable>, session: Session) => unknown): () => void
  /** Where an object stands: transient (never added), pending, persistent, deleted (marked or flushed) or detached. */
  statusOf(entity: object): EntityStatus
  /** True when a tracked entity has column changes not yet flushed. */
  isModified(entity: object): boolean
}
