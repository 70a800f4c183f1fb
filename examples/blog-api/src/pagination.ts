/**
 * Keyset pagination over (createdAt, id), newest first: the page ends at a row, and the next page
 * starts strictly after it in that order. Unlike OFFSET, a page costs the same however deep it
 * is, and rows added meanwhile never shift a page. The cursor is opaque to clients.
 */
import { and, desc, eq, lt, or, type Condition, type Expr } from '@quarry/core'
import { z } from 'zod'

/** Where a page ended: the last row's sort key. */
export interface Cursor {
  readonly createdAt: Date
  readonly id: number
}

/** A cursor as the client holds it: base64url of `[createdAt ISO, id]`. */
export function encodeCursor(row: Cursor): string {
  return Buffer.from(JSON.stringify([row.createdAt.toISOString(), row.id])).toString('base64url')
}

const cursorJson = z.tuple([z.iso.datetime(), z.number().int().positive()])

/** The `cursor` query parameter: a cursor this API gave out, else a validation issue on `cursor`. */
export const CursorParam = z.string().transform((text, ctx): Cursor => {
  try {
    const [createdAt, id] = cursorJson.parse(JSON.parse(Buffer.from(text, 'base64url').toString('utf8')))
    return { createdAt: new Date(createdAt), id }
  } catch {
    ctx.addIssue({ code: 'custom', message: 'is not a cursor given out by this API' })
    return z.NEVER
  }
})

/**
 * The rows after `cursor` in newest-first order: `createdAt < c OR (createdAt = c AND id < i)`.
 * Rows created in the same millisecond are told apart by id, so none is skipped or repeated.
 * @example select(posts).where(after(posts.createdAt, posts.id, cursor)).orderBy(...newestFirst(posts.createdAt, posts.id))
 */
export function after<TScope extends string>(createdAt: Expr<Date, TScope>, id: Expr<number, TScope>, cursor: Cursor): Condition<TScope> {
  return or(lt(createdAt, cursor.createdAt), and(eq(createdAt, cursor.createdAt), lt(id, cursor.id)))
}

/** The order keyset pages follow (an index on (created_at, id) serves it). */
export function newestFirst<TScope extends string>(createdAt: Expr<Date, TScope>, id: Expr<number, TScope>) {
  return [desc(createdAt), desc(id)] as const
}

/**
 * One page from `limit + 1` rows read: the first `limit`, and a cursor when there are more.
 * @example page(await session.all(query.limit(limit + 1)), limit) // { items, nextCursor }
 */
export function page<TRow extends Cursor>(rows: readonly TRow[], limit: number): { items: TRow[]; nextCursor: string | null } {
  const items = rows.slice(0, limit)
  return { items, nextCursor: rows.length > limit ? encodeCursor(items[items.length - 1]!) : null }
}
