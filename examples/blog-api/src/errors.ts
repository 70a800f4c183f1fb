/**
 * Errors as HTTP answers. One handler serves validation and the database: `toFieldErrors` turns
 * a `ZodError`, a unique, foreign-key, not-null or check violation into zod-shaped field errors,
 * answered 409 for a duplicate and 422 otherwise. Anything else is a 500 that is logged.
 */
import { UniqueViolation } from '@quarry/core'
import { toFieldErrors } from '@quarry/zod'
import type { Context, ErrorHandler } from 'hono'
import { HTTPException } from 'hono/http-exception'
import type { z } from 'zod'
import { schema } from './schema.js'

/** Hono's error handler for the app. */
export const onError: ErrorHandler = (error, c) => {
  if (error instanceof HTTPException) return c.json({ error: error.message }, error.status)
  const errors = toFieldErrors(error, schema)
  if (errors) return c.json({ errors }, error instanceof UniqueViolation ? 409 : 422)
  console.error(error)
  return c.json({ error: 'internal error' }, 500)
}

/** Stops the request with a 404 naming what was not found. */
export function notFound(what: string): never {
  throw new HTTPException(404, { message: `${what} not found` })
}

/**
 * The JSON body decoded by `schema` (a 400 when it is not JSON, a 422 naming the fields when the
 * schema refuses it).
 * @example const values = await body(c, NewUser)
 */
export async function body<TSchema extends z.ZodType>(c: Context, schema: TSchema): Promise<z.output<TSchema>> {
  let json: unknown
  try {
    json = await c.req.json()
  } catch {
    throw new HTTPException(400, { message: 'the body is not JSON' })
  }
  return schema.parse(json)
}
