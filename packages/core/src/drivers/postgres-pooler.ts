/**
 * `pooler: 'transaction'`: PostgreSQL behind a transaction pooler (PgBouncer's `pool_mode =
 * transaction`). The pooler gives a client a server connection for one transaction (or one
 * statement outside a transaction) and then hands that server to another client, so nothing may
 * outlive a transaction on the server:
 * - no named server-side prepared statements (the next use may reach a server that never saw it);
 * - no session state: session-level `SET`/`RESET`, `LISTEN`, session advisory locks and
 *   `set_config(…, false)` are refused before they are sent, naming the option and what to use
 *   instead (`SET LOCAL`, `pg_advisory_xact_lock`);
 * - no `search_path` at connect time (PgBouncer refuses the startup parameter).
 * The migration lock is already transaction-scoped (`pg_advisory_xact_lock`).
 */
import type { ParsedUrl } from '../engine/url.js'
import { PoolerError, QuarryError, UrlError } from '../errors.js'

/** The poolers Quarry knows how to run behind. */
export type PoolerMode = 'transaction'

const MODES: readonly PoolerMode[] = ['transaction']

/**
 * The pooler mode of an engine: the `pooler` option or the URL's `?pooler=`; both given and
 * different is an error. `searchPath` (or `?search_path=`) is refused with it.
 */
export function resolvePooler(option: unknown, url: ParsedUrl, searchPath: readonly string[] | undefined): PoolerMode | undefined {
  const { display } = url
  const urlValue = url.options.pooler
  if (option !== undefined && !MODES.includes(option as PoolerMode)) {
    throw new QuarryError(`pooler must be 'transaction' (PgBouncer's pool_mode = transaction) or left out (got ${JSON.stringify(option)})`)
  }
  if (urlValue !== undefined && !MODES.includes(urlValue as PoolerMode)) {
    throw new UrlError(`URL option pooler=${urlValue} in '${display}' is invalid: the only pooler mode is 'transaction'`)
  }
  if (option !== undefined && urlValue !== undefined && option !== urlValue) {
    throw new QuarryError(`pooler: '${String(option)}' and the URL's pooler=${urlValue} disagree in '${display}': give one of them`)
  }
  const mode = (option ?? urlValue) as PoolerMode | undefined
  if (mode !== undefined && url.dialect !== 'postgres') throw new QuarryError(`pooler is a PostgreSQL option; ${display} is ${url.dialect}`)
  if (mode !== undefined && (searchPath !== undefined || url.options.search_path !== undefined)) {
    throw new QuarryError(
      `searchPath (or ?search_path=) cannot be used with pooler: 'transaction' in '${display}': it is session state, which a transaction pooler ` +
        "does not keep (PgBouncer refuses it as a startup parameter). Qualify tables with their schema, set it for the role (ALTER ROLE … SET search_path), " +
        'or run SET LOCAL search_path = … first in each transaction',
    )
  }
  return mode
}

/** Leading comments and whitespace, skipped before the first keyword. */
const LEADING = /^(?:\s+|--[^\n]*\n?|\/\*[\s\S]*?\*\/)*/

/** SET forms that last only for the transaction (or for its constraints). */
const TRANSACTION_SET = /^set\s+(?:local\b|transaction\b|constraints\b)/i
const SET_LOCAL = /^set\s+local\b/i
const SESSION_ADVISORY = /\bpg_(?:try_)?advisory_(?:lock|unlock)(?:_shared|_all)?\s*\(/i
const SESSION_SET_CONFIG = /\bset_config\s*\([^()]*,\s*false\s*\)/i

/**
 * The error for a statement that would leave state on a pooled server connection, or
 * `undefined` when it is safe behind a transaction pooler.
 * @example poolerRefusal('SET search_path = app', true) // PoolerError: … use SET LOCAL …
 */
export function poolerRefusal(sql: string, inTransaction: boolean): PoolerError | undefined {
  const text = sql.slice(LEADING.exec(sql)![0].length)
  const keyword = /^[a-z]+/i.exec(text)?.[0].toLowerCase()
  const refuse = (what: string, instead: string) =>
    new PoolerError(
      `${what} is refused with pooler: 'transaction': the pooler hands the server connection to other clients after each transaction, ` +
        `so session state would leak to them or be lost; ${instead}\n  SQL: ${sql.length > 200 ? sql.slice(0, 200) + '…' : sql}`,
      { sql },
    )
  if (keyword === 'set') {
    if (SET_LOCAL.test(text) && !inTransaction) {
      return refuse('SET LOCAL outside a transaction (it would have no effect)', 'run it first inside engine.transaction(…)')
    }
    if (!TRANSACTION_SET.test(text)) return refuse('a session-level SET', 'use SET LOCAL inside a transaction')
  }
  if (keyword === 'reset') return refuse('RESET', 'SET LOCAL values end with their transaction')
  if (keyword === 'listen') return refuse('LISTEN', 'listen on a direct connection to the server (not through the pooler)')
  if (SESSION_ADVISORY.test(text)) return refuse('a session advisory lock', 'use pg_advisory_xact_lock / pg_try_advisory_xact_lock inside a transaction')
  if (SESSION_SET_CONFIG.test(text)) return refuse("set_config(…, false) (session-level)", 'use set_config(name, value, true) inside a transaction')
  return undefined
}
