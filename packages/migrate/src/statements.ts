/**
 * Counting the statements of a raw SQL text (`op.execute`), without a database: drivers send a
 * text as one statement and refuse several, so the runner checks every raw step before a
 * migration starts. Quotes ('…', "…", `…`, PostgreSQL $tag$…$tag$), comments and compound bodies
 * (BEGIN … END, CASE … END in triggers and routines) hide their semicolons.
 */

const OPENERS = new Set(['begin', 'case'])
// `END IF`, `END LOOP`…: the end of a block whose opener is not counted.
const UNCOUNTED_ENDS = new Set(['if', 'loop', 'while', 'repeat', 'for'])
// `BEGIN;`, `BEGIN TRANSACTION`, `BEGIN WORK`: a transaction, not a block.
const TRANSACTION_WORDS = new Set(['transaction', 'work', 'deferred', 'immediate', 'exclusive', 'isolation', 'read'])

/**
 * How many statements a SQL text holds; `undefined` when it cannot tell (unbalanced quotes or blocks).
 * @example countStatements("INSERT INTO t VALUES ('a; b'); -- done") // 1
 */
export function countStatements(text: string): number | undefined {
  let count = 0
  let pending = false // a statement has begun since the last separator
  let depth = 0
  let i = 0
  const words: string[] = [] // the words read since the last separator
  while (i < text.length) {
    const c = text[i]
    const next = text[i + 1]
    if (c === '-' && next === '-') {
      const end = text.indexOf('\n', i)
      i = end === -1 ? text.length : end + 1
    } else if (c === '#' && !pending) {
      // MySQL's line comment, only where no statement has begun (PostgreSQL uses # as an operator).
      const end = text.indexOf('\n', i)
      i = end === -1 ? text.length : end + 1
    } else if (c === '/' && next === '*') {
      const end = text.indexOf('*/', i + 2)
      if (end === -1) return undefined
      i = end + 2
    } else if (c === "'" || c === '"' || c === '`') {
      let j = i + 1
      for (;;) {
        if (j >= text.length) return undefined
        if (text[j] === '\\' && c === "'") j += 2
        else if (text[j] === c && text[j + 1] === c) j += 2
        else if (text[j] === c) break
        else j++
      }
      pending = true
      i = j + 1
    } else if (c === '$' && /^\$[A-Za-z_]*\$/.test(text.slice(i)) && !/[\w$]/.test(text[i - 1] ?? ' ')) {
      const tag = /^\$[A-Za-z_]*\$/.exec(text.slice(i))![0]
      const end = text.indexOf(tag, i + tag.length)
      if (end === -1) return undefined
      pending = true
      i = end + tag.length
    } else if (c === ';') {
      if (depth === 0) {
        if (pending) count++
        pending = false
        words.length = 0
      }
      i++
    } else if (/[A-Za-z_]/.test(c)) {
      const word = /^[A-Za-z_][\w$]*/.exec(text.slice(i))![0].toLowerCase()
      const after = /^\s*([A-Za-z_]\w*|;|$)/.exec(text.slice(i + word.length))?.[1]?.toLowerCase() ?? ''
      if (word === 'begin' && (words.length === 0 || after === ';' || after === '' || TRANSACTION_WORDS.has(after))) {
        // A transaction statement.
      } else if (OPENERS.has(word)) depth++
      else if (word === 'end' && !UNCOUNTED_ENDS.has(after)) {
        if (depth === 0) return undefined
        depth--
      }
      words.push(word)
      pending = true
      i += word.length
    } else {
      if (!/\s/.test(c)) pending = true
      i++
    }
  }
  if (depth !== 0) return undefined
  return count + (pending ? 1 : 0)
}
