// `npm run test:nocodegen`: the query, ORM, values and security suites with code generation from
// strings refused in the test processes (tests/support/no-codegen.ts), so the fallbacks of every
// `new Function` path (row builders, ORM entity code) run and are checked.
// QUARRY_NOCODEGEN_FILES=dir-or-file,… narrows it (`npm test` with CI=true runs a shortened set).
import { defineConfig } from 'vitest/config'
import base from './vitest.config'

const include = (process.env.QUARRY_NOCODEGEN_FILES ?? 'tests/query,tests/orm,tests/values,tests/security')
  .split(',')
  .map((path) => (path.endsWith('.ts') ? path : `${path}/**/*.test.ts`))

// Not mergeConfig: it concatenates arrays, which would put the whole suite back into `include`.
export default defineConfig({ ...base, test: { ...base.test, include, setupFiles: ['tests/support/no-codegen.ts'] } })
