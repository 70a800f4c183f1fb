/**
 * LIKE and its safe forms. `like`/`ilike` take a pattern as written (with an `escape` character
 * when asked); `contains`, `startsWith` and `endsWith` take plain text and escape `%`, `_` and the
 * escape character themselves, in one place (`escapeLike`), so user input never acts as a wildcard.
 */
import { node } from '../ast/brand.js'
import type { LikeNode, Node } from '../ast/nodes.js'
import { ArgumentError } from '../errors.js'
import type { Condition, Expr } from './expr.types.js'
import { columnTypeOf, operand } from './nodes.js'

type Text = string | null
type Cond<S extends string> = Condition<S>

/** Options of `like` / `ilike` and their negations. */
export interface LikeOptions {
  /** One character that makes the next `%`, `_` or itself literal in the pattern (`ESCAPE '!'`). */
  readonly escape?: string
}

/** The escape character `contains`, `startsWith` and `endsWith` use. */
export const LIKE_ESCAPE = '\\'

/**
 * Text with `%`, `_` and the escape character escaped, for a LIKE pattern using `escape`.
 * @example escapeLike('50%_off') // '50\\%\\_off'
 */
export function escapeLike(text: string, escape: string = LIKE_ESCAPE): string {
  let out = ''
  for (const ch of text) out += ch === '%' || ch === '_' || ch === escape ? escape + ch : ch
  return out
}

function checkEscape(escape: string | undefined, fn: string): string | undefined {
  if (escape === undefined) return undefined
  if (typeof escape !== 'string' || [...escape].length !== 1 || escape === '%' || escape === '_') {
    throw new ArgumentError(`${fn}(): option 'escape' must be one character other than % and _, got ${JSON.stringify(escape)}`)
  }
  return escape
}

function likeNode(expr: Expr, pattern: unknown, caseInsensitive: boolean, negated: boolean, escape: string | undefined): Node {
  const e = expr as Node
  return node<LikeNode>({ kind: 'like', expr: e, pattern: operand(pattern, columnTypeOf(e)), caseInsensitive, negated, escape })
}

/** `LIKE`, case-sensitive on every dialect (MySQL compares with a binary collation); `escape` adds `ESCAPE '…'`. */
export function like<S extends string, S2 extends string = never>(expr: Expr<Text, S>, pattern: string | Expr<Text, S2>, options: LikeOptions = {}): Cond<S | NoInfer<S2>> {
  return likeNode(expr, pattern, false, false, checkEscape(options.escape, 'like')) as Cond<S | S2>
}

/** `NOT LIKE`, case-sensitive on every dialect. */
export function notLike<S extends string, S2 extends string = never>(expr: Expr<Text, S>, pattern: string | Expr<Text, S2>, options: LikeOptions = {}): Cond<S | NoInfer<S2>> {
  return likeNode(expr, pattern, false, true, checkEscape(options.escape, 'notLike')) as Cond<S | S2>
}

/** Case-insensitive `LIKE` on every dialect (`ILIKE` on PostgreSQL, operands lower-cased beyond ASCII elsewhere). */
export function ilike<S extends string, S2 extends string = never>(expr: Expr<Text, S>, pattern: string | Expr<Text, S2>, options: LikeOptions = {}): Cond<S | NoInfer<S2>> {
  return likeNode(expr, pattern, true, false, checkEscape(options.escape, 'ilike')) as Cond<S | S2>
}

/** Case-insensitive `NOT LIKE` on every dialect. */
export function notIlike<S extends string, S2 extends string = never>(expr: Expr<Text, S>, pattern: string | Expr<Text, S2>, options: LikeOptions = {}): Cond<S | NoInfer<S2>> {
  return likeNode(expr, pattern, true, true, checkEscape(options.escape, 'notIlike')) as Cond<S | S2>
}

/** Options of `contains`, `startsWith` and `endsWith`. */
export interface TextMatchOptions {
  /** Compare case-insensitively, as `ilike` does. */
  readonly caseInsensitive?: boolean
}

function textMatch(expr: Expr, text: string, before: string, after: string, options: TextMatchOptions, fn: string): Node {
  if (typeof text !== 'string') throw new ArgumentError(`${fn}(): expected the text to look for as a string, got ${typeof text}`)
  return likeNode(expr, before + escapeLike(text) + after, options.caseInsensitive === true, false, LIKE_ESCAPE)
}

/**
 * The text occurs in `expr`; `%`, `_` and `\` in it match themselves.
 * @example contains(products.name, '50%') // "name" LIKE '%50\%%' ESCAPE '\'
 */
export function contains<S extends string>(expr: Expr<Text, S>, text: string, options: TextMatchOptions = {}): Cond<S> {
  return textMatch(expr, text, '%', '%', options, 'contains') as Cond<S>
}

/** `expr` starts with the text (`%`, `_` and `\` in it match themselves). */
export function startsWith<S extends string>(expr: Expr<Text, S>, text: string, options: TextMatchOptions = {}): Cond<S> {
  return textMatch(expr, text, '', '%', options, 'startsWith') as Cond<S>
}

/** `expr` ends with the text (`%`, `_` and `\` in it match themselves). */
export function endsWith<S extends string>(expr: Expr<Text, S>, text: string, options: TextMatchOptions = {}): Cond<S> {
  return textMatch(expr, text, '%', '', options, 'endsWith') as Cond<S>
}
