/**
 * What the session needs to know about a table beyond its metadata, computed once per table:
 * a table object to build statements with, its stored columns, its relations resolved to the
 * target metadata, and how to read and compare its primary key.
 */
import { node } from '@quarry/core/internal'
import { TABLE, tableOf, type AnyTable, type ColumnMeta, type ColumnNode, type RelationMeta, type TableMeta } from '@quarry/core'
import { SessionError } from './errors.js'
import { snapshotTaker, type SnapshotTaker } from './snapshot.js'

/** A relation with its target (and association) tables resolved. */
export interface ResolvedRelation {
  readonly meta: RelationMeta
  readonly key: string
  readonly source: TableMeta
  readonly target: TableMeta
  readonly through?: TableMeta
  readonly many: boolean
  /** The relation on the target that mirrors this one (`backPopulates`). */
  readonly back?: string
  /** `cascade` includes 'save-update'. */
  readonly saveUpdate: boolean
  /** `cascade` includes 'delete-orphan'. */
  readonly deleteOrphan: boolean
  /** The `backPopulates` relation on the target has 'delete-orphan' in its `cascade`. */
  readonly backDeleteOrphan: boolean
}

/** Everything the session caches about one table. */
export interface TableInfo {
  readonly meta: TableMeta
  /** The schema's table object (column refs, computed fields, relation refs) for the builders. */
  readonly ref: AnyTable
  /** Columns that are stored (not computed), in declaration order. */
  readonly stored: readonly ColumnMeta[]
  /** Computed fields: read with every row, never written. */
  readonly computed: readonly ColumnMeta[]
  /** What a snapshot holds: the stored columns, then the computed fields (so stored indexes agree). */
  readonly tracked: readonly ColumnMeta[]
  /** Takes an entity's snapshot (of `tracked`). */
  readonly takeSnapshot: SnapshotTaker
  readonly pk: readonly ColumnMeta[]
  /** The single auto-increment primary key, when there is one. */
  readonly autoPk?: ColumnMeta
  readonly relations: readonly ResolvedRelation[]
  readonly relationsByKey: Readonly<Record<string, ResolvedRelation>>
  /** Columns the database fills on insert when they are left out (server defaults, computed). */
  readonly serverFilled: readonly ColumnMeta[]
  /** Columns the database changes on every update (`onUpdate`) or derives (computed). */
  readonly updateFilled: readonly ColumnMeta[]
  readonly softDelete?: ColumnMeta
  /** Some relation can orphan a row at flush (a delete-orphan collection, or the to-one side of one). */
  readonly orphans: boolean
}

const infos = new WeakMap<TableMeta, TableInfo>()

/** The session's view of a table, from its metadata or a table object. */
export function tableInfo(table: TableMeta | AnyTable): TableInfo {
  const meta = isMeta(table) ? table : table[TABLE]
  let info = infos.get(meta)
  if (!info) infos.set(meta, (info = build(meta)))
  return info
}

function isMeta(value: TableMeta | AnyTable): value is TableMeta {
  return (value as TableMeta).kind === 'tableMeta'
}

function build(meta: TableMeta): TableInfo {
  const ref = tableOf(meta)
  const stored = meta.columnList.filter((c) => !c.computed)
  const pk = meta.primaryKey.map((k) => meta.columns[k])
  if (pk.length === 0) throw new SessionError(`table ${meta.key} has no primary key; the session tracks rows by primary key`)
  // The table object's relation refs by key (AnyTable's type lists none): each knows its target table.
  const refs = ref as unknown as Record<string, { target: TableMeta; through?: TableMeta }>
  const relations = Object.values(meta.relations).map((rel): ResolvedRelation => ({
    meta: rel,
    key: rel.key,
    source: meta,
    target: refs[rel.key].target,
    through: refs[rel.key].through,
    many: rel.kind === 'many',
    back: rel.backPopulates,
    saveUpdate: rel.cascade.includes('save-update'),
    deleteOrphan: rel.cascade.includes('delete-orphan'),
    backDeleteOrphan: rel.backPopulates !== undefined && (refs[rel.key].target.relations[rel.backPopulates]?.cascade.includes('delete-orphan') ?? false),
  }))
  const computed = meta.columnList.filter((c) => c.computed)
  const tracked = [...stored, ...computed]
  return {
    meta,
    ref,
    stored,
    computed,
    tracked,
    takeSnapshot: snapshotTaker(tracked),
    pk,
    autoPk: pk.length === 1 && pk[0].autoIncrement ? pk[0] : undefined,
    relations,
    relationsByKey: Object.fromEntries(relations.map((r) => [r.key, r])),
    serverFilled: [...stored.filter((c) => c.serverDefault), ...computed],
    updateFilled: [...stored.filter((c) => c.onUpdate), ...computed],
    softDelete: meta.softDelete ? meta.columns[meta.softDelete] : undefined,
    orphans: relations.some((r) => (r.many && !r.through && r.deleteOrphan) || (!r.many && r.backDeleteOrphan)),
  }
}

/** A column ref of `meta` read through `qualifier` (the table's SQL name, or an alias). */
export function columnNode(meta: TableMeta, column: ColumnMeta, scope = meta.key, qualifier = meta.name): ColumnNode {
  return node({ kind: 'column', scope, qualifier, key: column.key, meta: column })
}

/** The target table of a relation (resolved once). */
export function relationOf(meta: TableMeta, key: string): ResolvedRelation {
  const rel = tableInfo(meta).relationsByKey[key]
  if (!rel) throw new SessionError(`table ${meta.key} has no relation '${key}'`)
  return rel
}
