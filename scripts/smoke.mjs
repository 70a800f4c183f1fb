// `npm run test:smoke`: the consumer smoke test. Builds and packs every package, installs the
// tarballs (not the workspace links) into a fresh project in the system's temp folder with the
// drivers from the registry as any user gets them (`--prefer-offline`; better-sqlite3 may compile
// from source there, 2-3 minutes), then:
//   1. `node app.mjs` runs the session on SQLite and on PostgreSQL (QUARRY_PG_URL to override);
//   2. `node require.cjs` loads the packages with require() (Node >= 20.19);
//   3. `tsc --noEmit` passes on user.ts under NodeNext, Node16 and Bundler resolution, strict with
//      noUncheckedIndexedAccess and exactOptionalPropertyTypes, skipLibCheck off and on;
//   4. misspelt.ts (authors.nmae) fails to compile, naming the property: the types did not
//      degrade to `any`.
import { spawnSync } from 'node:child_process'
import { copyFileSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { packAll, ROOT, run } from './packages.mjs'

const fixtures = join(ROOT, 'scripts', 'smoke')
const started = Date.now()
// `--in <dir>` reruns the checks in a project made by an earlier run (no new install).
const reuse = process.argv.includes('--in') ? process.argv[process.argv.indexOf('--in') + 1] : undefined
const project = reuse ?? mkdtempSync(join(tmpdir(), 'quarry-smoke-'))
console.log(`smoke project: ${project} (left in place if a check fails)`)
const inProject = { cwd: project }
for (const file of readdirSync(fixtures)) copyFileSync(join(fixtures, file), join(project, file))
if (!reuse) {
  run(process.execPath, [join(ROOT, 'scripts', 'build.mjs')])
  const packs = packAll(join(project, 'packs'))
  writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'quarry-smoke-app', private: true, type: 'module' }, null, 2))
  run('npm', [
    'install', '--prefer-offline', '--no-audit', '--no-fund', '--loglevel=error',
    ...packs.map((p) => p.tarball),
    'better-sqlite3@^12', 'postgres@^3.4', 'typescript@~5.9.3', '@types/node@^20.19',
  ], inProject)
}

run(process.execPath, ['app.mjs'], inProject)
run(process.execPath, ['require.cjs'], inProject)

const strictest = { strict: true, noUncheckedIndexedAccess: true, exactOptionalPropertyTypes: true, target: 'ES2022', lib: ['ES2022', 'ESNext.Disposable'], types: ['node'], noEmit: true }
const configs = {
  nodenext: { module: 'NodeNext', moduleResolution: 'NodeNext', skipLibCheck: false },
  node16: { module: 'Node16', moduleResolution: 'Node16', skipLibCheck: false },
  bundler: { module: 'ESNext', moduleResolution: 'Bundler', skipLibCheck: false },
  'nodenext-skiplibcheck': { module: 'NodeNext', moduleResolution: 'NodeNext', skipLibCheck: true },
}
const tsc = join(project, 'node_modules', 'typescript', 'bin', 'tsc')
for (const [name, options] of Object.entries(configs)) {
  const file = `tsconfig.${name}.json`
  writeFileSync(join(project, file), JSON.stringify({ compilerOptions: { ...strictest, ...options }, files: ['user.ts'] }, null, 2))
  run(process.execPath, [tsc, '-p', file], inProject)
  console.log(`tsc (${name}): user.ts compiles`)
}
writeFileSync(join(project, 'tsconfig.misspelt.json'), JSON.stringify({ compilerOptions: { ...strictest, ...configs.nodenext }, files: ['misspelt.ts'] }, null, 2))
const bad = spawnSync(process.execPath, [tsc, '-p', 'tsconfig.misspelt.json'], { ...inProject, encoding: 'utf8' })
const expected = /misspelt\.ts\(5,\d+\): error TS2339: Property 'nmae' does not exist/
if (bad.status === 0 || !expected.test(bad.stdout)) {
  console.error(`error: misspelt.ts should fail with TS2339 on 'nmae' (exit ${bad.status}):\n${bad.stdout}${bad.stderr}`)
  process.exit(1)
}
console.log(`tsc: a misspelt column is still an error (${bad.stdout.trim().split('\n')[0]})`)

if (!reuse) rmSync(project, { recursive: true, force: true })
console.log(`consumer smoke test passed in ${Math.round((Date.now() - started) / 1000)} s`)
