/**
 * Connection URLs: `dialect+driver://user:password@host:port/database?options`, plus the SQLite
 * forms `sqlite:///relative.db`, `sqlite:////absolute.db` and `sqlite::memory:`.
 */
import type { DialectName } from '../dialects/dialect.js'
import { UrlError } from '../errors.js'

/** The client libraries Quarry can drive. */
export type DriverName = 'better-sqlite3' | 'postgres' | 'mysql2'

/** A parsed connection URL. */
export interface ParsedUrl {
  readonly dialect: DialectName
  readonly driver: DriverName
  readonly user?: string
  readonly password?: string
  readonly host?: string
  readonly port?: number
  readonly database?: string
  /** SQLite: the file name, or `:memory:`. */
  readonly filename?: string
  readonly options: Readonly<Record<string, string>>
  /** The URL with the password replaced by `***`, safe to print. */
  readonly display: string
}

const DIALECTS: Readonly<Record<string, DialectName>> = {
  sqlite: 'sqlite',
  sqlite3: 'sqlite',
  postgres: 'postgres',
  postgresql: 'postgres',
  mysql: 'mysql',
  mariadb: 'mysql',
}

const DRIVERS: Readonly<Record<DialectName, readonly DriverName[]>> = {
  sqlite: ['better-sqlite3'],
  postgres: ['postgres'],
  mysql: ['mysql2'],
}

/** The `?key=value` options each driver understands. */
const DRIVER_OPTIONS: Readonly<Record<DriverName, readonly string[]>> = {
  'better-sqlite3': ['mode', 'timeout', 'journal_mode', 'foreign_keys'],
  postgres: ['sslmode', 'ssl', 'application_name', 'search_path', 'connect_timeout', 'statement_timeout', 'pooler'],
  mysql2: ['charset', 'ssl', 'connect_timeout'],
}

/** Other spellings of driver names. */
const DRIVER_ALIASES: Readonly<Record<string, DriverName>> = {
  better_sqlite3: 'better-sqlite3',
  betterSqlite3: 'better-sqlite3',
  postgresjs: 'postgres',
  'postgres.js': 'postgres',
}

/** The URL with its password masked, for messages. */
export function displayUrl(url: string): string {
  return url.replace(/^([^:/?#]+:\/\/[^:/@?#]*:)(.*)@(?=[^@]*$)/, '$1***@')
}

function decode(part: string, what: string, url: string): string {
  try {
    return decodeURIComponent(part)
  } catch {
    throw new UrlError(`invalid %-escape in the ${what} of '${displayUrl(url)}' (escape '%' itself as %25)`)
  }
}

function parseOptions(query: string, url: string): Record<string, string> {
  const options: Record<string, string> = {}
  if (query === '') return options
  for (const pair of query.split('&')) {
    if (pair === '') continue
    const eq = pair.indexOf('=')
    if (eq <= 0) throw new UrlError(`URL option '${pair}' in '${displayUrl(url)}' needs the form key=value`)
    options[decode(pair.slice(0, eq), 'options', url)] = decode(pair.slice(eq + 1).replace(/\+/g, ' '), 'options', url)
  }
  return options
}

/**
 * Parses a connection URL, or throws `UrlError` naming the part that is wrong.
 * @example parseUrl('postgresql://app:s%40cret@db:5432/shop?sslmode=require')
 */
export function parseUrl(url: string): ParsedUrl {
  if (typeof url !== 'string' || url.trim() === '') throw new UrlError('the connection URL is empty')
  const display = displayUrl(url)
  if (url === 'sqlite::memory:' || url === 'sqlite3::memory:') {
    return { dialect: 'sqlite', driver: 'better-sqlite3', filename: ':memory:', options: {}, display }
  }
  const schemeEnd = url.indexOf('://')
  if (schemeEnd <= 0) {
    throw new UrlError(`'${display}' is not a connection URL: expected 'dialect://…' such as 'postgresql://user:password@host/db' or 'sqlite:///app.db'`)
  }
  const scheme = url.slice(0, schemeEnd)
  const [dialectPart, driverPart, extra] = scheme.split('+')
  const dialect = DIALECTS[dialectPart!.toLowerCase()]
  if (dialect === undefined || extra !== undefined) {
    throw new UrlError(`unknown dialect '${scheme}' in '${display}': expected sqlite, postgresql (postgres), mysql or mariadb`)
  }
  const driver = resolveDriver(dialect, driverPart, display)

  const afterScheme = url.slice(schemeEnd + 3)
  const queryStart = queryStartOf(afterScheme, driver)
  const rest = queryStart < 0 ? afterScheme : afterScheme.slice(0, queryStart)
  const options = parseOptions(queryStart < 0 ? '' : afterScheme.slice(queryStart + 1), url)
  const supported = DRIVER_OPTIONS[driver]
  const unknown = Object.keys(options).find((key) => !supported.includes(key))
  if (unknown !== undefined) {
    throw new UrlError(`unknown option '${unknown}' in '${display}': ${driver} understands ${supported.join(', ')}`)
  }

  if (dialect === 'sqlite') {
    // sqlite:// (memory), sqlite:///relative.db, sqlite:////absolute.db
    if (rest !== '' && !rest.startsWith('/')) {
      throw new UrlError(`SQLite URLs take no host ('${rest.split('/')[0]}' in '${display}'): use sqlite:///relative.db or sqlite:////absolute/path.db`)
    }
    const path = decode(rest.slice(1), 'file name', url)
    return { dialect, driver, filename: path === '' ? ':memory:' : path, options, display }
  }

  // The last '@' ends the credentials, so an unescaped '@' in a password still parses.
  const at = rest.lastIndexOf('@')
  const credentials = at >= 0 ? rest.slice(0, at) : undefined
  const location = at >= 0 ? rest.slice(at + 1) : rest
  const slash = location.indexOf('/')
  const hostPort = slash < 0 ? location : location.slice(0, slash)
  const path = slash < 0 ? '' : location.slice(slash + 1)

  let user: string | undefined
  let password: string | undefined
  if (credentials !== undefined) {
    const colon = credentials.indexOf(':')
    user = decode(colon < 0 ? credentials : credentials.slice(0, colon), 'user name', url)
    password = colon < 0 ? undefined : decode(credentials.slice(colon + 1), 'password', url)
    if (user === '') user = undefined
  }

  let host: string | undefined
  let port: number | undefined
  const [hostText, portText] = splitHostPort(hostPort, display)
  host = hostText
  if (portText !== undefined) {
    const text = portText
    port = /^\d{1,5}$/.test(text) ? Number(text) : NaN
    if (!(port >= 1 && port <= 65535)) throw new UrlError(`invalid port '${text}' in '${display}': expected a number from 1 to 65535`)
  }
  if (/[\s/?#@&=]/.test(host)) throw new UrlError(`invalid host '${host}' in '${display}'`)
  if (host === '') host = undefined

  const database = path === '' ? undefined : decode(path, 'database name', url)
  if (database !== undefined && database.includes('/')) {
    throw new UrlError(`invalid database name '${database}' in '${display}': it may not contain '/'`)
  }
  return { dialect, driver, user, password, host, port, database, options, display }
}

/**
 * Where the `?options` start. The credentials end at the last '@', so '@', '?' and '#' may
 * appear unescaped in a password: when the text after the first '?' is not a list of this
 * driver's options and an '@' follows it, that '?' is the password's and the options start
 * after the last '@'. (An '@' in an option value stays the option's when the options parse.)
 */
function queryStartOf(afterScheme: string, driver: DriverName): number {
  const first = afterScheme.indexOf('?')
  const at = afterScheme.lastIndexOf('@')
  if (first < 0 || at < first || /[/?#]/.test(afterScheme.slice(0, at).split(':')[0]!)) return first
  if (isOptionList(afterScheme.slice(first + 1), driver)) return first
  const after = afterScheme.indexOf('?', at)
  return after < 0 ? -1 : after
}

function isOptionList(query: string, driver: DriverName): boolean {
  return query.split('&').every((pair) => {
    const eq = pair.indexOf('=')
    if (pair === '') return true
    if (eq <= 0) return false
    try {
      return DRIVER_OPTIONS[driver].includes(decodeURIComponent(pair.slice(0, eq)))
    } catch {
      return false
    }
  })
}

/** `host`, `host:port`, `[v6]` or `[v6]:port` → host and port text; a malformed IPv6 form says what is wrong. */
function splitHostPort(hostPort: string, display: string): [string, string | undefined] {
  const v6 = 'an IPv6 address is written in brackets, as in postgres://user@[::1]:5432/db'
  if (hostPort.startsWith('[')) {
    const close = hostPort.indexOf(']')
    if (close < 0) throw new UrlError(`unclosed '[' in the host '${hostPort}' of '${display}': ${v6}`)
    const after = hostPort.slice(close + 1)
    if (after !== '' && !after.startsWith(':')) {
      throw new UrlError(`after the IPv6 address ${hostPort.slice(0, close + 1)} expected ':port' or the end of the host, got '${after}' in '${display}'`)
    }
    return [hostPort.slice(1, close), after === '' ? undefined : after.slice(1)]
  }
  const colon = hostPort.indexOf(':')
  if (colon >= 0 && hostPort.indexOf(':', colon + 1) >= 0) {
    throw new UrlError(`the IPv6 address '${hostPort}' needs brackets: [${hostPort}] in '${display}' (${v6})`)
  }
  return colon < 0 ? [hostPort, undefined] : [hostPort.slice(0, colon), hostPort.slice(colon + 1)]
}

function resolveDriver(dialect: DialectName, name: string | undefined, display: string): DriverName {
  const known = DRIVERS[dialect]
  if (name === undefined) return known[0]!
  const driver = DRIVER_ALIASES[name] ?? (name as DriverName)
  if (!known.includes(driver)) {
    throw new UrlError(`unknown driver '${name}' for ${dialect} in '${display}': supported drivers are ${known.join(', ')}`)
  }
  return driver
}
