/**
 * The full cycle through the `quarry` CLI as a user runs it, on every dialect: autogenerate from
 * empty and upgrade; change the schema (add a column, rename a column and a table with hints,
 * change a type, add an index and an FK, add an enum value); autogenerate and upgrade; downgrade
 * to base and upgrade again; `check` clean. Then two `upgrade` processes at once: one applies,
 * the other waits and finds nothing left to do.
 */
import { spawn, spawnSync } from 'node:child_process'
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { sql } from '@quarry/core'
import { afterAll, expect, test } from 'vitest'
import { forEachDialect } from '../support'

const CLI = join(import.meta.dirname, '../../packages/migrate/src/cli.ts')
const WORK = join(import.meta.dirname, '.work')
const ARGS = ['--conditions=@quarry/source', '--import', 'tsx', CLI]
let counter = 0

afterAll(() => rmSync(WORK, { recursive: true, force: true }))

const V1 = `import { defineSchema } from '@quarry/core'
export const schema = defineSchema({
  users: {
    columns: {
      id: { type: 'integer', primaryKey: true },
      email: { type: 'varchar', length: 100, unique: true },
      name: { type: 'varchar', length: 50 },
      mood: { type: 'enum', values: ['happy', 'sad'], default: 'happy' },
    },
  },
  posts: {
    columns: {
      id: { type: 'integer', primaryKey: true },
      authorId: { type: 'integer', index: true, references: { to: 'users.id', onDelete: 'cascade' } },
      title: { type: 'varchar', length: 100 },
    },
  },
}, { casing: 'snake_case' })
`

const V2 = `import { defineSchema } from '@quarry/core'
export const schema = defineSchema({
  members: {
    renamedFrom: 'users',
    columns: {
      id: { type: 'integer', primaryKey: true },
      email: { type: 'varchar', length: 100, unique: true },
      fullName: { type: 'varchar', length: 50, renamedFrom: 'name' },
      mood: { type: 'enum', values: ['happy', 'sad', 'meh'], default: 'happy' },
      bio: { type: 'text', nullable: true },
    },
  },
  posts: {
    columns: {
      id: { type: 'integer', primaryKey: true },
      authorId: { type: 'integer', index: true, references: { to: 'members.id', onDelete: 'cascade' } },
      title: { type: 'varchar', length: 200 },
      editorId: { type: 'integer', nullable: true, index: true, references: { to: 'members.id', onDelete: 'set null' } },
    },
    indexes: [{ columns: ['title'] }],
  },
}, { casing: 'snake_case' })
`

function quarry(cwd: string, url: string, ...args: string[]): { code: number; out: string } {
  const r = spawnSync(process.execPath, [...ARGS, ...args], { cwd, env: { ...process.env, DATABASE_URL: url }, encoding: 'utf8', timeout: 60_000 })
  return { code: r.status ?? -1, out: (r.stdout ?? '') + (r.stderr ?? '') }
}

function quarryAsync(cwd: string, url: string, ...args: string[]): Promise<{ code: number; out: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...ARGS, ...args], { cwd, env: { ...process.env, DATABASE_URL: url } })
    let out = ''
    child.stdout.on('data', (d) => (out += d))
    child.stderr.on('data', (d) => (out += d))
    child.on('error', reject)
    child.on('close', (code) => resolve({ code: code ?? -1, out }))
  })
}

forEachDialect((db) => {
  async function project(): Promise<{ dir: string; url: string }> {
    const target = await db.target()
    const url = target.options.searchPath ? `${target.url}${target.url.includes('?') ? '&' : '?'}search_path=${target.options.searchPath}` : target.url
    const dir = join(WORK, `${db.dialect}-${process.pid}-${++counter}`)
    mkdirSync(join(dir, 'src'), { recursive: true })
    writeFileSync(join(dir, 'src/schema.ts'), V1)
    const init = quarry(dir, url, 'init')
    expect(init.out).toContain('wrote quarry.config.ts')
    return { dir, url }
  }

  test('the full cycle through the CLI: autogenerate, upgrade, change, autogenerate, upgrade, downgrade base, upgrade, check', async () => {
    const { dir, url } = await project()
    const engine = await db.engine()
    const first = quarry(dir, url, 'revision', '-m', 'create users and posts', '--autogenerate')
    expect(first.code, first.out).toBe(0)
    expect(quarry(dir, url, 'upgrade').out).toMatch(/step 1: createTable users \(\d+ ms\)/)
    await engine.execute(sql`INSERT INTO users (email, name) VALUES ('a@x.io', 'Ann'), ('b@x.io', 'Bob')`)
    await engine.execute(sql`INSERT INTO posts (author_id, title) VALUES (1, 'hello'), (2, 'world')`)

    writeFileSync(join(dir, 'src/schema.ts'), V2)
    const second = quarry(dir, url, 'revision', '-m', 'members', '--autogenerate')
    expect(second.code, second.out).toBe(0)
    const file = readdirSync(join(dir, 'migrations')).sort()[1]
    const text = readFileSync(join(dir, 'migrations', file), 'utf8')
    expect(text).toContain('op.renameTable("users", "members")')
    expect(text).toContain('op.renameColumn("members", "name", "full_name")')
    expect(text).not.toContain('dropColumn("members", "name")')
    const up = quarry(dir, url, 'upgrade')
    expect(up.code, up.out).toBe(0)
    const rows = await engine.all(sql<{ email: string; full_name: string; mood: string }>`SELECT email, full_name, mood FROM members ORDER BY id`)
    expect(rows).toEqual([{ email: 'a@x.io', full_name: 'Ann', mood: 'happy' }, { email: 'b@x.io', full_name: 'Bob', mood: 'happy' }])
    await engine.execute(sql`UPDATE members SET mood = 'meh' WHERE id = 2`)
    expect(await engine.scalar(sql`SELECT mood FROM members WHERE id = 2`)).toBe('meh')
    // The downgrade narrows the enum again: a row holding the new value would stop it.
    await engine.execute(sql`UPDATE members SET mood = 'sad' WHERE id = 2`)
    expect(await engine.all(sql`SELECT title FROM posts ORDER BY id`)).toEqual([{ title: 'hello' }, { title: 'world' }])
    await engine.execute(sql`INSERT INTO posts (author_id, title, editor_id) VALUES (1, ${'x'.repeat(150)}, 2)`)
    const clean = quarry(dir, url, 'check')
    expect(clean.code, clean.out).toBe(0)

    // The downgrade narrows title to 100 characters again: the long title would stop it.
    await engine.execute(sql`DELETE FROM posts WHERE editor_id = 2`)
    const down = quarry(dir, url, 'downgrade', 'base')
    expect(down.code, down.out).toBe(0)
    expect(down.out).toContain('warning:')
    expect(quarry(dir, url, 'current').out).toContain('<base>')
    const again = quarry(dir, url, 'upgrade', 'head')
    expect(again.code, again.out).toBe(0)
    expect(again.out).toContain('applied 2 migrations')
    const check = quarry(dir, url, 'check')
    expect(check.code, check.out).toBe(0)
    expect(check.out).toContain('no differences')
    // A difference makes check fail, naming it.
    writeFileSync(join(dir, 'src/schema.ts'), V1)
    const drift = quarry(dir, url, 'check')
    expect(drift.code).toBe(1)
    expect(drift.out).toContain('dropTable members')
    expect(drift.out).toContain('createTable users')
  }, 240_000)

  test('two upgrade processes at once: one applies each migration, the other waits and has nothing left', async () => {
    const { dir, url } = await project()
    expect(quarry(dir, url, 'revision', '-m', 'first', '--autogenerate').code).toBe(0)
    const [a, b] = await Promise.all([quarryAsync(dir, url, 'upgrade'), quarryAsync(dir, url, 'upgrade')])
    expect(a.code, a.out).toBe(0)
    expect(b.code, b.out).toBe(0)
    const applied = [a.out, b.out].filter((o) => o.includes('applied 1 migrations'))
    expect(applied).toHaveLength(1)
    expect([a.out, b.out].filter((o) => o.includes('already up to date'))).toHaveLength(1)
    const engine = await db.engine()
    expect(Number(await engine.scalar(sql`SELECT COUNT(*) AS n FROM quarry_migrations`))).toBe(1)
  }, 120_000)
})
