/**
 * Quarry as the benchmarks import it: the public API of `@quarry/core` and `@quarry/orm`, through
 * the root workspace links. `createEngine` is taken from the engine module until the package
 * index exports it.
 */
import * as core from '@quarry/core'
import * as engineModule from '../../packages/core/src/engine/index'

export * from '@quarry/core'
export type { Engine } from '../../packages/core/src/engine/index'

export const createEngine: typeof engineModule.createEngine =
  (core as unknown as { createEngine?: typeof engineModule.createEngine }).createEngine ?? engineModule.createEngine
