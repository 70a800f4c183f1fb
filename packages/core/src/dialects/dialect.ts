/**
 * A dialect is a list of differences from standard SQL: small named hooks plus capabilities as data.
 * Shared code branches on capabilities, never on a dialect's name. Dialect modules never import a driver.
 */
import type { ColumnNode, FuncNode, Node, OrderNode } from '../ast/nodes.js'
import type { CatalogQuery, ModelColumn, ModelSchema, ModelType } from '../model/model.js'
import type { ColumnMeta, StoredForm } from '../schema/meta.js'

export type DialectName = 'sqlite' | 'postgres' | 'mysql'

/** Transaction isolation levels. SQLite always runs serializable and ignores the setting. */
export type IsolationLevel = 'read uncommitted' | 'read committed' | 'repeatable read' | 'serializable'

/** A column's stored form as found in the database, and what no stored form can say (`note`). */
export interface StoredDetection {
  readonly form?: StoredForm
  readonly note?: string
}

/** What a dialect can do natively. */
export interface Capabilities {
  /** RETURNING on insert/update/delete. */
  readonly returning: boolean
  readonly upsertStyle: 'on conflict' | 'on duplicate key'
  readonly transactionalDdl: boolean
  /** Bind-parameter limit per statement. */
  readonly maxParams: number
  readonly fullJoin: boolean
  /** Native `NULLS FIRST` / `NULLS LAST`. */
  readonly nullsOrdering: boolean
  /** Where NULL sorts when nothing is said: as the smallest value, or the largest. */
  readonly nullsSortAs: 'smallest' | 'largest'
  /** `FOR UPDATE` / `SKIP LOCKED` (SQLite serialises writers instead and omits the clause). */
  readonly locking: boolean
  /** The `DEFAULT` keyword inside a multi-row VALUES list. */
  readonly defaultInValues: boolean
  /** An inserted 0 in an auto-increment column means "the next id" (MySQL's default sql_mode), not 0. */
  readonly zeroIsNextId?: boolean
  /** How an insert naming no column is written: `DEFAULT VALUES`, or `() VALUES ()` (MySQL has no DEFAULT VALUES). */
  readonly emptyInsert: 'default values' | 'empty values'
  /** Parenthesised operands of UNION / INTERSECT / EXCEPT. */
  readonly parenthesizedSetOps: boolean
  /** SET expressions see the columns assigned before them in the same SET (MySQL evaluates it left to right). */
  readonly sequentialSet: boolean
  /**
   * The isolation level a transaction gets when none is asked for. At `read committed` every
   * statement sees a fresh snapshot, in a transaction or not.
   */
  readonly defaultIsolation: IsolationLevel
  /** `agg(…) FILTER (WHERE …)`; without it the compiler feeds the aggregate `CASE WHEN … THEN x END`. */
  readonly aggregateFilter: boolean
  /** Parameters whose type no operator or column fixes (CASE branches) need an explicit cast (`$1::integer`). */
  readonly untypedParams: boolean
}

/** What a dialect's function renderer is handed: sub-node and ORDER BY renderers, and the compiler's default. */
export interface CallRenderer {
  /** Renders a node (each call binds its parameters again). */
  node(node: Node): string
  /** Renders ORDER BY items (without the keywords). */
  orders(items: readonly OrderNode[]): string
  /** The standard rendering of a function node: `name(DISTINCT args ORDER BY …) FILTER (WHERE …)`. */
  standard(node: FuncNode): string
}

/** Renders a sub-node and returns its SQL; parameters are added in call order. */
export type Render = (node: import('../ast/nodes.js').Node) => string

/** The hooks and data that make up a dialect. */
export interface Dialect {
  readonly name: DialectName
  readonly capabilities: Capabilities
  /** How this dialect writes the parts of DDL that differ. */
  readonly ddl: DdlHooks
  /** Quote one identifier, escaping the quote character. */
  quote(name: string): string
  /** The placeholder for the parameter at 1-based `index`. */
  placeholder(index: number): string
  /** Encode a JS value for the driver; `type` is the column the value meets, when known. */
  encode(value: unknown, type?: ColumnMeta): unknown
  /** Decode a driver value into the column's declared JS type. */
  decode(value: unknown, type: ColumnMeta): unknown
  /** One decode function per column for reading rows (non-null values only); `undefined` when values pass through. */
  decoder?(type: ColumnMeta): ((value: unknown) => unknown) | undefined
  /** One encode function per column for binding non-null values; `undefined` when values pass through. */
  encoder?(type: ColumnMeta): ((value: unknown) => unknown) | undefined
  /** The SQL type for a column in DDL. */
  columnType(column: ColumnMeta): string
  /** A SQL type as DDL writes it or the catalog reports it, in portable terms (the inverse of `columnType`). */
  parseType(sqlType: string): ModelType
  /** The model of every table in the database (or schema) the query runs on. */
  introspect(query: CatalogQuery): Promise<ModelSchema>
  /**
   * How an existing column stores its values where the type is not native (SQLite: see
   * `StoredForm`), read from its declared type and a sample of its rows; absent where every type is native.
   */
  storedForm?(query: CatalogQuery, table: string, column: ModelColumn): Promise<StoredDetection>
  /** The type name in `CAST(x AS …)`, when it differs from DDL's. */
  castType?(column: ColumnMeta): string
  /**
   * The whole cast, where `CAST(expr AS type)` does not mean the portable cast (MySQL: text in the
   * binary collation; SQLite: a length enforced). `type` is the rendered type name.
   */
  cast?(expr: string, column: ColumnMeta, type: string): string
  /** A boolean expression as the text 'true'/'false' before a text cast, where `CAST` would give '1'/'0'. Absent: the cast gives those words. */
  booleanText?(expr: string): string
  /** The shared-lock clause, when it is not `FOR SHARE` (MariaDB: `LOCK IN SHARE MODE`). */
  readonly shareLock?: string
  /** Portable function names that this dialect spells differently (`length` → `char_length`). */
  readonly functions?: Readonly<Record<string, string>>
  /**
   * Portable functions this dialect writes as something other than `name(args)` (see `expr/`):
   * each takes the call's node and a renderer and returns the SQL.
   * @example calls.int_div(node, r) // MySQL: '(a DIV NULLIF(b, 0))'
   */
  readonly calls?: Readonly<Record<string, (node: FuncNode, r: CallRenderer) => string>>
  /** `a LIKE b`, case-sensitive, and case-insensitive when asked. */
  like(expr: string, pattern: string, caseInsensitive: boolean, negated: boolean): string
  /**
   * One operand of a comparison of text (`=`, `<>`, `<`, `IN`…), where the column's own collation
   * would not compare code point by code point: the compiler wraps the side that is not a plain
   * column (MariaDB: PAD SPACE collations make 'a' = 'a '). Absent: operands render as they are.
   */
  textOperand?(sql: string): string
  /** String concatenation of already rendered operands. */
  concat(items: readonly string[]): string
  /** NULL-safe (in)equality. */
  distinctFrom(left: string, right: string, negated: boolean): string
  /** JSON access at a path; `asText` gives the scalar as text (a string, NULL for a JSON null). */
  jsonPath(expr: string, path: readonly (string | number)[], asText: boolean): string
  /**
   * The JSON value at a path as the SQL scalar it holds, for comparisons and ORDER BY, where the
   * dialect's JSON access gives JSON text that would compare as text (SQLite's `->`). Absent:
   * `jsonPath` compares as the JSON value itself.
   */
  jsonScalar?(expr: string, path: readonly (string | number)[]): string
  /** True when a JSON value compares with JSON documents only (PostgreSQL's jsonb): values beside it are bound as JSON. */
  readonly jsonComparesDocuments?: boolean
  /** LIMIT / OFFSET clause (leading space included), given rendered operands. */
  limitOffset(limit: string | undefined, offset: string | undefined): string
  /** The proposed row's value of a column inside an upsert's SET. */
  excluded(column: string): string
  /**
   * The rows of a multi-row insert of plain values sent as one array per column, when the dialect
   * prefers that: SQL standing in for `VALUES …`, whose placeholders from index `first` on take the
   * columns' arrays in order; `undefined` keeps VALUES. The compiler binds the arrays.
   * @example columnArrays(columns, 500, 1) // PostgreSQL: 'SELECT * FROM unnest($1::varchar[], $2::integer[])'
   */
  columnArrays?(columns: readonly ColumnNode[], rows: number, first: number): string | undefined
  /** How rows given as data are read in FROM (`UPDATE … FROM`). Absent: the dialect cannot. */
  readonly rowsSource?: RowsSource
  /**
   * `expr IN (…)` for a long list of values bound as one array parameter at `placeholder`, each
   * value of `type`; `undefined` when that type has no array form. Absent: lists are one parameter per value.
   * @example inArray('"items"."id"', '$1', integerMeta, false) // PostgreSQL: '"items"."id" = ANY($1::integer[])'
   */
  inArray?(expr: string, placeholder: string, type: ColumnMeta | undefined, negated: boolean): string | undefined
  /**
   * A bound value as the type it meets, where the database would otherwise guess another (MySQL
   * reads `'1.5'` next to a DECIMAL as a double): `undefined` leaves the placeholder alone.
   * @example typedParam('?', numeric, '1.5') // MySQL: 'CAST(? AS DECIMAL(65, 1))'
   */
  typedParam?(placeholder: string, type: ColumnMeta, value: unknown): string | undefined
  /**
   * Exact decimals where the database has none (SQLite): how numeric expressions are compared,
   * computed and aggregated. Absent: the database's own numeric type does it.
   */
  readonly numeric?: NumericHooks
  /** Functions the engine registers on every connection (SQLite's exact decimal functions). */
  readonly connectionFunctions?: readonly ConnectionFunction[]
}

/**
 * SQL over numeric values for a dialect that stores them as sortable text keys (SQLite). Every
 * function takes a numeric value in any stored form (key, plain text, number).
 */
export interface NumericHooks {
  /** The sortable key of a value, for comparing and ordering (idempotent on keys). */
  key(sql: string): string
  /** Exact `+ - * %`, giving a key. */
  arithmetic(op: '+' | '-' | '*' | '%', left: string, right: string): string
  /** Exact SUM, giving a key; AVG, giving a double. */
  aggregate(name: 'sum' | 'avg', arg: string): string
  /** The value as a double (division, casts to number types). */
  real(sql: string): string
  /** The value as plain decimal text (concatenation, casts to text). */
  text(sql: string): string
}

/** A function a driver registers on its connections (better-sqlite3's `db.function` / `db.aggregate`). */
export type ConnectionFunction =
  | { readonly name: string; readonly kind: 'scalar'; readonly fn: (...args: unknown[]) => unknown }
  | {
      readonly name: string
      readonly kind: 'aggregate'
      readonly start: () => any
      readonly step: (state: any, value: unknown) => any
      readonly result: (state: any) => unknown
    }

/** Rows given as data in FROM, as a dialect writes them. */
export interface RowsSource {
  /** True: one parameter per column, each bound as an array; false: one parameter per cell, row by row. */
  readonly arrays: boolean
  /**
   * The FROM item for `rows` rows of `columns` (typed as those columns), placeholders numbered
   * from `first`, named `alias` with columns `names`; `undefined` when these columns cannot be read so.
   * @example rowsSource.sql(columns, ['id', 'title'], 2, 1, 'v') // PostgreSQL: 'unnest($1::integer[], $2::varchar[]) AS "v" ("id", "title")'
   */
  sql(columns: readonly ColumnNode[], names: readonly string[], rows: number, first: number, alias: string): string | undefined
}

/** How a dialect writes the parts of DDL that differ. */
export interface DdlHooks {
  /** A string literal (MySQL writes text holding a backslash in hex, the same under every sql_mode). */
  readonly stringLiteral: (value: string) => string
  /** A text constant in a query, where `stringLiteral` may not give text (MySQL's hex is a binary string). */
  readonly textLiteral?: (value: string) => string
  /** A binary literal from lowercase hex digits. */
  readonly bytesLiteral: (hex: string) => string
  /** The single integer primary key that numbers itself. */
  readonly autoIncrement: {
    /** Replaces the column's type (SQLite: exactly `INTEGER`, so the column is the rowid). */
    readonly type?: string
    /** Written after the column's type and NOT NULL. */
    readonly clause: string
    readonly notNull: boolean
  }
  /** True when an enum's SQL type does not restrict its values, so a CHECK lists them. */
  readonly enumCheck: boolean
  /**
   * Indexes written inside CREATE TABLE rather than as CREATE INDEX IF NOT EXISTS (MySQL 8 has no
   * such statement; MariaDB has): they are created with their table.
   */
  readonly inlineIndexes: boolean
  /** Written after `CREATE TABLE t (…)`. */
  readonly tableOptions: string
  /** The server default for `CURRENT_TIMESTAMP` on a timestamp column, in that column's storage form. */
  readonly currentTimestamp: (column: ColumnMeta) => string
  /** Statements that suspend and restore foreign-key enforcement on this connection. */
  readonly suspendForeignKeys?: readonly [string, string]
  /** An idempotent ALTER TABLE adding a foreign key after its tables exist (for cycles). */
  readonly addForeignKey?: (table: string, name: string, definition: string, quote: (name: string) => string) => string
  /** ALTER TABLE dropping such a foreign key when it exists. */
  readonly dropForeignKey?: (table: string, name: string, quote: (name: string) => string) => string
  /** How ALTER TABLE changes columns and constraints; absent where a table rebuild does it (SQLite). */
  readonly alter?: AlterHooks
  /** `DROP INDEX` names the index's table (MySQL: `DROP INDEX i ON t`). */
  readonly dropIndexOnTable: boolean
  /** The lock that serialises migration runners (see {@link MigrationLock}). */
  readonly migrationLock: MigrationLock
  /** Online schema changes (PostgreSQL): CREATE INDEX CONCURRENTLY, constraints added NOT VALID, a lock timeout. */
  readonly online?: { readonly lockTimeout: (ms: number) => string }
}

/** The ALTER TABLE forms of a dialect that has them. */
export interface AlterHooks {
  /** A changed column: PostgreSQL alters each part (TYPE, NOT NULL, DEFAULT); MySQL restates it (MODIFY COLUMN). */
  readonly column: 'parts' | 'restate'
  /** The clause dropping a constraint of each kind, before its quoted name. */
  readonly dropUnique: string
  readonly dropCheck: string
  readonly dropForeignKey: string
  /** The clause dropping the primary key of a table. */
  readonly dropPrimaryKey: (table: string) => string
}

/**
 * The lock migration runners take so that one applies at a time. A `transaction` lock is taken
 * inside each migration's transaction and ends with it (PostgreSQL's advisory xact lock, behind a
 * transaction pooler too; SQLite's write lock from BEGIN IMMEDIATE); a `session` lock is held by the
 * runner's connection until released (MySQL's GET_LOCK).
 */
export interface MigrationLock {
  readonly scope: 'transaction' | 'session'
  /** Statements run before the transaction begins (SQLite: how long BEGIN waits). */
  readonly before?: (timeoutMs: number) => readonly string[]
  /** Statements taking the lock, waiting at most `timeoutMs`; the last one's first column is 1 when it was granted (or it throws). */
  readonly acquire: (timeoutMs: number) => readonly string[]
  /** The statement releasing a session lock. */
  readonly release?: string
  /** A query naming who holds the lock now, as rows of descriptive columns; absent where the database cannot tell. */
  readonly holder?: string
}
