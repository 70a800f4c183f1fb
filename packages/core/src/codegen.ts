/**
 * The one place Quarry generates code from strings (row builders, ORM entity code), so that V8
 * sees fixed property names instead of keys that change per column. Where code generation is not
 * allowed (`node --disallow-code-generation-from-strings`, a Content-Security-Policy without
 * 'unsafe-eval') every caller falls back to a loop (`npm run test:nocodegen` runs those).
 */

let allowed: boolean | undefined

/** Can this process compile code from strings? Asked once. */
export function codeGenerationAllowed(): boolean {
  if (allowed === undefined) {
    try {
      // eslint-disable-next-line no-new-func
      allowed = typeof new Function('return 1') === 'function'
    } catch {
      allowed = false
    }
  }
  return allowed
}

/**
 * Compiles `source` (a function expression) with `bindings` in scope; `undefined` where code
 * generation is not allowed: the caller then falls back to a loop.
 * @example generated<(o: object) => unknown[]>('function cells(o) { return [o["id"]] }')
 */
export function generated<T>(source: string, bindings: Readonly<Record<string, unknown>> = {}): T | undefined {
  if (!codeGenerationAllowed()) return undefined
  try {
    // eslint-disable-next-line no-new-func
    return new Function(...Object.keys(bindings), `return ${source}`)(...Object.values(bindings)) as T
  } catch {
    return undefined
  }
}
