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
  const queryStart = afterScheme.indexOf('?')
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

  let host: string | undefined = hostPort
  let port: number | undefined
  const portMatch = /^(\[[^\]]*\]|[^:]*)(?::(.*))?$/.exec(hostPort)!
  host = portMatch[1]!.replace(/^\[(.*)\]$/, '$1')
  if (portMatch[2] !== undefined) {
    const text = portMatch[2]
    port = /^\d{1,5}$/.test(text) ? Number(text) : NaN
    if (!(port >= 1 && port <= 65535)) throw new UrlError(`invalid port '${text}' in '${display}': expected a number from 1 to 65535`)
  }
  if (/[\s/?#]/.test(host)) throw new UrlError(`invalid host '${host}' in '${display}'`)
  if (host === '') host = undefined

  const database = path === '' ? undefined : decode(path, 'database name', url)
  if (database !== undefined && database.includes('/')) {
    throw new UrlError(`invalid database name '${database}' in '${display}': it may not contain '/'`)
  }
  return { dialect, driver, user, password, host, port, database, options, display }
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
