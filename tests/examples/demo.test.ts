// The demo (examples/tour.ts) creates its tables and drops them at the end: pointed at a database
// that already holds one of them, it must refuse and leave that table alone.
import { spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { afterAll, describe, expect, it } from 'vitest'

const root = join(import.meta.dirname, '..', '..')
const dir = mkdtempSync(join(tmpdir(), 'quarry-demo-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

/** Runs the demo against `file` (a SQLite database), returning its exit status and output. */
function demo(file: string): { status: number | null; output: string } {
  const run = spawnSync(join(root, 'node_modules', '.bin', 'tsx'), ['examples/tour.ts'], {
    cwd: root,
    env: { ...process.env, QUARRY_DEMO_URL: `sqlite:///${file}` },
    encoding: 'utf8',
    timeout: 120_000,
  })
  if (run.error) throw new Error(`running the demo on ${file} failed: ${run.error.message}`)
  return { status: run.status, output: run.stdout + run.stderr }
}

const tablesOf = (file: string) => {
  const db = new Database(file)
  try {
    return (db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name`).all() as { name: string }[]).map((r) => r.name)
  } finally {
    db.close()
  }
}

describe('npm run demo', () => {
  it('refuses a database that already has one of its tables, and leaves it there', () => {
    const file = join(dir, 'taken.db')
    const db = new Database(file)
    db.exec('CREATE TABLE users (id integer, mine text)')
    db.prepare('INSERT INTO users VALUES (1, ?)').run('keep me')
    db.close()

    const { status, output } = demo(file)
    expect(status).not.toBe(0)
    expect(output).toContain(`already has users: not the demo's to drop`)
    expect(tablesOf(file)).toEqual(['users'])
    const kept = new Database(file)
    expect(kept.prepare('SELECT mine FROM users').all()).toEqual([{ mine: 'keep me' }])
    kept.close()
  }, 180_000)

  it('on an empty database runs the tour and drops only what it created', () => {
    const file = join(dir, 'empty.db')
    const { status, output } = demo(file)
    expect(status, output.slice(-2000)).toBe(0)
    expect(output).toContain('CREATE TABLE')
    expect(tablesOf(file)).toEqual([])
  }, 180_000)
})
