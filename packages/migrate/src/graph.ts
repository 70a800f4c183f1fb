/**
 * The revision graph: each migration names its parent (or parents, after a merge). Heads are
 * revisions no other migration builds on; several heads mean branches to merge.
 */
import { MigrationError } from './errors.js'
import type { Migration } from './migration.js'

/** Migrations by revision, with their parents and a topological order. */
export interface RevisionGraph {
  readonly byRevision: ReadonlyMap<string, Migration>
  /** Every revision, parents before children. */
  readonly order: readonly string[]
  readonly heads: readonly string[]
}

/** The parents of a migration. */
export function parents(migration: Migration): string[] {
  return migration.down === null || migration.down === undefined ? [] : typeof migration.down === 'string' ? [migration.down] : [...migration.down]
}

/**
 * The graph of a set of migrations; refuses duplicate revisions, unknown parents and cycles.
 * @example revisionGraph(migrations).heads // ['ab12cd']
 */
export function revisionGraph(migrations: readonly Migration[]): RevisionGraph {
  const byRevision = new Map<string, Migration>()
  for (const m of migrations) {
    if (typeof m.revision !== 'string' || m.revision === '') throw new MigrationError(`migration ${m.file ?? '?'}: 'revision' must be a non-empty string`)
    const other = byRevision.get(m.revision)
    if (other) throw new MigrationError(`revision ${m.revision} is declared twice (${other.file ?? '?'} and ${m.file ?? '?'})`)
    byRevision.set(m.revision, m)
  }
  for (const m of migrations) for (const p of parents(m)) if (!byRevision.has(p)) throw new MigrationError(`migration ${m.revision} (${m.file ?? '?'}): down revision '${p}' does not exist`)
  const order: string[] = []
  const state = new Map<string, 'visiting' | 'done'>()
  const visit = (rev: string) => {
    if (state.get(rev) === 'done') return
    if (state.get(rev) === 'visiting') throw new MigrationError(`revision ${rev} is its own ancestor`)
    state.set(rev, 'visiting')
    for (const p of parents(byRevision.get(rev)!)) visit(p)
    state.set(rev, 'done')
    order.push(rev)
  }
  for (const m of [...migrations].sort((a, b) => (a.revision < b.revision ? -1 : 1))) visit(m.revision)
  const hasChild = new Set(migrations.flatMap(parents))
  return { byRevision, order, heads: order.filter((r) => !hasChild.has(r)) }
}

/** A revision and all its ancestors. */
export function ancestry(graph: RevisionGraph, revisions: readonly string[]): Set<string> {
  const out = new Set<string>()
  const stack = [...revisions]
  while (stack.length) {
    const rev = stack.pop()!
    if (out.has(rev)) continue
    const m = graph.byRevision.get(rev)
    if (!m) throw new MigrationError(`unknown revision '${rev}'`)
    out.add(rev)
    stack.push(...parents(m))
  }
  return out
}

/** The applied revisions no other applied revision builds on: where the database stands. */
export function currentHeads(graph: RevisionGraph, applied: ReadonlySet<string>): string[] {
  const below = new Set<string>()
  for (const rev of applied) for (const p of graph.byRevision.has(rev) ? parents(graph.byRevision.get(rev)!) : []) below.add(p)
  return graph.order.filter((r) => applied.has(r) && !below.has(r)).concat([...applied].filter((r) => !graph.byRevision.has(r)))
}

/** A revision named by a unique prefix, or `head` / `heads`. */
export function resolveRevision(graph: RevisionGraph, name: string): string[] {
  if (name === 'head' || name === 'heads') {
    if (name === 'head' && graph.heads.length > 1) throw new MigrationError(`there are ${graph.heads.length} heads (${graph.heads.join(', ')}): merge them with 'quarry merge', or name one`)
    return [...graph.heads]
  }
  if (graph.byRevision.has(name)) return [name]
  const matches = graph.order.filter((r) => r.startsWith(name))
  if (matches.length === 1) return matches
  throw new MigrationError(matches.length === 0 ? `unknown revision '${name}'` : `revision prefix '${name}' is ambiguous: ${matches.join(', ')}`)
}
