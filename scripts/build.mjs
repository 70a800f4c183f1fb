// `npm run build`: tsc -b over every package that has src/index.ts (see packages.mjs), emitting
// ESM JavaScript, .d.ts and declaration maps into packages/<name>/dist. Incremental: a second
// run with nothing changed takes about a second. `--clean` removes dist first.
import { spawnSync } from 'node:child_process'
import { existsSync, rmSync } from 'node:fs'
import { createRequire } from 'node:module'
import { join, relative } from 'node:path'
import { buildablePackages, ROOT } from './packages.mjs'

const tsc = createRequire(join(ROOT, 'package.json')).resolve('typescript/bin/tsc')
const packages = buildablePackages()
for (const p of packages) {
  if (!existsSync(join(p.folder, 'tsconfig.build.json'))) {
    console.error(`error: ${relative(ROOT, p.folder)} has src/index.ts but no tsconfig.build.json (copy one from packages/core)`)
    process.exit(1)
  }
  if (process.argv.includes('--clean')) rmSync(join(p.folder, 'dist'), { recursive: true, force: true })
}
const projects = packages.map((p) => relative(ROOT, join(p.folder, 'tsconfig.build.json')))
console.log(`building ${packages.map((p) => p.name).join(', ')}`)
const { status } = spawnSync(process.execPath, [tsc, '-b', ...projects], { cwd: ROOT, stdio: 'inherit' })
process.exit(status ?? 1)
