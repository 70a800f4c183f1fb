// Must NOT compile: a misspelt column is an error for the user, not an `any`.
import { select } from '@quarry/core'
import { authors } from './schema.js'

export const q = select({ n: authors.nmae }).from(authors)
