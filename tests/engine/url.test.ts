/**
 * Connection URLs, engine options and driver loading: no database needed.
 */
import { describe, expect, test } from 'vitest'
import { importPeer } from '../../packages/core/src/drivers/load'
import { createEngine, parseUrl } from '../../packages/core/src/engine'
import { DriverNotInstalledError, QuarryError, UrlError } from '../../packages/core/src/errors'
import { readFileSync } from 'node:fs'

describe('parseUrl', () => {
  test('dialect+driver://user:password@host:port/database?options', () => {
    expect(parseUrl('postgresql+postgres://app:s%40cr%2Fet@db.example.com:6543/shop?sslmode=require')).toMatchObject({
      dialect: 'postgres',
      driver: 'postgres',
      user: 'app',
      password: 's@cr/et',
      host: 'db.example.com',
      port: 6543,
      database: 'shop',
      options: { sslmode: 'require' },
      display: 'postgresql+postgres://app:***@db.example.com:6543/shop?sslmode=require',
    })
  })

  test.each([
    ['postgres://u@h/d', 'postgres', 'postgres'],
    ['postgresql://u@h/d', 'postgres', 'postgres'],
    ['mysql://u@h/d', 'mysql', 'mysql2'],
    ['mariadb://u@h/d', 'mysql', 'mysql2'],
    ['mysql+mysql2://u@h/d', 'mysql', 'mysql2'],
    ['sqlite+better-sqlite3:///x.db', 'sqlite', 'better-sqlite3'],
  ])('%s', (url, dialect, driver) => {
    expect(parseUrl(url)).toMatchObject({ dialect, driver })
  })

  test('SQLite file forms', () => {
    expect(parseUrl('sqlite:///relative.db').filename).toBe('relative.db')
    expect(parseUrl('sqlite:////absolute/path.db').filename).toBe('/absolute/path.db')
    expect(parseUrl('sqlite::memory:').filename).toBe(':memory:')
    expect(parseUrl('sqlite://').filename).toBe(':memory:')
    expect(parseUrl('sqlite:///data.db?mode=ro').options).toEqual({ mode: 'ro' })
  })

  test('no port, no credentials, IPv6 host, unescaped @ in the password', () => {
    expect(parseUrl('mysql://localhost/db')).toMatchObject({ host: 'localhost', port: undefined, user: undefined, database: 'db' })
    expect(parseUrl('postgres://u@[::1]:5433/db')).toMatchObject({ host: '::1', port: 5433 })
    expect(parseUrl('postgres://u:p@ss@host/db')).toMatchObject({ password: 'p@ss', host: 'host' })
  })

  test.each([
    ['', /empty/],
    ['localhost:5432/db', /not a connection URL/],
    ['oracle://u@h/d', /unknown dialect 'oracle'/],
    ['postgres+pg://u@h/d', /unknown driver 'pg' for postgres.*postgres/],
    ['postgres://u@h:99999/d', /invalid port '99999'/],
    ['postgres://u@h:abc/d', /invalid port 'abc'/],
    ['postgres://u:bad%zzpw@h/d', /%-escape in the password/],
    ['postgres://u@h/a/b', /invalid database name 'a\/b'/],
    ['sqlite://host/x.db', /SQLite URLs take no host \('host'/],
    ['postgres://u@h/d?sslmode', /'sslmode'.*key=value/],
    ['postgres://u@h/d?sslmod=require', /unknown option 'sslmod'.*sslmode/],
  ])('rejects %j naming the wrong part', (url, message) => {
    expect(() => parseUrl(url)).toThrow(UrlError)
    expect(() => parseUrl(url)).toThrow(message)
  })

  test('never shows the password in errors', () => {
    expect(() => parseUrl('postgres://u:hunter2@h:x/d')).toThrow(/u:\*\*\*@h:x/)
    expect(() => parseUrl('postgres://u:hunter2@h:x/d')).not.toThrow(/hunter2/)
  })

  // Issue 12: an unclosed IPv6 bracket said "invalid port ':1'"; an unescaped '?' in a password put the rest of it into the error.
  test.each([
    ['postgres://[::1', /unclosed '\[' in the host '\[::1'.*IPv6 address is written in brackets/],
    ['postgres://u@[::1/db', /unclosed '\[' in the host '\[::1'/],
    ['postgres://[::1]x/db', /after the IPv6 address \[::1\] expected ':port'/],
    ['postgres://::1/db', /IPv6 address '::1' needs brackets: \[::1\]/],
  ])('IPv6 mistakes say what is wrong: %s', (url, message) => {
    expect(() => parseUrl(url)).toThrow(UrlError)
    expect(() => parseUrl(url)).toThrow(message)
    expect(() => parseUrl(url)).not.toThrow(/invalid port/)
  })

  test.each([
    ['postgres://app:pa?ss#wd@db:5432/shop', 'pa?ss#wd'],
    ['postgres://app:s3?cr#et=1&x@db/shop?sslmode=require', 's3?cr#et=1&x'],
    ['mysql://app:p@ss?word@db/shop', 'p@ss?word'],
    ['postgres://app:ab/cd?ef@db/shop', 'ab/cd?ef'],
  ])('a password with unescaped ? and # parses: %s', (url, password) => {
    const parsed = parseUrl(url)
    expect(parsed).toMatchObject({ user: 'app', password, host: 'db', database: 'shop' })
    expect(parsed.display).not.toContain(password)
  })

  test.each([
    ['postgres://app:Sec?ret#Part@db:port/shop', 'Sec?ret#Part'],
    ['postgres://app:Sec?ret#Part@db/shop?sslmod=require', 'Sec?ret#Part'],
    ['postgres://app:Sec?ret#Part@[::1/shop', 'Sec?ret#Part'],
    ['postgres://app:Sec?ret#Part@db/a/b', 'Sec?ret#Part'],
    ['postgres://app:Sec?ret%zz@db/shop', 'Sec?ret%zz'],
    ['mysql://app:Sec?ret@db/shop?charset', 'Sec?ret'],
    ['postgres://app:Sec?ret#Part@h/d?application_name=x@y&bad', 'Sec?ret#Part'],
  ])('a UrlError never shows any part of the password: %s', (url, password) => {
    const error = (() => {
      try {
        parseUrl(url)
      } catch (e) {
        return e as Error
      }
    })()
    expect(error).toBeInstanceOf(UrlError)
    for (const part of [password, ...password.split(/[?#%]/).filter((p) => p.length > 2)]) expect(error!.message).not.toContain(part)
    expect(String(error!.stack)).not.toContain(password)
  })

  test('an @ in an option value is still an option, not the end of the credentials', () => {
    expect(parseUrl('postgres://u:p@h/d?application_name=x@y')).toMatchObject({ user: 'u', password: 'p', host: 'h', database: 'd', options: { application_name: 'x@y' } })
    expect(parseUrl('postgres://h/d?application_name=a@b')).toMatchObject({ user: undefined, host: 'h', options: { application_name: 'a@b' } })
  })
})

describe('createEngine', () => {
  test('a malformed URL fails at once', () => {
    expect(() => createEngine('postgres://u@h:port/d')).toThrow(UrlError)
    expect(() => createEngine('nosql://x')).toThrow(/unknown dialect 'nosql'/)
  })

  test('checks pool options', () => {
    expect(() => createEngine('sqlite::memory:', { pool: { size: 0 } })).toThrow(/pool.size must be a number ≥ 1/)
    expect(() => createEngine('sqlite::memory:', { pool: { timeoutMs: -1 } })).toThrow(QuarryError)
    expect(() => createEngine('sqlite::memory:', { echo: 'yes' as never })).toThrow(/echo must be/)
  })

  test('searchPath is PostgreSQL only', () => {
    expect(() => createEngine('sqlite::memory:', { searchPath: 'x' })).toThrow(/searchPath is a PostgreSQL option/)
  })

  test('exposes the dialect and a masked URL', async () => {
    const engine = createEngine('postgres://u:secret@localhost/db')
    expect(engine.dialect.name).toBe('postgres')
    expect(engine.url).toBe('postgres://u:***@localhost/db')
    await engine.close()
  })
})

describe('drivers', () => {
  test('a missing driver package names the package to install', async () => {
    const error = await importPeer('quarry-no-such-driver', 'quarry-no-such-driver', 'postgresql').catch((e: unknown) => e)
    expect(error).toBeInstanceOf(DriverNotInstalledError)
    expect((error as Error).message).toBe("the postgresql driver needs the 'quarry-no-such-driver' package: npm install quarry-no-such-driver")
  })

  test('drivers are optional peer dependencies', () => {
    const manifest = JSON.parse(readFileSync(new URL('../../packages/core/package.json', import.meta.url), 'utf8'))
    for (const name of ['better-sqlite3', 'postgres', 'mysql2']) {
      expect(manifest.peerDependencies[name]).toBeTruthy()
      expect(manifest.peerDependenciesMeta[name]).toEqual({ optional: true })
    }
  })
})
