/**
 * Query options for the session: eager loading (`selectinload`, `joinedload`) and
 * `withDeleted()`. Options are plain data; the session merges load paths into one tree.
 */
import type { RelationMeta, TableMeta } from '@quarry/core'
import { SessionError } from './errors.js'
import { relationOf, type ResolvedRelation } from './tables.js'
import type { LoadFunction, LoadOption, QueryOption } from './load-options.types.js'

/** A relation reference as it exists at run time (`users.posts`). */
interface RelationRefLike {
  readonly kind: 'relationRef'
  readonly table: TableMeta
  readonly relation: RelationMeta
}

/** The runtime form of every option. */
export type AnyOption = LoadOptionData | { readonly kind: 'withDeleted' }

/** A load path and how to load it. */
export interface LoadOptionData {
  readonly kind: 'loadOption'
  readonly strategy: 'selectin' | 'joined'
  readonly path: readonly ResolvedRelation[]
}

function loadOption(strategy: 'selectin' | 'joined', refs: readonly unknown[]): LoadOptionData {
  if (refs.length === 0) throw new SessionError(`${strategy}load() needs at least one relation, such as ${strategy}load(users.posts)`)
  const path = refs.map((ref, i) => {
    const r = ref as RelationRefLike
    if (!r || r.kind !== 'relationRef') throw new SessionError(`${strategy}load(): argument ${i + 1} is not a relation (pass users.posts, not a column or a table)`)
    return relationOf(r.table, r.relation.key)
  })
  for (let i = 1; i < path.length; i++) {
    if (path[i].source !== path[i - 1].target) {
      throw new SessionError(
        `${strategy}load(): ${path[i].source.key}.${path[i].key} does not continue from ${path[i - 1].source.key}.${path[i - 1].key}, whose rows are ${path[i - 1].target.key}`,
      )
    }
  }
  return Object.freeze({ kind: 'loadOption', strategy, path: Object.freeze(path) })
}

/**
 * Load a relation (and, with more arguments, relations of the loaded rows) with one extra
 * `SELECT … WHERE fk IN (…)` per level, whatever the number of rows.
 * @example await session.all(select(users), selectinload(users.posts, posts.tags)) // 3 statements
 */
// LoadFunction's overloads type each path step; the runtime takes any relation refs and checks them.
export const selectinload: LoadFunction = ((...path: unknown[]) => loadOption('selectin', path)) as unknown as LoadFunction

/**
 * Load a relation in the same statement with a LEFT JOIN; parent rows are deduplicated.
 * @example await session.all(select(users), joinedload(users.posts)) // 1 statement
 */
// As selectinload: typed overloads over an untyped runtime.
export const joinedload: LoadFunction = ((...path: unknown[]) => loadOption('joined', path)) as unknown as LoadFunction

/**
 * Include soft-deleted rows (tables declared with `softDelete`) in a session query.
 * @example await session.all(select(users), withDeleted())
 */
export function withDeleted(): QueryOption {
  // QueryOption carries a phantom type only: the runtime option is this plain marker.
  return Object.freeze({ kind: 'withDeleted' }) as unknown as QueryOption
}

/** One node of the merged load tree. */
export interface LoadNode {
  readonly rel: ResolvedRelation
  /** Joined only when every step from the root is joined; otherwise selectin. */
  readonly strategy: 'selectin' | 'joined'
  readonly children: Map<string, LoadNode>
}

/** Query options split into the load tree (under the root table) and flags. */
export interface ParsedOptions {
  readonly tree: Map<string, LoadNode>
  readonly withDeleted: boolean
}

/** Merges the options of one query; checks every path starts at `root`. */
export function parseOptions(root: TableMeta | undefined, options: readonly unknown[]): ParsedOptions {
  const tree = new Map<string, LoadNode>()
  let deleted = false
  for (const option of options as (AnyOption | LoadOption<string, unknown>)[]) {
    const o = option as AnyOption
    if (o && o.kind === 'withDeleted') {
      deleted = true
      continue
    }
    if (!o || o.kind !== 'loadOption') throw new SessionError('expected selectinload(…), joinedload(…) or withDeleted() after the statement')
    if (!root) throw new SessionError('relations can only be loaded for a query that selects one whole table, such as select(users)')
    if (o.path[0].source !== root) {
      throw new SessionError(`${o.strategy}load(${o.path[0].source.key}.${o.path[0].key}) does not apply to a query of ${root.key}`)
    }
    let level = tree
    let joined = true
    for (const rel of o.path) {
      joined = joined && o.strategy === 'joined'
      let node = level.get(rel.key)
      if (!node) level.set(rel.key, (node = { rel, strategy: joined ? 'joined' : 'selectin', children: new Map() }))
      joined = node.strategy === 'joined'
      level = node.children
    }
  }
  return { tree, withDeleted: deleted }
}
