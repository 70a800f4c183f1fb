// The workspace packages that have sources to build: every packages/<name> holding src/index.ts.
// A package whose sources have not been written yet is left out of the build, the packing and
// the checks, so adding one needs no change here.
import { spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'

/** The repository's root folder. */
export const ROOT = join(import.meta.dirname, '..')

/** Each buildable package: its folder, name and package.json. */
export function buildablePackages() {
  const dir = join(ROOT, 'packages')
  return readdirSync(dir)
    .sort()
    .map((name) => join(dir, name))
    .filter((folder) => existsSync(join(folder, 'src', 'index.ts')))
    .map((folder) => {
      const manifest = JSON.parse(readFileSync(join(folder, 'package.json'), 'utf8'))
      return { folder, name: manifest.name, manifest }
    })
}

/** Packs every buildable package (as built) into `destination`; returns [{ name, tarball }]. */
export function packAll(destination) {
  mkdirSync(destination, { recursive: true })
  return buildablePackages().map((p) => {
    const out = spawnSync('npm', ['pack', '--json', '--pack-destination', destination], { cwd: p.folder, encoding: 'utf8' })
    if (out.status !== 0) throw new Error(`npm pack failed in ${p.folder}:\n${out.stderr}`)
    const [{ filename }] = JSON.parse(out.stdout)
    return { name: p.name, folder: p.folder, tarball: join(destination, filename) }
  })
}

/** Runs a command with inherited output; exits the process with its status when it fails. */
export function run(command, args, options = {}) {
  console.log(`$ ${[command, ...args].join(' ')}`)
  const { status, error } = spawnSync(command, args, { cwd: ROOT, stdio: 'inherit', ...options })
  if (status !== 0) {
    console.error(`error: '${[command, ...args].join(' ')}' ${error ? `failed: ${error.message}` : `exited with ${status}`}`)
    process.exit(status || 1)
  }
}
