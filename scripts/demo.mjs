// `npm run demo` / `npm run example`: installs the locked dependencies on a fresh clone, then runs the
// tour on SQLite, or the file given (`npm run example` starts examples/blog-api).
import { spawnSync } from 'node:child_process'
import { existsSync } from 'node:fs'

const run = (command, args) => {
  const { status } = spawnSync(command, args, { stdio: 'inherit', shell: process.platform === 'win32' })
  if (status !== 0) process.exit(status ?? 1)
}

if (!existsSync('node_modules/.bin/tsx') || !existsSync('node_modules/better-sqlite3/build')) {
  console.log('First run: installing dependencies (npm ci; better-sqlite3 may build from source, about 2 minutes)…')
  run('npm', ['ci', '--no-audit', '--no-fund'])
}
run('node_modules/.bin/tsx', [process.argv[2] ?? 'examples/tour.ts'])
