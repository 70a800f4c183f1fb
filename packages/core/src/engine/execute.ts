import { brandOf } from '../ast/brand.js'
/**
 * The statement-running methods (all/first/one/scalar/execute/iterate/transaction) written once
 * over a `Site`, so the engine, its transactions and its connections behave the same.
 */
import type { StatementNode } from '../ast/nodes.js'
import { statementOf } from '../builder/executable.js'
import { bindValues, type Prepared } from '../builder/prepare.js'
import { compile } from '../compile/compile.js'
import type { CompiledQuery, ResultShape, UpdateReturning } from '../compile/compiled.js'
import { keyListSql } from '../compile/emulate-returning.js'
import type { Dialect } from '../dialects/dialect.js'
import type { DriverResult, QueryOptions } from '../drivers/driver.js'
import { CompileError, MultipleResultsError, NoResultError, QuarryError, StatementCanceledError } from '../errors.js'
import { isRowsInsert, splitInsert } from './bulk.js'
import type { ExecuteResult, ParamValues, Queryable, Statement, Transaction } from './engine.types.js'
import { enrichError, mayEnrich } from './enrich.js'
import { checkJsonValues } from './json-check.js'
import { buildRows, firstValue, rowBuilder } from './result.js'
import { withRetry, type RetryAttempt } from './retry.js'
import { abortedBefore, limitOf, type Limit, type StatementOptions } from './limit.js'
import type { Site } from './runtime.js'

/** A statement ready to send: its node, compiled form and bound parameters. */
interface Ready {
  readonly node: StatementNode
  readonly compiled: CompiledQuery
  readonly params: readonly unknown[]
}

const NO_VALUES: ParamValues = Object.freeze({})

/** Compiles (cached by the compiler per statement and dialect) and binds named values. */
function ready(query: Statement, values: ParamValues | undefined, dialect: Dialect, validateJson: boolean): Ready {
  const prepared = brandOf(query) === 'builder' && (query as { kind?: string }).kind === 'prepared' ? (query as Prepared<unknown>) : undefined
  const node = prepared ? prepared.ast : statementOf(query as Parameters<typeof statementOf>[0])
  if (validateJson) checkJsonValues(node)
  // A prepared statement compiles once per dialect; anything else compiles here.
  const compiled = prepared ? prepared.compiled(dialect) : compile(node, dialect)
  return { node, compiled, params: bind(compiled, dialect, values ?? NO_VALUES) }
}

/** Binds named values; a value for a name the statement does not have is an error here. */
function bind(compiled: CompiledQuery, dialect: Dialect, values: ParamValues): readonly unknown[] {
  for (const name in values) {
    if (!hasSlot(compiled, name)) throw new CompileError(`value given for '${name}', but the statement has no param('${name}')`)
  }
  return bindValues(compiled, dialect, values)
}

function hasSlot(compiled: CompiledQuery, name: string): boolean {
  const slots = compiled.paramSlots
  if (slots !== undefined) for (let i = 0; i < slots.length; i++) if (slots[i]!.name === name) return true
  return false
}

/**
 * What a method needs from the driver, with the option objects to send for it made once:
 * rows as arrays even without a shape (`scalar`), and whether only the first row is read.
 */
interface Want {
  /** For rows without a shape (raw SQL). */
  readonly raw: QueryOptions
  /** For shaped rows, without and with integers read as bigint. */
  readonly shaped: QueryOptions
  readonly bigints: QueryOptions
  /** For one-field shapes on a plucking driver: each row is the value itself (no array per row). */
  readonly plucked: QueryOptions
  readonly pluckedBigints: QueryOptions
}

function want(arrays: boolean, first: boolean): Want {
  return Object.freeze({
    raw: Object.freeze({ arrays, first }),
    shaped: Object.freeze({ arrays: true, bigints: false, first }),
    bigints: Object.freeze({ arrays: true, bigints: true, first }),
    plucked: Object.freeze({ arrays: true, bigints: false, first, pluck: true }),
    pluckedBigints: Object.freeze({ arrays: true, bigints: true, first, pluck: true }),
  })
}

const ALL = want(false, false)
const FIRST = want(false, true)
const SCALAR = want(true, true)
/** The re-select of emulated RETURNING. */
const ALL_ARRAYS = want(true, false)

/**
 * The options to send for a statement's shape. A one-field shape is plucked when the driver
 * `plucks`; whoever builds the rows must then read them as values (`sent.pluck`).
 */
function options(shape: ResultShape | undefined, wanted: Want, plucks: boolean): QueryOptions {
  if (shape === undefined) return wanted.raw
  // The same statement again and again has the same shape: look at its fields once.
  if (shape !== lastShape) {
    lastShape = shape
    lastBigints = shape.fields.some((field) => field.type?.type === 'bigint')
    lastOneField = shape.fields.length === 1
  }
  if (plucks && lastOneField) return lastBigints ? wanted.pluckedBigints : wanted.plucked
  return lastBigints ? wanted.bigints : wanted.shaped
}

/** The shape `options` last looked at, whether it reads bigints, and whether it has one field. */
let lastShape: ResultShape | undefined
let lastBigints = false
let lastOneField = false

/** True when the rows sent with these options come back as plain values. */
function isPlucked(sent: QueryOptions): boolean {
  return sent.pluck === true
}

function isInsert(node: StatementNode, sql: string): boolean {
  return node.kind === 'insert' || (node.kind === 'raw' && /^\s*(insert|replace)\b/i.test(sql))
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
function runSync(site: Site, statement: Ready, sent: QueryOptions): DriverResult | undefined {
  const { node, compiled } = statement
  if (site.sendSync === undefined || compiled.emulateReturning !== undefined) return undefined
  if (isRowsInsert(node) && compiled.params.length > site.runtime.dialect.capabilities.maxParams) return undefined
  try {
    return site.sendSync(compiled.sql, statement.params, sent)
  } catch (error) {
    throw enrichError(error, node)
  }
}

/**
 * Turns what the driver returned for a statement into what a method returns; `plucked` when
 * the rows are the values of a one-field shape.
 */
type Shaper<T> = (result: DriverResult, statement: Ready, dialect: Dialect, plucked: boolean) => T

/**
 * Runs a statement and shapes its result, returning a promise either way; errors become
 * rejections. The shapers are module functions, so a call allocates no closure.
 */
function settle<T>(
  site: Site,
  query: Statement,
  values: ParamValues | undefined,
  wanted: Want,
  shaper: Shaper<T>,
  statementOptions: StatementOptions | undefined,
): Promise<T> {
  const { runtime } = site
  const { dialect } = runtime
  let statement: Ready
  // Chosen once, so every row of the statement (all chunks of a split insert) has one form.
  let sent: QueryOptions
  let limit: Limit | undefined
  try {
    statement = ready(query, values, dialect, runtime.validateJson)
    sent = options(statement.compiled.result, wanted, runtime.plucks)
    limit = statementOptions === undefined && site.timeoutMs === undefined ? undefined : limitOf(site.timeoutMs, statementOptions)
    const result = limit === undefined ? runSync(site, statement, sent) : undefined
    if (result !== undefined) return Promise.resolve(shaper(result, statement, dialect, isPlucked(sent)))
  } catch (error) {
    return Promise.reject(error)
  }
  return run(site, statement, sent, limit).then((result) => shaper(result, statement, dialect, isPlucked(sent)))
}

/** Runs a ready statement: split when too large, RETURNING emulated when needed. */
function run(site: Site, statement: Ready, sent: QueryOptions, limit?: Limit): Promise<DriverResult> {
  const { node, compiled } = statement
  // The common case goes straight to the site: no async frame of its own.
  const plain = !isRowsInsert(node) && compiled.emulateReturning === undefined
  const result = plain ? site.send(compiled.sql, statement.params, sent, limit) : runSpecial(site, statement, sent, limit)
  return mayEnrich(node)
    ? result.catch((error: unknown) => {
        throw enrichError(error, node)
      })
    : result
}

async function runSpecial(site: Site, statement: Ready, sent: QueryOptions, limit: Limit | undefined): Promise<DriverResult> {
  const { node, compiled } = statement
  const { dialect } = site.runtime
  if (isRowsInsert(node) && compiled.params.length > (await paramLimit(site))) {
    const chunks = splitInsert(node, dialect, await paramLimit(site))
    return site.atomic(async (inner) => {
      const rows: unknown[] = []
      let rowsAffected = 0
      let insertId: number | bigint | undefined
      for (const chunk of chunks) {
        const result = await runCompiled(inner, chunk, chunk.params, sent, limit)
        for (const row of result.rows) rows.push(row)
        rowsAffected += result.rowsAffected
        insertId ??= result.insertId
      }
      return { rows, rowsAffected, insertId }
    })
  }
  return runCompiled(site, compiled, statement.params, sent, limit)
}

/** Runs a compiled statement; each statement it takes gets the whole `limit`. */
async function runCompiled(site: Site, compiled: CompiledQuery, params: readonly unknown[], sent: QueryOptions, limit: Limit | undefined): Promise<DriverResult> {
  const emulate = compiled.emulateReturning
  if (emulate === undefined) return site.send(compiled.sql, params, sent, limit)
  if (emulate.kind === 'update') return updateReturning(site, compiled, emulate, sent, limit)
  const inserted = await site.send(compiled.sql, params, ALL.raw, limit)
  if (emulate.byKeys) {
    const selected = await site.send(emulate.selectSql, emulate.selectParams, options(compiled.result, ALL_ARRAYS, isPlucked(sent)), limit)
    return { rows: selected.rows, rowsAffected: inserted.rowsAffected, insertId: inserted.insertId }
  }
  const first = inserted.insertId
  if (first === undefined || first === 0 || first === 0n) {
    throw new QuarryError(`cannot return the inserted rows of ${emulate.table}: the database reported no generated id`)
  }
  const start = typeof first === 'string' ? BigInt(first) : first
  const end = typeof start === 'bigint' ? start + BigInt(inserted.rowsAffected) : start + inserted.rowsAffected
  // Every selected row, in the form the caller reads (`sent`).
  const selected = await site.send(emulate.selectSql, [...emulate.selectParams, start, end], options(compiled.result, ALL_ARRAYS, isPlucked(sent)), limit)
  return { rows: selected.rows, rowsAffected: inserted.rowsAffected, insertId: first }
}

/**
 * An update's RETURNING, emulated in one transaction (or savepoint): the matching rows' keys are
 * locked `FOR UPDATE` (so no concurrent writer changes which rows match, or their values, before
 * the update), the rows are updated by those keys, and the returned columns are read by the keys
 * the rows have now.
 */
async function updateReturning(site: Site, compiled: CompiledQuery, emulate: UpdateReturning, sent: QueryOptions, limit: Limit | undefined): Promise<DriverResult> {
  const { dialect } = site.runtime
  return site.atomic(async (inner) => {
    const locked = (await inner.send(emulate.lockSql, emulate.lockParams, ALL_ARRAYS.raw, limit)).rows as unknown[][]
    if (locked.length === 0) return { rows: [], rowsAffected: 0 }
    const width = emulate.keyWidth
    const oldKeys: unknown[] = []
    const newKeys: unknown[] = []
    for (const row of locked) for (let i = 0; i < width; i++) (oldKeys.push(row[i]), newKeys.push(row[width + i]))
    const where = (first: number) => keyListSql(dialect, emulate.keyColumns, width, locked.length, first)
    const updated = await inner.send(emulate.updatePrefix + where(emulate.updateParams.length + 1), [...emulate.updateParams, ...oldKeys], ALL.raw, limit)
    const selectSql = emulate.selectPrefix + where(emulate.selectParams.length + 1)
    const selected = await inner.send(selectSql, [...emulate.selectParams, ...newKeys], options(compiled.result, ALL_ARRAYS, isPlucked(sent)), limit)
    return { rows: selected.rows, rowsAffected: updated.rowsAffected }
  })
}

/** Result objects: shaped rows, or the driver's objects for raw SQL. */
function rowsOf(rows: readonly unknown[], shape: ResultShape | undefined, dialect: Dialect, plucked: boolean): unknown[] {
  if (shape === undefined) return rows as unknown[]
  return buildRows(rows, rowBuilder(shape, dialect, plucked))
}

const allOf: Shaper<unknown[]> = (result, statement, dialect, plucked) => rowsOf(result.rows, statement.compiled.result, dialect, plucked)

const firstOf: Shaper<unknown> = (result, statement, dialect, plucked) => {
  const { rows } = result
  if (rows.length === 0) return undefined
  const shape = statement.compiled.result
  return shape === undefined ? rows[0] : rowBuilder(shape, dialect, plucked)(rows[0])
}

const oneOf: Shaper<unknown> = (result, statement, dialect, plucked) => {
  const { length } = result.rows
  if (length === 0) throw new NoResultError('one() expected exactly one row and found none')
  if (length > 1) throw new MultipleResultsError(`one() expected exactly one row and found ${length}`)
  return firstOf(result, statement, dialect, plucked)
}

const scalarOf: Shaper<unknown> = (result, statement, dialect, plucked) => {
  if (result.rows.length === 0) throw new NoResultError('scalar() found no row (use first() when a row may be missing)')
  return firstValue(statement.compiled.result, result.rows[0], dialect, plucked)
}

const executeOf: Shaper<ExecuteResult> = (result, statement, dialect, plucked) => {
  const shape = statement.compiled.result
  const rows = shape === undefined && result.rows.length === 0 ? undefined : rowsOf(result.rows, shape, dialect, plucked)
  const insertId = result.insertId !== undefined && isInsert(statement.node, statement.compiled.sql) ? result.insertId : undefined
  return {
    rowsAffected: result.rowsAffected,
    ...(insertId !== undefined && { insertId }),
    ...(rows !== undefined && { rows }),
  }
}

async function* iterate(site: Site, query: Statement, values: ParamValues | undefined, statementOptions: StatementOptions | undefined): AsyncIterable<unknown> {
  const { dialect } = site.runtime
  const statement = ready(query, values, dialect, site.runtime.validateJson)
  const limit = statementOptions === undefined ? undefined : limitOf(undefined, statementOptions)
  if (limit?.timeoutMs !== undefined) {
    throw new QuarryError('iterate() takes no timeoutMs: a loop runs as long as its reader; pass a signal, or break out of the loop')
  }
  if (limit?.signal?.aborted) throw abortedBefore(statement.compiled.sql, limit.signal)
  const { compiled } = statement
  const shape = compiled.result
  const sent = options(shape, ALL, site.runtime.plucks)
  if (compiled.emulateReturning !== undefined || (isRowsInsert(statement.node) && compiled.params.length > (await paramLimit(site)))) {
    // Several statements: nothing to stream.
    yield* rowsOf((await run(site, statement, sent)).rows, shape, dialect, isPlucked(sent))
    return
  }
  const build = shape === undefined ? undefined : rowBuilder(shape, dialect, isPlucked(sent))
  const rows = site.stream(compiled.sql, statement.params, sent)
  const signal = limit?.signal
  if (signal !== undefined) {
    // Leaving the loop by throwing closes the stream, as `break` does.
    for await (const row of rows) {
      if (signal.aborted) throw new StatementCanceledError('iterate() was canceled by its AbortSignal while reading rows', { sql: compiled.sql, cause: signal.reason })
      yield build === undefined ? row : build(row)
    }
  } else if (build === undefined) yield* rows
  else for await (const row of rows) yield build(row)
}

/** The public statement methods over a site. */
export function queryable(site: Site): Queryable {
  const methods: Queryable = {
    dialect: site.runtime.dialect,
    all: (query, values, limit) => settle(site, query, values, ALL, allOf, limit) as Promise<never>,
    first: (query, values, limit) => settle(site, query, values, FIRST, firstOf, limit) as Promise<never>,
    one: (query, values, limit) => settle(site, query, values, ALL, oneOf, limit) as Promise<never>,
    scalar: (query, values, limit) => settle(site, query, values, SCALAR, scalarOf, limit) as Promise<never>,
    execute: (query, values, limit) => settle(site, query, values, ALL, executeOf, limit) as Promise<never>,
    iterate: (query, values, limit) => iterate(site, query, values, limit) as AsyncIterable<never>,
    transaction: (fn, options) => withRetry(options?.retry, (attempt) => site.atomic(async (inner) => fn(transactionOf(inner, attempt)), options)),
  }
  return methods
}

/** The `tx` object handed to a transaction callback; its nested transactions (savepoints) share the outer attempt. */
function transactionOf(site: Site, attempt: RetryAttempt): Transaction {
  return Object.freeze({
    ...queryable(site),
    transaction(fn, options) {
      if (options?.retry !== undefined) {
        throw new QuarryError('transaction(fn, { retry }) inside a transaction: only the outermost transaction can be run again; pass retry to it')
      }
      return site.atomic(async (inner) => fn(transactionOf(inner, attempt)), options)
    },
    preventRetry: attempt.preventRetry,
    attempt: attempt.number,
  } satisfies Transaction)
}
