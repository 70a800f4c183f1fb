// A real PgBouncer in transaction pooling on loopback, for the pooler tests.
//
//   node scripts/topology/pgbouncer.mjs --install   installs the Debian package when the binary is missing (root)
//   node scripts/topology/pgbouncer.mjs --start     starts one in front of 127.0.0.1:5432 and waits for Ctrl-C
//
// Tests import `startPgbouncer()`: it writes an ini in a temporary directory (trust auth, pool_mode
// transaction, a free port on 127.0.0.1, every database of the server behind it), runs pgbouncer as
// a child process (as the `postgres` user when we are root: pgbouncer refuses to run as root), waits
// until it accepts connections and returns `stop()`, which ends it and removes the directory.
import { execFileSync, spawn } from 'node:child_process'
import { chmodSync, chownSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { connect, createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'

const CANDIDATES = ['/usr/sbin/pgbouncer', '/usr/bin/pgbouncer', '/usr/local/bin/pgbouncer', '/usr/local/sbin/pgbouncer']

/** The pgbouncer binary's path, or `undefined` when it is not installed. */
export function pgbouncerBinary() {
  for (const path of CANDIDATES) if (existsSync(path)) return path
  try {
    return execFileSync('sh', ['-c', 'command -v pgbouncer'], { encoding: 'utf8' }).trim() || undefined
  } catch {
    return undefined
  }
}

/** Installs pgbouncer from the distribution's packages when it is missing. */
export function installPgbouncer() {
  const found = pgbouncerBinary()
  if (found !== undefined) {
    console.log(`pgbouncer is installed: ${found}`)
    return found
  }
  console.log('pgbouncer is missing: apt-get update && apt-get install -y pgbouncer')
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' }
  execFileSync('apt-get', ['update'], { stdio: 'inherit', env })
  execFileSync('apt-get', ['install', '-y', 'pgbouncer'], { stdio: 'inherit', env })
  const installed = pgbouncerBinary()
  if (installed === undefined) throw new Error('apt-get install pgbouncer finished but no pgbouncer binary was found')
  return installed
}

/** A TCP port nobody listens on now. */
function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address()
      server.close(() => resolve(port))
    })
  })
}

/** True once something accepts a TCP connection on host:port. */
function accepts(host, port) {
  return new Promise((resolve) => {
    const socket = connect({ host, port })
    const done = (ok) => {
      socket.destroy()
      resolve(ok)
    }
    socket.setTimeout(500, () => done(false))
    socket.once('connect', () => done(true))
    socket.once('error', () => done(false))
  })
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms))

function userId(name) {
  try {
    return { uid: Number(execFileSync('id', ['-u', name], { encoding: 'utf8' })), gid: Number(execFileSync('id', ['-g', name], { encoding: 'utf8' })) }
  } catch {
    throw new Error(`pgbouncer refuses to run as root and there is no '${name}' user to run it as`)
  }
}

function logTail(dir) {
  const file = join(dir, 'pgbouncer.log')
  return existsSync(file) ? readFileSync(file, 'utf8').split('\n').slice(-15).join('\n') : '(no log written)'
}

/**
 * Starts pgbouncer in transaction pooling in front of `server` (default 127.0.0.1:5432) on a free
 * loopback port. Options: `poolSize` (default_pool_size, default 2), `maxClientConn` (default 200),
 * `users` (names allowed in, default postgres and root), `timeoutMs` (how long to wait for it to
 * accept connections, default 10 s). Resolves to { host, port, url(database, user), log(), stop() }.
 */
export async function startPgbouncer(options = {}) {
  const binary = pgbouncerBinary()
  if (binary === undefined) throw new Error('pgbouncer is not installed: run `node scripts/topology/pgbouncer.mjs --install` (as root)')
  const server = options.server ?? { host: '127.0.0.1', port: 5432 }
  const poolSize = options.poolSize ?? 2
  const timeoutMs = options.timeoutMs ?? 10_000
  const users = options.users ?? ['postgres', 'root']
  const host = '127.0.0.1'
  const root = process.getuid?.() === 0
  const dir = mkdtempSync(join(tmpdir(), 'quarry-pgbouncer-'))
  chmodSync(dir, 0o755)
  const owner = root ? userId('postgres') : undefined
  const write = (name, text) => {
    const file = join(dir, name)
    writeFileSync(file, text, { mode: 0o644 })
    if (owner) chownSync(file, owner.uid, owner.gid)
  }
  if (owner) chownSync(dir, owner.uid, owner.gid)

  let child
  let port
  let exited
  const started = Date.now()
  try {
    // The port is free when chosen but could be taken before pgbouncer binds it: try a few.
    for (let attempt = 1; ; attempt++) {
      port = await freePort()
      write('userlist.txt', users.map((user) => `"${user}" ""`).join('\n') + '\n')
      write(
        'pgbouncer.ini',
        [
          '[databases]',
          `* = host=${server.host} port=${server.port}`,
          '[pgbouncer]',
          `listen_addr = ${host}`,
          `listen_port = ${port}`,
          'unix_socket_dir =',
          'auth_type = trust',
          `auth_file = ${join(dir, 'userlist.txt')}`,
          'pool_mode = transaction',
          `default_pool_size = ${poolSize}`,
          'min_pool_size = 0',
          'reserve_pool_size = 0',
          `max_client_conn = ${options.maxClientConn ?? 200}`,
          'max_db_connections = 0',
          `logfile = ${join(dir, 'pgbouncer.log')}`,
          `admin_users = ${users.join(', ')}`,
          'ignore_startup_parameters = extra_float_digits',
          'server_check_delay = 0',
          'log_connections = 0',
          'log_disconnections = 0',
          '',
        ].join('\n'),
      )
      const args = root ? ['-u', 'postgres', join(dir, 'pgbouncer.ini')] : [join(dir, 'pgbouncer.ini')]
      child = spawn(binary, args, { stdio: ['ignore', 'ignore', 'pipe'] })
      let stderr = ''
      child.stderr.on('data', (chunk) => (stderr += chunk))
      exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal, stderr: () => stderr })))
      let gone
      exited.then((how) => (gone = how))
      const deadline = Date.now() + timeoutMs
      while (gone === undefined && Date.now() < deadline && !(await accepts(host, port))) await sleep(50)
      if (gone === undefined && Date.now() < deadline) break
      if (gone === undefined) {
        child.kill('SIGKILL')
        throw new Error(`waited ${timeoutMs} ms for pgbouncer (${binary}) to accept TCP connections on ${host}:${port}; its log:\n${logTail(dir)}`)
      }
      if (attempt >= 3) {
        throw new Error(`pgbouncer (${binary}) exited (code ${gone.code}, signal ${gone.signal}) before accepting connections on ${host}:${port}:\n${gone.stderr()}\n${logTail(dir)}`)
      }
    }
  } catch (error) {
    rmSync(dir, { recursive: true, force: true })
    throw error
  }
  const onExit = () => child.kill('SIGKILL')
  process.once('exit', onExit)
  let stopping
  return {
    host,
    port,
    dir,
    startedMs: Date.now() - started,
    /** A postgres:// URL through this pgbouncer. */
    url: (database = 'test', user = 'postgres') => `postgres://${user}@${host}:${port}/${database}`,
    /** The last lines of pgbouncer's log. */
    log: () => logTail(dir),
    /** Ends pgbouncer (SIGTERM, SIGKILL after 5 s) and removes its directory. */
    stop() {
      stopping ??= (async () => {
        process.removeListener('exit', onExit)
        if (child.exitCode === null && child.signalCode === null) {
          child.kill('SIGTERM')
          const timer = setTimeout(() => child.kill('SIGKILL'), 5000)
          await exited
          clearTimeout(timer)
        }
        rmSync(dir, { recursive: true, force: true })
      })()
      return stopping
    },
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const args = process.argv.slice(2)
  if (args.includes('--install')) installPgbouncer()
  if (args.includes('--start')) {
    const bouncer = await startPgbouncer()
    console.log(`pgbouncer (transaction pooling) on ${bouncer.url()} in ${bouncer.startedMs} ms; Ctrl-C stops it`)
    const end = async () => {
      await bouncer.stop()
      process.exit(0)
    }
    process.once('SIGINT', end)
    process.once('SIGTERM', end)
  }
  if (!args.includes('--install') && !args.includes('--start')) {
    console.error('usage: node scripts/topology/pgbouncer.mjs --install | --start')
    process.exit(2)
  }
}
