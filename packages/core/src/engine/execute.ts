/**
 * The statement-running methods (all/first/one/scalar/execute/iterate/transaction) written once
 * over a `Site`, so the engine, its transactions and its connections behave the same.
 */
import type { StatementNode } from '../ast/nodes'
import { statementOf } from '../builder/executable'
import { bindValues, type Prepared } from '../builder/prepare'
import { compile } from '../compile/compile'
import type { CompiledQuery, ResultShape } from '../compile/compiled'
import type { Dialect } from '../dialects/dialect'
import type { DriverResult, QueryOptions } from '../drivers/driver'
import { CompileError, MultipleResultsError, NoResultError, QuarryError } from '../errors'
import { isRowsInsert, splitInsert } from './bulk'
import type { ExecuteResult, ParamValues, Queryable, Statement, Transaction } from './engine.types'
import { enrichError } from './enrich'
import { buildRows, firstValue, rowBuilder } from './result'
import type { Site } from './runtime'

/** A statement ready to send: its node, compiled form and bound parameters. */
interface Ready {
  readonly node: StatementNode
  readonly compiled: CompiledQuery
  readonly params: readonly unknown[]
}

const NO_VALUES: ParamValues = Object.freeze({})

/** Compiles (cached by the compiler per statement and dialect) and binds named values. */
function ready(query: Statement, values: ParamValues | undefined, dialect: Dialect): Ready {
  if (query === null || typeof query !== 'object') {
    throw new QuarryError(`expected a statement (a builder, sql\`…\` or prepare(…)), got ${query === null ? 'null' : typeof query}`)
  }
  const prepared = (query as { kind?: string }).kind === 'prepared' ? (query as Prepared<unknown>) : undefined
  const node = prepared ? prepared.ast : statementOf(query as Parameters<typeof statementOf>[0])
  // A prepared statement compiles once per dialect; anything else compiles here.
  const compiled = prepared ? prepared.compiled(dialect) : compile(node, dialect)
  return { node, compiled, params: bind(compiled, dialect, values ?? NO_VALUES) }
}

/** Binds named values; a value for a name the statement does not have is an error here. */
function bind(compiled: CompiledQuery, dialect: Dialect, values: ParamValues): readonly unknown[] {
  const slots = compiled.paramSlots ?? []
  for (const name in values) {
    if (!slots.some((slot) => slot.name === name)) throw new CompileError(`value given for '${name}', but the statement has no param('${name}')`)
  }
  return bindValues(compiled, dialect, values)
}

function options(shape: ResultShape | undefined, arrays: boolean): QueryOptions {
  if (shape === undefined) return { arrays }
  // Not cached by shape: fresh queries make fresh shapes, and short-lived WeakMap keys cost GC.
  let bigints = false
  for (const field of shape.fields) if (field.type?.type === 'bigint') bigints = true
  return { arrays, bigints }
}

function isInsert(node: StatementNode, sql: string): boolean {
  return node.kind === 'insert' || (node.kind === 'raw' && /^\s*(insert|replace)\b/i.test(sql))
}

/** What running a statement gives before it is shaped for the caller. */
interface Outcome {
  readonly rows: readonly unknown[]
  readonly rowsAffected: number
  readonly insertId?: number | bigint
  /** Rows are driver arrays (shape them) rather than objects. */
  readonly arrays: boolean
  readonly shape?: ResultShape
}

/** Effective bind-parameter limit of the site's dialect and driver. */
async function paramLimit(site: Site): Promise<number> {
  const driver = await site.runtime.open()
  return Math.min(site.runtime.dialect.capabilities.maxParams, driver.maxParams ?? Infinity)
}

/**
 * Runs a plain statement at once on a synchronous driver with a free connection (SQLite): no
 * await between the caller and the rows. `undefined` when it must take the asynchronous path
 * (no sync driver, a connection to wait for, RETURNING emulation, an insert to split).
 */
function runSync(site: Site, statement: Ready, arrays: boolean): Outcome | undefined {
  const { node, compiled } = statement
  if (site.sendSync === undefined || compiled.emulateReturning !== undefined) return undefined
  if (isRowsInsert(node) && compiled.params.length > site.runtime.dialect.capabilities.maxParams) return undefined
  const shape = compiled.result
  let result: DriverResult | undefined
  try {
    result = site.sendSync(compiled.sql, statement.params, options(shape, shape !== undefined || arrays))
  } catch (error) {
    throw enrichError(error, node)
  }
  return result === undefined ? undefined : toOutcome(node, compiled, result, arrays)
}

/** The outcome of one statement the driver ran. */
function toOutcome(node: StatementNode, compiled: CompiledQuery, result: DriverResult, arrays: boolean): Outcome {
  const shape = compiled.result
  return {
    rows: result.rows,
    rowsAffected: result.rowsAffected,
    insertId: isInsert(node, compiled.sql) ? result.insertId : undefined,
    arrays: shape !== undefined || arrays,
    shape,
  }
}

/** The outcome of a statement: at once where it can run synchronously, else a promise. */
function outcomeOf(site: Site, query: Statement, values: ParamValues | undefined, arrays: boolean): Outcome | Promise<Outcome> {
  const statement = ready(query, values, site.runtime.dialect)
  return runSync(site, statement, arrays) ?? run(site, statement, arrays)
}

/** Applies `fn` to an outcome, returning a promise either way; errors become rejections. */
function settle<T>(site: Site, query: Statement, values: ParamValues | undefined, arrays: boolean, fn: (outcome: Outcome) => T): Promise<T> {
  try {
    const outcome = outcomeOf(site, query, values, arrays)
    if (outcome instanceof Promise) return outcome.then(fn)
    return Promise.resolve(fn(outcome))
  } catch (error) {
    return Promise.reject(error)
  }
}

/** Runs a ready statement: split when too large, RETURNING emulated when needed. */
async function run(site: Site, statement: Ready, arrays: boolean): Promise<Outcome> {
  try {
    return await runReady(site, statement, arrays)
  } catch (error) {
    throw enrichError(error, statement.node)
  }
}

async function runReady(site: Site, statement: Ready, arrays: boolean): Promise<Outcome> {
  const { node, compiled } = statement
  const { dialect } = site.runtime
  if (isRowsInsert(node) && compiled.params.length > (await paramLimit(site))) {
    const chunks = splitInsert(node, dialect, await paramLimit(site))
    return site.atomic(async (inner) => {
      const rows: unknown[] = []
      let rowsAffected = 0
      let insertId: number | bigint | undefined
      for (const chunk of chunks) {
        const outcome = await runCompiled(inner, node, chunk, chunk.params, arrays)
        for (const row of outcome.rows) rows.push(row)
        rowsAffected += outcome.rowsAffected
        insertId ??= outcome.insertId
      }
      return { rows, rowsAffected, insertId, arrays: compiled.result !== undefined || arrays, shape: compiled.result }
    })
  }
  return runCompiled(site, node, compiled, statement.params, arrays)
}

async function runCompiled(site: Site, node: StatementNode, compiled: CompiledQuery, params: readonly unknown[], arrays: boolean): Promise<Outcome> {
  const shape = compiled.result
  const emulate = compiled.emulateReturning
  if (emulate !== undefined) {
    const inserted = await site.send(compiled.sql, params, { arrays: false })
    const first = inserted.insertId
    if (first === undefined || first === 0 || first === 0n) {
      throw new QuarryError(`cannot return the inserted rows of ${emulate.table}: the database reported no generated id`)
    }
    const start = typeof first === 'string' ? BigInt(first) : first
    const end = typeof start === 'bigint' ? start + BigInt(inserted.rowsAffected) : start + inserted.rowsAffected
    const selected = await site.send(emulate.selectSql, [...emulate.selectParams, start, end], options(shape, true))
    return { rows: selected.rows, rowsAffected: inserted.rowsAffected, insertId: first, arrays: true, shape }
  }
  return toOutcome(node, compiled, await site.send(compiled.sql, params, options(shape, shape !== undefined || arrays)), arrays)
}

/** Result objects from an outcome: shaped rows, or the driver's objects for raw SQL. */
function rowsOf(outcome: Outcome, dialect: Dialect): unknown[] {
  if (outcome.shape === undefined) return outcome.rows as unknown[]
  return buildRows(outcome.rows, rowBuilder(outcome.shape, dialect))
}

function all(site: Site, query: Statement, values: ParamValues | undefined): Promise<unknown[]> {
  return settle(site, query, values, false, (outcome) => rowsOf(outcome, site.runtime.dialect))
}

function first(site: Site, query: Statement, values: ParamValues | undefined): Promise<unknown> {
  return settle(site, query, values, false, (outcome) => (outcome.rows.length === 0 ? undefined : rowsOf(outcome, site.runtime.dialect)[0]))
}

function one(site: Site, query: Statement, values: ParamValues | undefined): Promise<unknown> {
  return settle(site, query, values, false, (outcome) => {
    const rows = rowsOf(outcome, site.runtime.dialect)
    if (rows.length === 0) throw new NoResultError('one() expected exactly one row and found none')
    if (rows.length > 1) throw new MultipleResultsError(`one() expected exactly one row and found ${rows.length}`)
    return rows[0]
  })
}

function scalar(site: Site, query: Statement, values: ParamValues | undefined): Promise<unknown> {
  return settle(site, query, values, true, (outcome) => {
    if (outcome.rows.length === 0) throw new NoResultError('scalar() found no row (use first() when a row may be missing)')
    return firstValue(outcome.shape, outcome.rows[0] as readonly unknown[], site.runtime.dialect)
  })
}

function execute(site: Site, query: Statement, values: ParamValues | undefined): Promise<ExecuteResult> {
  return settle(site, query, values, false, (outcome) => {
    const rows = outcome.shape === undefined && outcome.rows.length === 0 ? undefined : rowsOf(outcome, site.runtime.dialect)
    return {
      rowsAffected: outcome.rowsAffected,
      ...(outcome.insertId !== undefined && { insertId: outcome.insertId }),
      ...(rows !== undefined && { rows }),
    }
  })
}

async function* iterate(site: Site, query: Statement, values: ParamValues | undefined): AsyncIterable<unknown> {
  const { dialect } = site.runtime
  const statement = ready(query, values, dialect)
  const { compiled } = statement
  if (compiled.emulateReturning !== undefined || (isRowsInsert(statement.node) && compiled.params.length > (await paramLimit(site)))) {
    // Several statements: nothing to stream.
    yield* rowsOf(await run(site, statement, false), dialect)
    return
  }
  const shape = compiled.result
  const build = shape === undefined ? undefined : rowBuilder(shape, dialect)
  const rows = site.stream(compiled.sql, statement.params, options(shape, shape !== undefined))
  if (build === undefined) yield* rows
  else for await (const row of rows) yield build(row as readonly unknown[])
}

/** The public statement methods over a site. */
export function queryable(site: Site): Queryable {
  const methods: Queryable = {
    all: (query, values) => all(site, query, values) as Promise<never>,
    first: (query, values) => first(site, query, values) as Promise<never>,
    one: (query, values) => one(site, query, values) as Promise<never>,
    scalar: (query, values) => scalar(site, query, values) as Promise<never>,
    execute: (query, values) => execute(site, query, values) as Promise<never>,
    iterate: (query, values) => iterate(site, query, values) as AsyncIterable<never>,
    transaction: (fn, options) => site.atomic(async (inner) => fn(transactionOf(inner)), options),
  }
  return methods
}

/** The `tx` object handed to a transaction callback. */
function transactionOf(site: Site): Transaction {
  return Object.freeze(queryable(site))
}
