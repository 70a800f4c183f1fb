/**
 * The `quarry` CLI's usage errors, without a database: every command has `--help`; a missing,
 * broken or misspelt config, a bad URL and an unknown command each get one readable line naming
 * the file, option or URL at fault (never a stack trace, never a password), and exit non-zero.
 */
import { spawn } from 'node:child_process'
import { mkdirSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, expect, test } from 'vitest'

const CLI = join(import.meta.dirname, '../../packages/migrate/src/cli.ts')
const WORK = join(import.meta.dirname, '.work-usage')
const COMMANDS = ['init', 'revision', 'upgrade', 'downgrade', 'current', 'heads', 'history', 'merge', 'stamp', 'check', 'pull', 'lint']

afterAll(() => rmSync(WORK, { recursive: true, force: true }))

/** Runs the CLI in a fresh folder holding `config` (if any) as quarry.config.ts. */
function quarry(config: string | undefined, ...args: string[]): Promise<{ code: number; out: string }> {
  const cwd = join(WORK, String(Math.random()).slice(2))
  mkdirSync(cwd, { recursive: true })
  if (config !== undefined) writeFileSync(join(cwd, 'quarry.config.ts'), config)
  return new Promise((resolve, reject) => {
    const env = { ...process.env }
    delete env.DATABASE_URL
    delete env.DIRECT_DATABASE_URL
    const child = spawn(process.execPath, ['--conditions=@quarry/source', '--import', 'tsx', CLI, ...args], { cwd, env })
    let out = ''
    child.stdout.on('data', (d) => (out += d))
    child.stderr.on('data', (d) => (out += d))
    const timer = setTimeout(() => (child.kill(), reject(new Error(`quarry ${args.join(' ')} did not exit within 30 s`))), 30_000)
    child.on('close', (code) => (clearTimeout(timer), resolve({ code: code ?? -1, out })))
  })
}

test('every command has --help that names it and exits 0', { timeout: 60_000 }, async () => {
  const results = await Promise.all(COMMANDS.map((command) => quarry(undefined, command, '--help')))
  results.forEach(({ code, out }, i) => {
    expect([COMMANDS[i], code]).toEqual([COMMANDS[i], 0])
    expect(out).toContain(`Usage: quarry ${COMMANDS[i]}`)
  })
  const top = await quarry(undefined, '--help')
  expect(top.code).toBe(0)
  for (const command of COMMANDS) expect(top.out).toContain(command)
})

test('usage errors are one readable line naming what is wrong, with a non-zero exit', { timeout: 60_000 }, async () => {
  const cases: [config: string | undefined, args: string[], message: RegExp][] = [
    [undefined, ['current'], /no config file at .*quarry\.config\.ts: run 'quarry init'/],
    ['export default { url: ', ['current'], /config .*quarry\.config\.ts failed to load/],
    ["export default { urll: 'sqlite:///x.db', migration: './m' }", ['current'], /unknown options 'urll', 'migration' \(known: url, directUrl, schema, migrations, lockTimeoutMs\)/],
    ["export default { url: 42 }", ['current'], /'url' must be a string/],
    ["export default { url: 'sqlite:///x.db', lockTimeoutMs: 'soon' }", ['current'], /'lockTimeoutMs' must be a number/],
    ["export default { schema: './schema.ts' }", ['current'], /no database URL: set DATABASE_URL or 'url'/],
    ["export default { url: 'sqlite:./x.db' }", ['current'], /'sqlite:\.\/x\.db' is not a connection URL/],
    ["export default { url: 'postgres://me:s3cr3t?x@[::1/db' }", ['current'], /unclosed '\[' in the host/],
    ["export default { url: 'sqlite:///x.db', schema: './missing.ts' }", ['check'], /schema module .*missing\.ts does not exist/],
    [undefined, ['frobnicate'], /unknown command 'frobnicate'/],
  ]
  const results = await Promise.all(cases.map(([config, args]) => quarry(config, ...args)))
  results.forEach(({ code, out }, i) => {
    const [, args, message] = cases[i]!
    expect([args, code === 0]).toEqual([args, false])
    expect(out).toMatch(message)
    expect(out).not.toMatch(/\n\s+at /)
    expect(out).not.toContain('s3cr3t')
  })
})
