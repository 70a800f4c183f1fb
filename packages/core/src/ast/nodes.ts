/**
 * The query AST: plain, frozen data with a `kind`. One `Node` union; the compiler's visitor is a
 * mapped type over `Node['kind']`, so a node some compiler does not render is a compile error.
 */
import type { ColumnMeta, TableMeta } from '../schema/meta.js'

/** A column of a table in a query, under the table's alias or name. */
export interface ColumnNode {
  readonly kind: 'column'
  /** The scope name (alias, or table key) the column is read through. */
  readonly scope: string
  /** The SQL name of the table, or its alias, as written before the dot. */
  readonly qualifier: string
  readonly key: string
  readonly meta: ColumnMeta
}

/** A bound value; `type` tells the dialect how to encode it (from the column it meets). */
export interface ValueNode {
  readonly kind: 'value'
  readonly value: unknown
  readonly type?: ColumnMeta
}

/** A named placeholder filled at execution time by `prepare(stmt)`. */
export interface ParamNode {
  readonly kind: 'param'
  readonly name: string
  readonly type?: ColumnMeta
  /** The placeholder is a LIMIT / OFFSET count: its value must be a whole number ≥ 0. */
  readonly count?: 'limit' | 'offset'
}

/** A `sql` template: literal parts interleaved with nodes. */
export interface RawNode {
  readonly kind: 'raw'
  readonly parts: readonly string[]
  readonly args: readonly Node[]
  /** Set by `sql.typed(type)`: the fragment's value (a statement's only column) decodes as this type. */
  readonly type?: ColumnMeta
}

/** A quoted identifier such as `"users"."id"`. */
export interface IdentifierNode {
  readonly kind: 'identifier'
  readonly names: readonly string[]
}

export type BinaryOp = '=' | '<>' | '<' | '<=' | '>' | '>=' | '+' | '-' | '*' | '/' | '%' | 'is distinct from' | 'is not distinct from'

/** `left op right`. Division is real division everywhere and NULL on a zero divisor. */
export interface BinaryNode {
  readonly kind: 'binary'
  readonly op: BinaryOp
  readonly left: Node
  readonly right: Node
  /** What arithmetic gives, when the operands do not say (exact decimals: the scale PostgreSQL gives). */
  readonly type?: ColumnMeta
}

/** `a AND b AND …` / `a OR b OR …`. */
export interface LogicalNode {
  readonly kind: 'logical'
  readonly op: 'and' | 'or'
  readonly items: readonly Node[]
}

export interface NotNode {
  readonly kind: 'not'
  readonly expr: Node
}

export interface IsNullNode {
  readonly kind: 'isNull'
  readonly expr: Node
  readonly negated: boolean
}

/** LIKE: case-sensitive on every dialect; ILIKE (`caseInsensitive`) case-insensitive everywhere. */
export interface LikeNode {
  readonly kind: 'like'
  readonly expr: Node
  readonly pattern: Node
  readonly caseInsensitive: boolean
  readonly negated: boolean
  /** The one character that escapes `%`, `_` and itself in the pattern (`ESCAPE '\\'`). */
  readonly escape?: string
}

export interface InNode {
  readonly kind: 'in'
  readonly expr: Node
  readonly list: readonly Node[] | SelectNode | CompoundNode
  readonly negated: boolean
}

export interface BetweenNode {
  readonly kind: 'between'
  readonly expr: Node
  readonly low: Node
  readonly high: Node
  readonly negated: boolean
}

/** A function or aggregate call; `name` is the portable name the dialect may rename. */
export interface FuncNode {
  readonly kind: 'func'
  readonly name: string
  readonly args: readonly Node[]
  readonly distinct?: boolean
  readonly star?: boolean
  /** What the result decodes to, when it is not a pass-through. */
  readonly type?: ColumnMeta
  /** An aggregate's own ORDER BY (`string_agg(x, ', ' ORDER BY x)`). */
  readonly orderBy?: readonly OrderNode[]
  /** An aggregate's `FILTER (WHERE …)` (emulated with CASE where the dialect lacks it). */
  readonly filter?: Node
}

/** A constant written into the SQL text (`literal(1)`, `literal('order')`, a typed `NULL`). */
export interface LiteralNode {
  readonly kind: 'literal'
  readonly value: string | number | bigint | boolean | null
  /** What the value decodes to (and, for `NULL`, the type it is cast to). */
  readonly type?: ColumnMeta
}

/** A row value `(a, b)`, compared element by element (keyset pagination). */
export interface TupleNode {
  readonly kind: 'tuple'
  readonly items: readonly Node[]
}

/** One end of a window frame: `UNBOUNDED PRECEDING`, `3 PRECEDING`, `CURRENT ROW`, … */
export type FrameBound =
  | { readonly kind: 'unboundedPreceding' }
  | { readonly kind: 'preceding'; readonly offset: number }
  | { readonly kind: 'currentRow' }
  | { readonly kind: 'following'; readonly offset: number }
  | { readonly kind: 'unboundedFollowing' }

/** `ROWS|RANGE BETWEEN start AND end`. */
export interface FrameSpec {
  readonly unit: 'rows' | 'range'
  readonly start: FrameBound
  readonly end: FrameBound
}

/** `fn OVER (PARTITION BY … ORDER BY …)`. */
export interface WindowNode {
  readonly kind: 'window'
  readonly fn: Node
  readonly partitionBy: readonly Node[]
  readonly orderBy: readonly OrderNode[]
  readonly frame?: FrameSpec
}

export interface CaseNode {
  readonly kind: 'case'
  readonly whens: readonly { readonly when: Node; readonly then: Node }[]
  readonly else?: Node
}

/** CAST(expr AS type) with a portable column type that the dialect maps. */
export interface CastNode {
  readonly kind: 'cast'
  readonly expr: Node
  readonly type: ColumnMeta
}

/** String concatenation; NULL operands propagate NULL on every dialect. */
export interface ConcatNode {
  readonly kind: 'concat'
  readonly items: readonly Node[]
}

/** JSON path access; `asText` reads a scalar as text. */
export interface JsonPathNode {
  readonly kind: 'jsonPath'
  readonly expr: Node
  readonly path: readonly (string | number)[]
  readonly asText: boolean
}

export interface ExistsNode {
  readonly kind: 'exists'
  readonly query: SelectNode | CompoundNode
  readonly negated: boolean
}

/** A subquery used as a scalar value. */
export interface SubqueryNode {
  readonly kind: 'subquery'
  readonly query: SelectNode | CompoundNode
}

export interface OrderNode {
  readonly kind: 'order'
  readonly expr: Node
  readonly direction: 'asc' | 'desc'
  readonly nulls?: 'first' | 'last'
}

/** A table in FROM / JOIN / INSERT / UPDATE / DELETE. */
export interface TableNode {
  readonly kind: 'table'
  readonly meta: TableMeta
  /** The alias, when it differs from the SQL name. */
  readonly alias?: string
}

/** A subquery in FROM, or a reference to a CTE. */
export interface DerivedNode {
  readonly kind: 'derived'
  readonly alias: string
  /** Absent for a CTE reference. */
  readonly query?: SelectNode | CompoundNode
  /** For a CTE reference: its definition, hoisted into WITH by the builder that uses it. */
  readonly cte?: CteNode
}

export type FromNode = TableNode | DerivedNode

export type JoinType = 'inner' | 'left' | 'right' | 'full' | 'cross'

export interface JoinNode {
  readonly kind: 'join'
  readonly type: JoinType
  readonly from: FromNode
  readonly on?: Node
}

/** One selected output: an expression under an output name, decoded as `type`. */
export interface SelectionNode {
  readonly kind: 'selection'
  readonly expr: Node
  /** The output key. */
  readonly alias: string
  /** The nested result object this output belongs to (`{ user: {...} }`). */
  readonly group?: string
  /** How to decode the value (absent: pass through). */
  readonly type?: ColumnMeta
}

export interface CteNode {
  readonly kind: 'cte'
  readonly name: string
  readonly query: SelectNode | CompoundNode
  readonly recursive: boolean
}

export interface SelectNode {
  readonly kind: 'select'
  readonly ctes: readonly CteNode[]
  readonly distinct: boolean
  readonly selection: readonly SelectionNode[]
  readonly from?: FromNode
  readonly joins: readonly JoinNode[]
  readonly where?: Node
  readonly groupBy: readonly Node[]
  readonly having?: Node
  readonly orderBy: readonly OrderNode[]
  readonly limit?: Node
  readonly offset?: Node
  readonly lock?: { readonly strength: 'update' | 'share'; readonly skipLocked: boolean; readonly noWait: boolean }
  /** Result shape only: groups that are `null` when all their fields are (outer-joined tables). */
  readonly nullableGroups?: readonly string[]
  /** Result shape only: the row is the single selected value. */
  readonly single?: boolean
}

export type SetOp = 'union' | 'union all' | 'intersect' | 'except'

/** `left UNION right …`, with its own ORDER BY / LIMIT. */
export interface CompoundNode {
  readonly kind: 'compound'
  readonly ctes: readonly CteNode[]
  readonly op: SetOp
  readonly left: SelectNode | CompoundNode
  readonly right: SelectNode | CompoundNode
  readonly orderBy: readonly OrderNode[]
  readonly limit?: Node
  readonly offset?: Node
}

export interface OnConflictNode {
  readonly kind: 'onConflict'
  /** Conflict target columns (ignored by MySQL, which uses every unique key). */
  readonly target: readonly ColumnNode[]
  /** Absent: DO NOTHING. */
  readonly set?: readonly AssignmentNode[]
  readonly where?: Node
  /** `'as written'`: the user states the SET order for raw SQL (see `UpdateNode.setOrder`). */
  readonly setOrder?: 'as written'
}

export interface AssignmentNode {
  readonly kind: 'assignment'
  readonly column: ColumnNode
  readonly value: Node
}

/** A reference to the row proposed for insertion, in an upsert's SET (`excluded.col`). */
export interface ExcludedNode {
  readonly kind: 'excluded'
  readonly column: ColumnNode
}

export interface InsertNode {
  readonly kind: 'insert'
  readonly ctes: readonly CteNode[]
  readonly table: TableNode
  readonly columns: readonly ColumnNode[]
  /**
   * Literal rows, or a query whose outputs match `columns`. A row's cell is the plain value bound
   * for its column (encoded by the column's type when compiled), or a node: an expression, or
   * `DEFAULT`. Plain cells keep multi-row inserts from allocating a node per value. The list is
   * frozen; each row is readonly by type only (freezing every small row array would cost more
   * than building and compiling the insert).
   */
  readonly values: readonly (readonly unknown[])[] | SelectNode | CompoundNode
  readonly onConflict?: OnConflictNode
  readonly returning: readonly SelectionNode[]
}

export interface UpdateNode {
  readonly kind: 'update'
  readonly ctes: readonly CteNode[]
  readonly table: TableNode
  readonly set: readonly AssignmentNode[]
  /**
   * `'as written'`: where SET runs left to right (MySQL), raw SQL is taken to read what the
   * written order lets it read; only column references reorder it. Absent: raw SQL that may read
   * a column set beside it orders the SET, or is refused where no order honours it.
   */
  readonly setOrder?: 'as written'
  /** `UPDATE … FROM`: rows given as data that SET and WHERE read through the rows' alias. */
  readonly from?: RowsNode
  readonly where?: Node
  /** `.all()`: the statement changes every row on purpose (without it, no `where` is refused). */
  readonly everyRow?: true
  readonly returning: readonly SelectionNode[]
}

/**
 * Rows given as data, read as a table named `alias` with columns `names`, each typed as the
 * matching one of `columns` (the session updates many rows by key from one: `UPDATE t SET c = v.c
 * FROM … AS v`). Each row has one plain value per column, never a node.
 */
export interface RowsNode {
  readonly kind: 'rows'
  readonly alias: string
  readonly columns: readonly ColumnNode[]
  /** The SQL names of the columns as read through `alias`. */
  readonly names: readonly string[]
  readonly rows: readonly (readonly unknown[])[]
}

export interface DeleteNode {
  readonly kind: 'delete'
  readonly ctes: readonly CteNode[]
  readonly table: TableNode
  readonly where?: Node
  /** `.all()`: the statement deletes every row on purpose (without it, no `where` is refused). */
  readonly everyRow?: true
  readonly returning: readonly SelectionNode[]
}

/** Every node of the AST. */
export type Node =
  | ColumnNode
  | ValueNode
  | ParamNode
  | RawNode
  | IdentifierNode
  | BinaryNode
  | LogicalNode
  | NotNode
  | IsNullNode
  | LikeNode
  | InNode
  | BetweenNode
  | FuncNode
  | LiteralNode
  | TupleNode
  | WindowNode
  | CaseNode
  | CastNode
  | ConcatNode
  | JsonPathNode
  | ExistsNode
  | SubqueryNode
  | OrderNode
  | TableNode
  | DerivedNode
  | JoinNode
  | SelectionNode
  | CteNode
  | SelectNode
  | CompoundNode
  | OnConflictNode
  | AssignmentNode
  | ExcludedNode
  | InsertNode
  | UpdateNode
  | DeleteNode
  | RowsNode

/** A statement node: what `compile` accepts. */
export type StatementNode = SelectNode | CompoundNode | InsertNode | UpdateNode | DeleteNode | RawNode

export type NodeKind = Node['kind']
export type NodeOf<K extends NodeKind> = Extract<Node, { kind: K }>
