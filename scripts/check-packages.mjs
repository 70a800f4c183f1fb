// `npm run check:packages`: builds, packs every package and checks each tarball as a user's tools
// would see it: publint (package.json fields against the packed files) and
// @arethetypeswrong/cli (types resolve alike under node16 and bundler). attw runs with the
// esm-only profile: the packages are ESM only, so node10 and require-from-CJS resolution are
// not checked (Node ≥ 20.19 can require() them; see README "Install").
import { rmSync } from 'node:fs'
import { join } from 'node:path'
import { packAll, ROOT, run } from './packages.mjs'

const bin = (name) => join(ROOT, 'node_modules', '.bin', name)
run(process.execPath, [join(ROOT, 'scripts', 'build.mjs')])
const out = join(ROOT, '.tmp', 'packs')
rmSync(out, { recursive: true, force: true })
for (const p of packAll(out)) {
  run(bin('publint'), ['--strict'], { cwd: p.folder })
  run(bin('attw'), [p.tarball, '--profile', 'esm-only', '--format', 'table-flipped'])
}
console.log('publint and attw: every package passes')
