/**
 * Functions generated from source once per table (entity constructors, snapshot takers, insert
 * and fill code), so that V8 sees fixed property names instead of keys that change per column.
 */

/**
 * Compiles `source` (a function expression) with `bindings` in scope; `undefined` where code
 * generation is not allowed (a Content-Security-Policy without 'unsafe-eval'): the caller then
 * falls back to a loop.
 * @example generated<(o: object) => unknown[]>('function cells(o) { return [o["id"]] }')
 */
export function generated<T>(source: string, bindings: Readonly<Record<string, unknown>> = {}): T | undefined {
  try {
    // eslint-disable-next-line no-new-func
    return new Function(...Object.keys(bindings), `return ${source}`)(...Object.values(bindings)) as T
  } catch {
    return undefined
  }
}
