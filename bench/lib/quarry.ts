/**
 * Quarry as the benchmarks import it: the built packages (`npm run build`, each package's dist/), as a
 * user's install runs them and as the peers run their published JavaScript. `npm run bench` builds
 * first and runs tsx with bench/tsconfig.json, whose empty `paths` and `customConditions` let
 * Node's own resolution take the `import` export to dist/.
 */
export * from '@quarry/core'

const resolved = import.meta.resolve('@quarry/core')
if (!resolved.includes('/dist/')) {
  throw new Error(`bench: @quarry/core resolved to ${resolved}, not its built dist/: run through \`npm run bench\` (which builds and sets TSX_TSCONFIG_PATH=bench/tsconfig.json)`)
}
