/**
 * One SQLite library per process. MikroORM's @mikro-orm/better-sqlite 6 pins better-sqlite3 11,
 * while Quarry and every other contender use the root's better-sqlite3 12. Two SQLite libraries
 * in one process corrupt a WAL database they share ("database disk image is malformed": each
 * library's POSIX locks are released when the other closes the file; see SQLite's "How To
 * Corrupt An SQLite Database File", section 2.2). So every `require('better-sqlite3')` in this
 * process is sent to the root's copy (bench/package.json denies the pinned copy's build: it is
 * never loaded).
 */
import Module, { createRequire } from 'node:module'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = resolve(process.env.QUARRY_BENCH_DIR ?? resolve(dirname(fileURLToPath(import.meta.url)), '..'), '..')
const target = createRequire(join(root, 'package.json')).resolve('better-sqlite3')

type Resolve = (request: string, ...rest: unknown[]) => string
const internals = Module as unknown as { _resolveFilename: Resolve }
const original = internals._resolveFilename
internals._resolveFilename = function (this: unknown, request: string, ...rest: unknown[]) {
  return request === 'better-sqlite3' ? target : original.call(this, request, ...rest)
}
