/**
 * Types a json column without a zod schema: `{ type: 'json', $type: typed<Settings>() }`.
 * Returns `undefined` at run time; the schema stays plain data.
 */
export function typed<T>(): T {
  return undefined as T
}
