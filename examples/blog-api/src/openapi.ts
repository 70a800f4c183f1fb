/**
 * The OpenAPI 3.1 document at /openapi.json, generated from the same zod schemas the handlers
 * validate and encode with (`z.toJSONSchema`), so it cannot drift from the code. Bodies are
 * described in their wire form: a timestamp is an ISO 8601 string both ways.
 */
import { z } from 'zod'
import { FieldErrors, NewPost, NewUser, Post, PostPatch, PostQuery, Problem, Tag, User, UserPatch, UserQuery } from './schemas.js'

const components = { User, NewUser, UserPatch, Post, NewPost, PostPatch, Tag, FieldErrors, Problem }
type Name = keyof typeof components

const ref = (name: Name) => ({ $ref: `#/components/schemas/${name}` })
const json = (schema: object) => ({ content: { 'application/json': { schema } } })
const requestBody = (name: Name) => ({ required: true, ...json(ref(name)) })
const pageOf = (name: Name) => ({ type: 'object', required: ['items', 'nextCursor'], properties: { items: { type: 'array', items: ref(name) }, nextCursor: { type: ['string', 'null'] } } })

const errors = {
  '400': { description: 'the body is not JSON', ...json(ref('Problem')) },
  '404': { description: 'not found', ...json(ref('Problem')) },
  '409': { description: 'a unique value already taken (the field is named)', ...json(ref('FieldErrors')) },
  '422': { description: 'invalid input, or refused by a constraint (the fields are named)', ...json(ref('FieldErrors')) },
}
const pick = <K extends keyof typeof errors>(...codes: K[]) => Object.fromEntries(codes.map((code) => [code, errors[code]]))

const idParameter = { name: 'id', in: 'path', required: true, schema: { type: 'integer', minimum: 1 } }

/** Query parameters from a zod object: one per key, described by its input schema. */
function queryParameters(schema: z.ZodObject) {
  return Object.entries(schema.shape).map(([name, field]) => ({ name, in: 'query', required: false, schema: strip(z.toJSONSchema(field as z.ZodType, { io: 'input', unrepresentable: 'any' })) }))
}

/** A JSON Schema without its `$schema` key (OpenAPI 3.1 declares the dialect once). */
function strip(schema: Record<string, unknown>): Record<string, unknown> {
  const { $schema: _, ...rest } = schema
  return rest
}

function crud(name: 'User' | 'Post', create: Name, patch: Name, what: string) {
  return {
    item: {
      parameters: [idParameter],
      get: { summary: `one ${what}`, responses: { '200': { description: `the ${what}`, ...json(ref(name)) }, ...pick('404') } },
      patch: { summary: `change a ${what}`, requestBody: requestBody(patch), responses: { '200': { description: `the ${what}`, ...json(ref(name)) }, ...pick('400', '404', '409', '422') } },
      delete: { summary: `soft-delete a ${what}`, responses: { '204': { description: 'deleted' }, ...pick('404') } },
    },
    create: { summary: `create a ${what}`, requestBody: requestBody(create), responses: { '201': { description: `the new ${what}`, ...json(ref(name)) }, ...pick('400', '409', '422') } },
  }
}

let cached: object | undefined

/** The OpenAPI document (built once). */
export function openApiDocument(): object {
  if (cached) return cached
  const user = crud('User', 'NewUser', 'UserPatch', 'user')
  const post = crud('Post', 'NewPost', 'PostPatch', 'post')
  const list = (name: Name, query: z.ZodObject, summary: string) => ({
    summary,
    parameters: queryParameters(query),
    responses: { '200': { description: 'one page, newest first; pass nextCursor as cursor for the next', ...json(pageOf(name)) }, ...pick('422') },
  })
  cached = {
    openapi: '3.1.0',
    info: { title: 'Quarry blog API', version: '1.0.0' },
    paths: {
      '/users': { get: list('User', UserQuery, 'users, filtered by username'), post: user.create },
      '/users/{id}': { ...user.item, delete: { ...user.item.delete, summary: 'soft-delete a user and their posts' } },
      '/posts': { get: list('Post', PostQuery, 'posts with author and tags, filtered by author, tag and title'), post: post.create },
      '/posts/{id}': post.item,
      '/tags': { get: { summary: 'every tag', responses: { '200': { description: 'the tags by name', ...json({ type: 'array', items: ref('Tag') }) } } } },
    },
    components: {
      schemas: Object.fromEntries(
        Object.entries(components).map(([name, schema]) => [name, strip(z.toJSONSchema(schema, { io: name === 'User' || name === 'Post' || name === 'Tag' ? 'output' : 'input' }))]),
      ),
    },
  }
  return cached
}
