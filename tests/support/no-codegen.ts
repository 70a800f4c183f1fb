/**
 * Setup file of `npm run test:nocodegen`: code generation from strings fails in the test process,
 * as under `node --disallow-code-generation-from-strings` or a Content-Security-Policy without
 * 'unsafe-eval'. (The real flag cannot be given to Vitest's workers: its pool loads them with
 * `new Function`.) `new Function(…)` and `eval(…)` throw the same EvalError the flag raises, so
 * Quarry's code generation takes its fallback paths; a check below fails the run if it did not.
 */
import { afterAll, expect } from 'vitest'
import { codeGenerationAllowed } from '../../packages/core/src/codegen'

const refuse = (): never => {
  throw new EvalError('Code generation from strings disallowed for this context')
}
let attempts = 0
const NativeFunction = Function
globalThis.Function = new Proxy(NativeFunction, {
  construct: () => (attempts++, refuse()),
  apply: () => (attempts++, refuse()),
})
globalThis.eval = () => (attempts++, refuse())

afterAll(() => {
  // The same module instance the suite used answers that code generation is refused, and it found
  // out by trying (so the refusal above, not a cached answer from elsewhere, is what it saw).
  expect(codeGenerationAllowed()).toBe(false)
  expect(attempts).toBeGreaterThan(0)
})
