// `npm test`: type-check, type tests (tsd) and the behaviour suite on every reachable dialect.
// With CI=true it also checks what a user installs: it builds the packages, runs the type tests
// again against the built declarations, publint and attw on each tarball, and the consumer smoke
// test (scripts/smoke.mjs: a fresh project installing the packed tarballs; 2-3 minutes, most of it
// compiling better-sqlite3). Locally those run with `npm run test:ci` (or one at a time:
// `npm run check:packages`, `npm run test:types:built`, `npm run test:smoke`).
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
// The fallbacks of code generation (issue 12, item 3): a shortened set in CI, all with `npm run test:nocodegen`.
if (ci) {
  run(join(ROOT, 'node_modules', '.bin', 'vitest'), ['run', '-c', 'vitest.nocodegen.config.ts'], {
    env: { ...process.env, QUARRY_NOCODEGEN_FILES: 'tests/security,tests/orm,tests/query/queries.test.ts' },
  })
}
if (ci) npm('test:smoke')
if (!ci) console.log('\nskipped (not CI): the build, publint/attw, the type tests on the built .d.ts, the no-code-generation run and the consumer smoke test (slow: it compiles better-sqlite3); `npm run test:ci` runs them')
