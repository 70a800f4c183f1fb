/**
 * What the CLI's commands do, apart from argument parsing: each takes the loaded config and
 * prints through `out`.
 */
import { randomBytes } from 'node:crypto'
import { existsSync, mkdirSync, writeFileSync } from 'node:fs'
import { dirname, join, relative, resolve } from 'node:path'
import { createEngine, schemaMetaOf, schemaModel, sqliteDialect, type Dialect, type Engine, type ModelSchema } from '@quarry/core'
import { applyOp } from './apply.js'
import { loadMigrations, loadSchema, type LoadedConfig } from './config.js'
import { introspectDatabase } from './database.js'
import { diff } from './diff.js'
import { MigrationError } from './errors.js'
import { ancestry, currentHeads, parents, resolveRevision, revisionGraph, type RevisionGraph } from './graph.js'
import { lint } from './lint.js'
import { pullSchema } from './pull.js'
import type { Op } from './ops.js'
import { appliedRevisions, downgrade, plannedSteps, stamp, upgrade } from './runner.js'
import { describe, stepsOf } from './steps.js'
import { migrationFile } from './write.js'

/** Where a command prints. */
export interface Output {
  log(line: string): void
  error(line: string): void
}

/** Opens the configured database (its direct URL when set, bypassing a pooler), runs `fn`, closes it. */
export async function withEngine<T>(config: LoadedConfig, fn: (engine: Engine) => Promise<T>): Promise<T> {
  const url = config.directUrl || config.url
  if (!url) throw new MigrationError(`no database URL: set DATABASE_URL or 'url' in ${config.file} (or DIRECT_DATABASE_URL / 'directUrl' for a direct connection)`)
  const engine = createEngine(url)
  try {
    return await fn(engine)
  } finally {
    await engine.close()
  }
}

/** The migrations' revision graph. */
export async function graphOf(config: LoadedConfig): Promise<RevisionGraph> {
  return revisionGraph(await loadMigrations(config.migrations))
}

/** The model the schema module declares, on a dialect. */
export async function declaredModel(config: LoadedConfig, dialect: Dialect): Promise<ModelSchema> {
  return schemaModel(schemaMetaOf(await loadSchema(config)), dialect)
}

/** A new revision id: 12 hex digits. */
export function newRevision(): string {
  return randomBytes(6).toString('hex')
}

function slug(message: string): string {
  return message.toLowerCase().replace(/[^a-z0-9]+/g, '_').replace(/^_|_$/g, '').slice(0, 40) || 'migration'
}

function fileName(revision: string, message: string): string {
  const stamp = new Date().toISOString().replace(/[-:T]/g, '').slice(0, 14)
  return `${stamp}_${revision}_${slug(message)}.ts`
}

/** `quarry revision`: writes a migration after the current heads; with `autogenerate`, its ops from the diff. */
export async function revisionCommand(config: LoadedConfig, message: string, autogenerate: boolean, out: Output): Promise<string> {
  const graph = await graphOf(config)
  const down = graph.heads.length === 0 ? null : graph.heads.length === 1 ? graph.heads[0] : graph.heads
  let ops: Op[] = []
  let findings: ReturnType<typeof lint> = []
  if (autogenerate) {
    await withEngine(config, async (engine) => {
      const applied = await appliedRevisions(engine, engine.dialect)
      const pending = graph.order.filter((r) => !applied.has(r))
      if (pending.length) throw new MigrationError(`the database is not at the heads (${pending.length} migrations not applied: ${pending.join(', ')}): run 'quarry upgrade' first`)
      const current = await introspectDatabase(engine, engine.dialect)
      ops = diff(current, await declaredModel(config, engine.dialect))
      findings = lint(ops, engine.dialect, current)
    })
    if (ops.length === 0) out.log('no changes between the schema and the database; writing an empty migration')
  }
  const revision = newRevision()
  mkdirSync(config.migrations, { recursive: true })
  const file = join(config.migrations, fileName(revision, message))
  writeFileSync(file, migrationFile({ revision, down, message, ops, findings }))
  out.log(`wrote ${relative(process.cwd(), file)} (revision ${revision}${down ? `, after ${[down].flat().join(', ')}` : ''}; ${ops.length} ops)`)
  for (const f of findings) out.log(`  lint ${f.severity} [${f.rule}]: ${f.message}`)
  return file
}

/** `quarry merge`: a migration joining the heads. */
export async function mergeCommand(config: LoadedConfig, message: string, out: Output): Promise<void> {
  const graph = await graphOf(config)
  if (graph.heads.length < 2) throw new MigrationError(`nothing to merge: there is ${graph.heads.length} head`)
  const revision = newRevision()
  const file = join(config.migrations, fileName(revision, message))
  writeFileSync(file, migrationFile({ revision, down: graph.heads, message, ops: [] }))
  out.log(`wrote ${relative(process.cwd(), file)} merging ${graph.heads.join(', ')}`)
}

/** The revisions an upgrade target names: `head`, `heads`, a revision, or `+N` more. */
function upgradeTargets(graph: RevisionGraph, target: string, applied: Set<string>): string[] {
  const step = /^\+(\d+)$/.exec(target)
  if (!step) return resolveRevision(graph, target)
  return graph.order.filter((r) => !applied.has(r)).slice(0, Number(step[1]))
}

/** `quarry upgrade [target]`. */
export async function upgradeCommand(config: LoadedConfig, target: string, out: Output): Promise<void> {
  const graph = await graphOf(config)
  await withEngine(config, async (engine) => {
    const targets = upgradeTargets(graph, target, await appliedRevisions(engine, engine.dialect))
    const done = await upgrade(engine, graph, targets, { log: out.log, lockTimeoutMs: config.lockTimeoutMs })
    out.log(done.length ? `applied ${done.length} migrations: ${done.join(', ')}` : 'already up to date')
  })
}

/** `quarry downgrade [target]`: `-N`, a revision, or `base`. */
export async function downgradeCommand(config: LoadedConfig, target: string, out: Output): Promise<void> {
  const graph = await graphOf(config)
  await withEngine(config, async (engine) => {
    const step = /^-(\d+)$/.exec(target)
    const done = step
      ? await downgrade(engine, graph, [], { steps: Number(step[1]), log: out.log, lockTimeoutMs: config.lockTimeoutMs })
      : await downgrade(engine, graph, target === 'base' ? [] : resolveRevision(graph, target), { log: out.log, lockTimeoutMs: config.lockTimeoutMs })
    out.log(done.length ? `reverted ${done.length} migrations: ${done.join(', ')}` : 'nothing to revert')
  })
}

/** `quarry upgrade --sql`: the SQL of an upgrade from `from` (or base), printed, nothing run. */
export async function offlineSql(config: LoadedConfig, dialect: Dialect, target: string, from: string | undefined, out: Output): Promise<void> {
  const graph = await graphOf(config)
  const before = from ? ancestry(graph, resolveRevision(graph, from)) : new Set<string>()
  const wanted = ancestry(graph, upgradeTargets(graph, target, before))
  let model: ModelSchema = { tables: [] }
  const q = (s: string) => dialect.ddl.stringLiteral(s)
  for (const rev of graph.order) {
    if (!wanted.has(rev)) continue
    const migration = graph.byRevision.get(rev)!
    const print = !before.has(rev)
    if (print) out.log(`-- ${rev}${migration.message ? `: ${migration.message}` : ''}`)
    for (const item of await plannedSteps(migration, 'upgrade')) {
      if (item.kind !== 'op') {
        if (print) out.log(`-- ${describe(item)} (runs only online)`)
        continue
      }
      const { op, steps } = stepsOf(item, dialect, model)
      model = applyOp(model, op)
      if (!print) continue
      for (const step of steps) for (const text of step.kind === 'sql' ? [step.sql] : step.statements) out.log(text + ';')
    }
    if (print) out.log(`INSERT INTO ${dialect.quote('quarry_migrations')} (revision, applied_at) VALUES (${q(rev)}, ${q(new Date().toISOString())});`)
  }
}

/** Differences between the schema and a model, as lines; empty when they agree. */
function differences(found: ModelSchema, declared: ModelSchema): string[] {
  return diff(found, declared).map((op) => describe({ kind: 'op', op }))
}

/** `quarry check`: exit code 1 when the database (or, with `migrations`, the migrations replayed) differs from the schema. */
export async function checkCommand(config: LoadedConfig, migrations: boolean, out: Output): Promise<number> {
  let lines: string[]
  if (migrations) {
    const graph = await graphOf(config)
    // In-memory SQLite: no shadow database, no CREATE DATABASE right.
    const engine = createEngine('sqlite::memory:', { pool: { size: 1 } })
    try {
      await upgrade(engine, graph, graph.heads)
      lines = differences(await introspectDatabase(engine, engine.dialect), await declaredModel(config, sqliteDialect))
    } finally {
      await engine.close()
    }
  } else {
    lines = await withEngine(config, async (engine) => differences(await introspectDatabase(engine, engine.dialect), await declaredModel(config, engine.dialect)))
  }
  if (lines.length === 0) {
    out.log(migrations ? 'the migrations build the schema: no differences' : 'the database matches the schema: no differences')
    return 0
  }
  out.error(`${lines.length} differences between the ${migrations ? 'migrations' : 'database'} and the schema (what a migration would do):`)
  for (const line of lines) out.error('  ' + line)
  return 1
}

/** `quarry current`, `heads`, `history`. */
export async function statusCommand(config: LoadedConfig, what: 'current' | 'heads' | 'history', out: Output): Promise<void> {
  const graph = await graphOf(config)
  if (what === 'heads') {
    for (const h of graph.heads) out.log(`${h}${graph.byRevision.get(h)?.message ? ` ${graph.byRevision.get(h)!.message}` : ''} (head)`)
    if (graph.heads.length > 1) out.log(`${graph.heads.length} heads: join them with 'quarry merge -m "merge"'`)
    return
  }
  if (what === 'history') {
    for (const rev of [...graph.order].reverse()) {
      const m = graph.byRevision.get(rev)!
      out.log(`${parents(m).join(', ') || '<base>'} -> ${rev}${graph.heads.includes(rev) ? ' (head)' : ''}, ${m.message ?? ''}`)
    }
    return
  }
  await withEngine(config, async (engine) => {
    const heads = currentHeads(graph, await appliedRevisions(engine, engine.dialect))
    out.log(heads.length ? heads.map((h) => `${h}${graph.heads.includes(h) ? ' (head)' : ''}`).join('\n') : '<base>: no migration applied')
  })
}

/** `quarry stamp <rev>`: records the revision (and its ancestors) as applied without running anything. */
export async function stampCommand(config: LoadedConfig, target: string, out: Output): Promise<void> {
  const graph = await graphOf(config)
  const revisions = target === 'base' ? [] : [...ancestry(graph, resolveRevision(graph, target))]
  await withEngine(config, (engine) => stamp(engine, revisions))
  out.log(`stamped ${target}`)
}

/** `quarry lint`: the lint rules over existing migration files; exit code 1 on an error finding. */
export async function lintCommand(config: LoadedConfig, dialect: Dialect, out: Output): Promise<number> {
  const graph = await graphOf(config)
  let model: ModelSchema = { tables: [] }
  let errors = 0
  for (const rev of graph.order) {
    const ops: Op[] = []
    for (const item of await plannedSteps(graph.byRevision.get(rev)!, 'upgrade')) {
      if (item.kind !== 'op') continue
      const { op } = stepsOf(item, dialect, model)
      ops.push(op)
    }
    for (const f of lint(ops, dialect, model)) {
      if (f.severity === 'error') errors++
      out.log(`${rev} ${f.severity} [${f.rule}]: ${f.message}`)
    }
    for (const op of ops) model = applyOp(model, op)
  }
  out.log(errors ? `${errors} errors` : 'no errors')
  return errors ? 1 : 0
}

/**
 * `quarry pull`: writes the database's schema as a module, to `file` (default: the config's schema
 * module), or prints it when `file` is `-`. An existing file is kept unless `force`.
 */
export async function pullCommand(config: LoadedConfig, options: { out?: string; force?: boolean }, out: Output): Promise<string | undefined> {
  const target = options.out === '-' ? undefined : options.out !== undefined ? resolve(process.cwd(), options.out) : config.schema
  if (options.out === undefined && !target) throw new MigrationError(`pull: where to write? give --out <file> (or --out - to print), or set 'schema' in ${config.file}`)
  if (target && existsSync(target) && !options.force) throw new MigrationError(`pull: ${target} already exists; pass --force to overwrite it, or --out another file`)
  const pulled = await withEngine(config, (engine) => pullSchema(engine, engine.dialect))
  for (const note of pulled.notes) out.error(`pull: ${note}`)
  if (!target) {
    out.log(pulled.source)
    return undefined
  }
  mkdirSync(dirname(target), { recursive: true })
  writeFileSync(target, pulled.source)
  out.error(`wrote ${relative(process.cwd(), target)} (${pulled.tables.length} tables${pulled.notes.length ? `, ${pulled.notes.length} notes in it` : ''})`)
  return target
}

/** `quarry init`: writes quarry.config.ts and migrations/. */
export function initCommand(cwd: string, options: { url?: string; schema?: string }, out: Output): void {
  const file = join(cwd, 'quarry.config.ts')
  if (existsSync(file)) throw new MigrationError(`${file} already exists`)
  const url = options.url ?? 'sqlite:///app.db'
  writeFileSync(
    file,
    [
      `import type { QuarryConfig } from '@quarry/migrate'`,
      '',
      'export default {',
      `  // DATABASE_URL, when set, wins over this URL.`,
      `  url: ${JSON.stringify(url)},`,
      `  // The module exporting your defineSchema(...) result (as 'schema' or the default export).`,
      `  schema: ${JSON.stringify(options.schema ?? './src/schema.ts')},`,
      `  migrations: './migrations',`,
      '} satisfies QuarryConfig',
      '',
    ].join('\n'),
  )
  mkdirSync(join(cwd, 'migrations'), { recursive: true })
  out.log(`wrote quarry.config.ts and migrations/`)
}
