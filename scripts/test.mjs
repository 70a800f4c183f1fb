// `npm test`: type-check, type tests (tsd) and the behaviour suite on every reachable dialect.
// With CI=true it also checks what a user installs: it builds the packages, runs the type tests
// again against the built declarations, and publint and attw on each tarball. Locally those run
// with `npm run test:ci` (or one at a time: `npm run check:packages`, `npm run test:types:built`).
import { join } from 'node:path'
import { ROOT, run } from './packages.mjs'

const ci = process.env.CI === 'true' || process.env.CI === '1' || process.argv.includes('--ci')
const npm = (script) => run('npm', ['run', '--silent', script])

npm('typecheck')
npm('test:types')
if (ci) {
  npm('check:packages')
  npm('test:types:built')
}
run(join(ROOT, 'node_modules', '.bin', 'vitest'), ['run'])
if (!ci) console.log('\nskipped (not CI): the build, publint/attw and the type tests on the built .d.ts; `npm run test:ci` runs them')
