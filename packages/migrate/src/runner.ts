/**
 * The runner: applies and reverts migrations on one connection, under the migration lock.
 * - Where DDL is transactional (PostgreSQL, SQLite) each migration runs in its own transaction,
 *   version row included: a failure leaves the database at the previous revision.
 * - Elsewhere (MySQL) each completed step is journaled; a failure names the step and the state it
 *   left, and the next run resumes at that step without redoing a completed one.
 * - SQLite: foreign keys are suspended outside the transaction (PRAGMA is a no-op inside one) and
 *   `PRAGMA foreign_key_check` runs before the commit; a table rebuild drops and recreates the
 *   triggers and views around it.
 */
import { createTableStatement, sql, type Dialect, type Engine, type EngineConnection, type ModelSchema, type Queryable } from '@quarry/core'
import { applyOp } from './apply.js'
import { introspectDatabase, JOURNAL_TABLE, VERSION_TABLE } from './database.js'
import { MigrationError, MigrationLockError } from './errors.js'
import { ancestry, type RevisionGraph } from './graph.js'
import { tableMeta } from './meta.js'
import { recorder, table, type Migration, type Planned } from './migration.js'
import type { Step } from './render.js'
import { countStatements } from './statements.js'
import { describe, stepsOf } from './steps.js'

/** Options of upgrade and downgrade. */
export interface RunOptions {
  /** How long to wait for another runner's lock, in milliseconds (default 30 s). */
  readonly lockTimeoutMs?: number
  /** Progress lines: each step with its duration, rows copied by a rebuild or a data migration. */
  readonly log?: (line: string) => void
}

type Direction = 'upgrade' | 'downgrade'

const raw = (text: string) => sql.raw<Record<string, unknown>>(text)

/** Creates the version table and the step journal when missing. */
export async function ensureVersionTables(db: Queryable, dialect: Dialect): Promise<void> {
  const version = table({ name: VERSION_TABLE, columns: [{ name: 'revision', type: 'varchar', length: 191 }, { name: 'applied_at', type: 'varchar', length: 40 }], primaryKey: ['revision'] })
  const journal = table({
    name: JOURNAL_TABLE,
    columns: [{ name: 'revision', type: 'varchar', length: 191 }, { name: 'direction', type: 'varchar', length: 10 }, { name: 'step', type: 'integer' }, { name: 'description', type: 'text' }],
    primaryKey: ['revision', 'direction', 'step'],
  })
  for (const t of [version, journal]) await db.execute(raw(createTableStatement(tableMeta(t), { kind: 'schemaMeta', tables: {}, casing: 'preserve' }, dialect)))
}

/** The revisions recorded as applied (empty when the version table does not exist yet). */
export async function appliedRevisions(db: Queryable, dialect: Dialect): Promise<Set<string>> {
  try {
    const rows = await db.all(raw(`SELECT revision FROM ${dialect.quote(VERSION_TABLE)}`))
    return new Set(rows.map((r) => String(r.revision)))
  } catch {
    return new Set()
  }
}

/** The error naming who holds the migration lock. */
async function lockError(db: Queryable, dialect: Dialect, waited: number, cause: unknown): Promise<MigrationLockError> {
  const holder = dialect.ddl.migrationLock.holder
  let who = 'another connection (this database cannot say which)'
  if (holder) {
    const rows = await db.all(raw(holder)).catch(() => [])
    if (rows.length > 0) who = rows.map((r) => Object.entries(r).map(([k, v]) => `${k}=${v}`).join(' ')).join('; ')
  }
  const reason = cause instanceof Error ? ` (${cause.message})` : ''
  return new MigrationLockError(`waited ${waited} ms for the migration lock, held by ${who}${reason}`)
}

async function acquire(db: Queryable, dialect: Dialect, timeoutMs: number): Promise<void> {
  const statements = dialect.ddl.migrationLock.acquire(timeoutMs)
  let last: Record<string, unknown> | undefined
  for (const text of statements) last = (await db.all(raw(text)))[0]
  const granted = last === undefined ? undefined : Object.values(last)[0]
  if (granted !== undefined && Number(granted) !== 1 && granted !== true) throw new MigrationLockError('not granted')
}

const ms = (start: number) => `${Math.round(performance.now() - start)} ms`

/** Runs one step; gives the rows it copied, when it reports them. */
async function runStep(db: Queryable, dialect: Dialect, step: Step, log: (line: string) => void): Promise<void> {
  if (step.kind === 'sql') {
    await db.execute(raw(step.sql))
    return
  }
  // Triggers and views naming the table would break the rename: dropped and made again.
  const saved = await db.all(raw(`SELECT type, name, sql FROM sqlite_master WHERE sql IS NOT NULL AND (type = 'view' OR (type = 'trigger' AND tbl_name = ${dialect.ddl.stringLiteral(step.table)}))`))
  for (const s of saved) await db.execute(raw(`DROP ${String(s.type).toUpperCase()} ${dialect.quote(String(s.name))}`))
  // Indexes the model does not hold (on an expression, partial) go with the old table: made again.
  const table = dialect.ddl.stringLiteral(step.table)
  const indexes = await db.all(
    raw(`SELECT m.name, m.sql FROM pragma_index_list(${table}) il JOIN sqlite_master m ON m.type = 'index' AND m.name = il.name
      WHERE il.partial = 1 OR EXISTS (SELECT 1 FROM pragma_index_info(il.name) ii WHERE ii.cid = -2)`),
  )
  for (let i = 0; i < step.statements.length; i++) {
    const result = await db.execute(raw(step.statements[i]))
    if (i === step.copy) log(`    rebuilt ${step.table}: ${result.rowsAffected} rows copied`)
  }
  const made = new Set((await db.all(raw(`SELECT name FROM sqlite_master WHERE type = 'index'`))).map((r) => String(r.name)))
  for (const index of indexes) if (!made.has(String(index.name))) await db.execute(raw(String(index.sql)))
  for (const s of saved.filter((x) => x.type === 'view').concat(saved.filter((x) => x.type === 'trigger'))) await db.execute(raw(String(s.sql)))
}

/** The recorded steps of one direction of a migration. */
export async function plannedSteps(migration: Migration, direction: Direction): Promise<Planned[]> {
  const { op, planned } = recorder()
  await migration[direction](op)
  return planned
}

/**
 * The recorded steps of each migration to run, refused as a whole before any runs when a raw step
 * holds several statements: drivers send a text as one statement, and a migration stopped there
 * would be half-applied on MySQL (and the rest of its steps lost).
 */
async function planAll(migrations: readonly Migration[], direction: Direction): Promise<Array<{ migration: Migration; planned: Planned[] }>> {
  const plans: Array<{ migration: Migration; planned: Planned[] }> = []
  for (const migration of migrations) {
    const planned = await plannedSteps(migration, direction)
    planned.forEach((item, i) => {
      if (item.kind !== 'op' || item.op.kind !== 'execute') return
      const n = countStatements(item.op.sql) ?? 1
      if (n > 1) {
        throw new MigrationError(
          `migration ${migration.revision} (${direction}), step ${i + 1}: op.execute() was given ${n} statements in one text (${describe(item)}); a raw step is sent as one statement. Split it into one op.execute() call per statement. Nothing was applied.`,
        )
      }
    })
    plans.push({ migration, planned })
  }
  return plans
}

/** Runs the planned steps in order, numbered from 1; `from` skips the steps a journal says are done. */
async function runPlanned(
  db: Queryable,
  dialect: Dialect,
  planned: readonly Planned[],
  log: (line: string) => void,
  onStep: (index: number, description: string) => Promise<void> = async () => {},
  from = 0,
): Promise<void> {
  let model: ModelSchema = await introspectDatabase(db, dialect)
  let index = 0
  for (const item of planned) {
    index++
    const description = describe(item)
    if (index <= from) {
      log(`  step ${index}: ${description} (done before, skipped)`)
      if (item.kind === 'op') model = await introspectDatabase(db, dialect)
      continue
    }
    const start = performance.now()
    try {
      if (item.kind === 'warn') log(`  warning: ${item.message}`)
      else if (item.kind === 'run') {
        const result = await item.fn(db)
        const rows = typeof result === 'number' ? `, ${result} rows` : ''
        log(`  step ${index}: ${description} (${ms(start)}${rows})`)
        model = await introspectDatabase(db, dialect)
      } else {
        const { op, steps } = stepsOf(item, dialect, model)
        for (const step of steps) await runStep(db, dialect, step, log)
        model = op.kind === 'execute' ? await introspectDatabase(db, dialect) : applyOp(model, op)
        log(`  step ${index}: ${description} (${ms(start)})`)
      }
    } catch (error) {
      throw Object.assign(new MigrationError(`step ${index} (${description}) failed: ${error instanceof Error ? error.message : String(error)}`), { cause: error, step: index })
    }
    await onStep(index, description)
  }
}

async function applyOne(conn: EngineConnection, dialect: Dialect, migration: Migration, planned: readonly Planned[], direction: Direction, options: Required<RunOptions>): Promise<boolean> {
  const { log, lockTimeoutMs } = options
  const label = `${direction === 'upgrade' ? 'upgrade' : 'downgrade'} ${migration.revision}${migration.message ? ` (${migration.message})` : ''}`
  const record = async (db: Queryable) => {
    if (direction === 'upgrade') await db.execute(raw(`INSERT INTO ${dialect.quote(VERSION_TABLE)} (revision, applied_at) VALUES (${dialect.ddl.stringLiteral(migration.revision)}, ${dialect.ddl.stringLiteral(new Date().toISOString())})`))
    else await db.execute(raw(`DELETE FROM ${dialect.quote(VERSION_TABLE)} WHERE revision = ${dialect.ddl.stringLiteral(migration.revision)}`))
  }
  const wanted = (applied: Set<string>) => (direction === 'upgrade' ? !applied.has(migration.revision) : applied.has(migration.revision))
  const lock = dialect.ddl.migrationLock
  const outside = planned.some((p) => p.kind === 'op' && 'concurrently' in p.op && p.op.concurrently && dialect.ddl.online)
  const start = performance.now()
  if (dialect.capabilities.transactionalDdl && !outside) {
    const suspend = dialect.ddl.suspendForeignKeys
    for (const text of lock.before?.(lockTimeoutMs) ?? []) await conn.execute(raw(text))
    if (suspend) await conn.execute(raw(suspend[0]))
    try {
      const ran = await conn
        .transaction(async (tx) => {
          if (lock.scope === 'transaction') await acquire(tx, dialect, lockTimeoutMs).catch((error: unknown) => Promise.reject({ lockFailed: error }))
          // Under the lock: another runner may have applied it meanwhile.
          if (!wanted(await appliedRevisions(tx, dialect))) return false
          if (dialect.ddl.online) await tx.execute(raw(dialect.ddl.online.lockTimeout(migration.options?.lockTimeout ?? 0)))
          log(`${label}`)
          await runPlanned(tx, dialect, planned, log)
          if (suspend) {
            const broken = await tx.all(raw('PRAGMA foreign_key_check'))
            if (broken.length > 0) throw new MigrationError(`migration ${migration.revision} leaves ${broken.length} rows whose foreign keys point nowhere (first: table ${broken[0].table}, rowid ${broken[0].rowid}, parent ${broken[0].parent}); rolled back`)
          }
          await record(tx)
          return true
        })
        .catch(async (error: unknown) => {
          if (typeof error === 'object' && error !== null && 'lockFailed' in error) throw await lockError(conn, dialect, lockTimeoutMs, error.lockFailed)
          // BEGIN IMMEDIATE itself waits for SQLite's write lock.
          if (error instanceof Error && /SQLITE_BUSY|database is locked/i.test(error.message + String((error as { code?: unknown }).code))) throw await lockError(conn, dialect, lockTimeoutMs, error)
          if (error instanceof MigrationError) error.message = `migration ${migration.revision}: ${error.message}; rolled back, the database is still at the revision before it`
          throw error
        })
      if (ran) log(`${label}: done (${ms(start)})`)
      return ran
    } finally {
      if (suspend) await conn.execute(raw(suspend[1]))
    }
  }
  if (!wanted(await appliedRevisions(conn, dialect))) return false
  log(`${label}`)
  const journal = dialect.quote(JOURNAL_TABLE)
  const key = `revision = ${dialect.ddl.stringLiteral(migration.revision)} AND direction = ${dialect.ddl.stringLiteral(direction)}`
  const done = Number((await conn.all(raw(`SELECT MAX(step) AS n FROM ${journal} WHERE ${key}`)))[0]?.n ?? 0)
  if (done > 0) log(`  resuming after step ${done} (journaled in ${JOURNAL_TABLE})`)
  try {
    await runPlanned(conn, dialect, planned, log, async (index, description) => {
      await conn.execute(raw(`INSERT INTO ${journal} (revision, direction, step, description) VALUES (${dialect.ddl.stringLiteral(migration.revision)}, ${dialect.ddl.stringLiteral(direction)}, ${index}, ${dialect.ddl.stringLiteral(description)})`))
    }, done)
  } catch (error) {
    const step = (error as { step?: number }).step ?? done + 1
    const message = error instanceof Error ? error.message : String(error)
    throw new MigrationError(
      `migration ${migration.revision}: ${message}. Steps 1 to ${step - 1} are applied and journaled in ${JOURNAL_TABLE}; step ${step} is not recorded (its DDL may have committed in part: check it). Repair the cause, then run ${direction} again: it resumes at step ${step}.`,
      { cause: error },
    )
  }
  await record(conn)
  await conn.execute(raw(`DELETE FROM ${journal} WHERE ${key}`))
  log(`${label}: done (${ms(start)})`)
  return true
}

async function withRunner<T>(engine: Engine, options: RunOptions, fn: (conn: EngineConnection, options: Required<RunOptions>) => Promise<T>): Promise<T> {
  const full: Required<RunOptions> = { lockTimeoutMs: options.lockTimeoutMs ?? 30_000, log: options.log ?? (() => {}) }
  const conn = await engine.connect()
  const dialect = engine.dialect
  const lock = dialect.ddl.migrationLock
  try {
    if (lock.scope === 'session') {
      try {
        await acquire(conn, dialect, full.lockTimeoutMs)
      } catch (error) {
        throw await lockError(conn, dialect, full.lockTimeoutMs, error)
      }
    }
    try {
      // Two runners starting together would both create the tables: under the lock too.
      if (lock.scope === 'transaction') {
        for (const text of lock.before?.(full.lockTimeoutMs) ?? []) await conn.execute(raw(text))
        await conn
          .transaction(async (tx) => {
            await acquire(tx, dialect, full.lockTimeoutMs).catch((error: unknown) => Promise.reject({ lockFailed: error }))
            await ensureVersionTables(tx, dialect)
          })
          .catch(async (error: unknown) => {
            // The holder is asked once the failed transaction has ended.
            if (typeof error === 'object' && error !== null && 'lockFailed' in error) throw await lockError(conn, dialect, full.lockTimeoutMs, error.lockFailed)
            throw error
          })
      } else await ensureVersionTables(conn, dialect)
      return await fn(conn, full)
    } finally {
      if (lock.release) await conn.execute(raw(lock.release))
    }
  } finally {
    await conn.release()
  }
}

/**
 * Applies every migration the targets need that is not applied yet, parents first.
 * @example await upgrade(engine, graph, graph.heads, { log: console.log }) // the revisions applied
 */
export async function upgrade(engine: Engine, graph: RevisionGraph, targets: readonly string[], options: RunOptions = {}): Promise<string[]> {
  return withRunner(engine, options, async (conn, full) => {
    const needed = ancestry(graph, targets)
    const applied = await appliedRevisions(conn, engine.dialect)
    const migrations = graph.order.filter((rev) => needed.has(rev) && !applied.has(rev)).map((rev) => graph.byRevision.get(rev)!)
    const done: string[] = []
    for (const { migration, planned } of await planAll(migrations, 'upgrade')) {
      if (await applyOne(conn, engine.dialect, migration, planned, 'upgrade', full)) done.push(migration.revision)
    }
    return done
  })
}

/**
 * Reverts applied migrations, children first: those not needed by `keep` (revisions to stay at;
 * empty for base), or the last `steps` when given.
 * @example await downgrade(engine, graph, []) // back to an empty database
 */
export async function downgrade(engine: Engine, graph: RevisionGraph, keep: readonly string[], options: RunOptions & { readonly steps?: number } = {}): Promise<string[]> {
  return withRunner(engine, options, async (conn, full) => {
    const kept = ancestry(graph, keep)
    const applied = await appliedRevisions(conn, engine.dialect)
    let candidates = [...graph.order].reverse().filter((rev) => applied.has(rev) && (options.steps !== undefined || !kept.has(rev)))
    if (options.steps !== undefined) candidates = candidates.slice(0, options.steps)
    const done: string[] = []
    for (const { migration, planned } of await planAll(candidates.map((rev) => graph.byRevision.get(rev)!), 'downgrade')) {
      if (await applyOne(conn, engine.dialect, migration, planned, 'downgrade', full)) done.push(migration.revision)
    }
    return done
  })
}

/** Records revisions as applied (or, with none, nothing) without running them: `stamp`. */
export async function stamp(engine: Engine, revisions: readonly string[]): Promise<void> {
  await ensureVersionTables(engine, engine.dialect)
  await engine.transaction(async (tx) => {
    await tx.execute(raw(`DELETE FROM ${engine.dialect.quote(VERSION_TABLE)}`))
    for (const rev of revisions) await tx.execute(raw(`INSERT INTO ${engine.dialect.quote(VERSION_TABLE)} (revision, applied_at) VALUES (${engine.dialect.ddl.stringLiteral(rev)}, ${engine.dialect.ddl.stringLiteral(new Date().toISOString())})`))
  })
}
