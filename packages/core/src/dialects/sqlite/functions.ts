/**
 * SQL functions the SQLite engine registers on its connection (deterministic, pure JavaScript):
 * exact decimal keys, arithmetic and aggregates over numeric values in any stored form (see
 * `decimal.ts`), and JSON text as a string. NULL in gives NULL out, as SQL operators do.
 */
import type { ConnectionFunction } from '../dialect.js'
import { arithmetic, decimalKey, decimalToNumber, decimalToText, toDecimal, type Decimal } from './decimal.js'

function decimalArg(value: unknown, fn: string): Decimal {
  const d = toDecimal(value)
  if (d === undefined) throw new TypeError(`${fn}: '${String(value)}' is not a decimal number`)
  return d
}

function scalar(name: string, fn: (...args: unknown[]) => unknown): ConnectionFunction {
  return { name, kind: 'scalar', fn: (...args) => (args.some((a) => a === null) ? null : fn(...args)) }
}

function binary(name: string, op: '+' | '-' | '*' | '%'): ConnectionFunction {
  return scalar(name, (a, b) => {
    const out = arithmetic(op, decimalArg(a, name), decimalArg(b, name))
    return out === undefined ? null : decimalKey(out)
  })
}

/** `d` rounded to `digits` fraction digits (negative: tens, hundreds…), halves away from zero; `'ceil'`/`'floor'` to an integer. */
export function roundDecimal(d: Decimal, digits: number, mode: 'half' | 'ceil' | 'floor'): Decimal {
  if (digits >= d.scale) return d
  const drop = 10n ** BigInt(d.scale - digits)
  const negative = d.units < 0n
  const abs = negative ? -d.units : d.units
  let kept = abs / drop
  const rest = abs % drop
  if (rest !== 0n) {
    const up = mode === 'half' ? rest * 2n >= drop : mode === 'ceil' ? !negative : negative
    if (up) kept += 1n
  }
  const units = negative ? -kept : kept
  return digits >= 0 ? { units, scale: digits } : { units: units * 10n ** BigInt(-digits), scale: 0 }
}

/** Sums exactly; the state is the sum so far (`undefined` before the first non-NULL value). */
function sumOf(name: string, result: (sum: Decimal, count: number) => unknown): ConnectionFunction {
  return {
    name,
    kind: 'aggregate',
    start: () => ({ sum: undefined as Decimal | undefined, count: 0 }),
    step: (state: { sum: Decimal | undefined; count: number }, value: unknown) => {
      if (value === null) return state
      const d = decimalArg(value, name)
      state.sum = state.sum === undefined ? d : arithmetic('+', state.sum, d)!
      state.count++
      return state
    },
    result: (state: { sum: Decimal | undefined; count: number }) => (state.sum === undefined ? null : result(state.sum, state.count)),
  }
}

const ASCII = /^[\x00-\x7f]*$/

/**
 * Text lower-cased code point by code point, beyond ASCII (SQLite's `lower()` folds ASCII only), as
 * PostgreSQL's and MariaDB's `lower()` do: never one letter into two ('İ' gives 'i'), no final sigma.
 */
export function foldCase(value: unknown): string {
  const text = typeof value === 'string' ? value : value instanceof Uint8Array ? Buffer.from(value).toString('utf8') : String(value)
  if (ASCII.test(text)) return text.toLowerCase()
  let out = ''
  for (const ch of text) {
    const lower = ch.toLowerCase()
    out += lower.length > ch.length ? String.fromCodePoint(lower.codePointAt(0) as number) : lower
  }
  return out
}

/** The functions of the SQLite dialect. */
export const connectionFunctions: readonly ConnectionFunction[] = Object.freeze([
  scalar('quarry_numeric_key', (a) => decimalKey(decimalArg(a, 'quarry_numeric_key'))),
  scalar('quarry_numeric_text', (a) => decimalToText(decimalArg(a, 'quarry_numeric_text'))),
  scalar('quarry_numeric_real', (a) => decimalToNumber(decimalArg(a, 'quarry_numeric_real'))),
  binary('quarry_numeric_add', '+'),
  binary('quarry_numeric_sub', '-'),
  binary('quarry_numeric_mul', '*'),
  binary('quarry_numeric_mod', '%'),
  scalar('quarry_numeric_round', (a, digits) => decimalKey(roundDecimal(decimalArg(a, 'quarry_numeric_round'), Number(digits), 'half'))),
  scalar('quarry_numeric_ceil', (a) => decimalKey(roundDecimal(decimalArg(a, 'quarry_numeric_ceil'), 0, 'ceil'))),
  scalar('quarry_numeric_floor', (a) => decimalKey(roundDecimal(decimalArg(a, 'quarry_numeric_floor'), 0, 'floor'))),
  scalar('quarry_numeric_abs', (a) => {
    const d = decimalArg(a, 'quarry_numeric_abs')
    return decimalKey(d.units < 0n ? { units: -d.units, scale: d.scale } : d)
  }),
  sumOf('quarry_numeric_sum', (sum) => decimalKey(sum)),
  sumOf('quarry_numeric_avg', (sum, count) => decimalToNumber(sum) / count),
  // DISTINCT string_agg: each value arrives as value || NUL || separator.
  {
    name: 'quarry_string_agg',
    kind: 'aggregate',
    start: () => ({ parts: [] as string[], separator: '' }),
    step: (state: { parts: string[]; separator: string }, value: unknown) => {
      if (value === null) return state
      const text = String(value)
      const cut = text.lastIndexOf('\0')
      state.parts.push(text.slice(0, cut))
      state.separator = text.slice(cut + 1)
      return state
    },
    result: (state: { parts: string[]; separator: string }) => (state.parts.length === 0 ? null : state.parts.join(state.separator)),
  },
  scalar('quarry_lower', foldCase),
  // JSON text of a value (from `->`) as PostgreSQL's `#>>` gives it: strings unquoted, JSON null as NULL.
  scalar('quarry_json_text', (json) => (json === 'null' ? null : typeof json === 'string' && json.startsWith('"') ? JSON.parse(json) : String(json))),
])
