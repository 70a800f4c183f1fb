/**
 * Statement logging: `echo: true` prints one readable line per statement with its parameters
 * and duration; `echo: fn` receives the same facts as data.
 */

/** One executed statement. */
export interface EchoEvent {
  readonly sql: string
  readonly params: readonly unknown[]
  readonly durationMs: number
  /** Rows returned or affected, when the statement succeeded. */
  readonly rowCount?: number
  /** The (translated) error, when the statement failed. */
  readonly error?: unknown
}

/** `true` to print, or a function receiving each statement. */
export type EchoOption = boolean | ((event: EchoEvent) => void)

const MAX_PARAMS_SHOWN = 20
const MAX_ITEMS_SHOWN = 3
const MAX_STRING = 80
const MAX_SQL = 2000

/** A short, readable rendering of one parameter. */
function formatParam(value: unknown): string {
  if (typeof value === 'string') {
    return JSON.stringify(value.length > MAX_STRING ? value.slice(0, MAX_STRING) + '…' : value)
  }
  if (typeof value === 'bigint') return `${value}n`
  if (value instanceof Date) return value.toISOString()
  if (value instanceof Uint8Array) return `<${value.length} bytes>`
  if (value === undefined) return 'undefined'
  // A column's values of a large insert (PostgreSQL's unnest): its first few.
  if (Array.isArray(value)) return `[${value.slice(0, MAX_ITEMS_SHOWN).map(formatParam).join(', ')}${value.length > MAX_ITEMS_SHOWN ? `, … ${value.length - MAX_ITEMS_SHOWN} more` : ''}]`
  if (typeof value === 'object' && value !== null) {
    const text = JSON.stringify(value) ?? String(value)
    return text.length > MAX_STRING ? text.slice(0, MAX_STRING) + '…' : text
  }
  return String(value)
}

/** Formats an event as one line: duration, SQL, parameters, outcome. */
export function formatEcho(event: EchoEvent): string {
  const shown = event.params.slice(0, MAX_PARAMS_SHOWN).map(formatParam).join(', ')
  const more = event.params.length > MAX_PARAMS_SHOWN ? `, … ${event.params.length - MAX_PARAMS_SHOWN} more` : ''
  const params = event.params.length > 0 ? `  [${shown}${more}]` : ''
  const outcome = event.error !== undefined
    ? `  → ${(event.error as Error).name ?? 'Error'}`
    : event.rowCount !== undefined
      ? `  → ${event.rowCount} row${event.rowCount === 1 ? '' : 's'}`
      : ''
  const sql = event.sql.length > MAX_SQL ? event.sql.slice(0, MAX_SQL) + '…' : event.sql
  return `[quarry] ${event.durationMs.toFixed(1)} ms  ${sql.replace(/\s+/g, ' ').trim()}${params}${outcome}`
}

/** The logger for an `echo` option, or `undefined` when echo is off. */
export function createEcho(option: EchoOption | undefined): ((event: EchoEvent) => void) | undefined {
  if (option === undefined || option === false) return undefined
  if (option === true) return (event) => console.log(formatEcho(event))
  if (typeof option === 'function') return option
  throw new TypeError(`echo must be true, false or a function (got ${typeof option})`)
}
