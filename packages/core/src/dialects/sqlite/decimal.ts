/**
 * Exact decimals on SQLite, which has none. A numeric column stores an order-preserving text key
 * (`stored: 'sortable'`, the default), so that `=`, `<`, ORDER BY, MIN/MAX, BETWEEN and UNIQUE
 * compare values as numbers with SQLite's own text comparison, and an ordinary index serves range
 * queries. Arithmetic and SUM/AVG run in functions registered on each connection, exact through
 * BigInt. Columns of tables Quarry did not create hold plain text (`stored: 'text'`) or numbers
 * (`stored: 'number'`); expressions read them through `quarry_numeric_key(x)`.
 *
 * The key of a value v ≠ 0 with E integer digits (E ≤ 0 for |v| < 1: minus the zeros after the
 * point) and canonical digits D (no leading or trailing zeros):
 * - positive: `P` + (5000 + E, four digits) + `:` + D, e.g. 10.00 → `P5002:10`, 0.05 → `P4999:0.05`;
 * - zero: `O`;
 * - negative: `N` + (5000 − E) + `:` + D with every digit d written 9 − d, then `~`, e.g. −2 → `N4999:7~`.
 * `N` < `O` < `P`; the fixed-width exponent orders magnitudes; digits compare left to right, and
 * `~` (above every digit and `.`) makes a shorter negative the larger. |E| is at most 4999.
 */
import type { ColumnMeta } from '../../schema/meta.js'

/** A decimal as an integer and a power of ten: `{ units: 1025n, scale: 2 }` is 10.25. */
export interface Decimal {
  readonly units: bigint
  readonly scale: number
}

const PLAIN = /^([+-]?)(\d*)(?:\.(\d*))?(?:e([+-]?\d+))?$/i
const KEY = /^[NOP]/

/** Is this text a sortable key (rather than plain decimal text)? */
export function isKey(text: string): boolean {
  return KEY.test(text)
}

/** A decimal from plain text (`'-1.50'`, `'1e3'`), a key, a number or a bigint; `undefined` when it is none. */
export function toDecimal(value: unknown): Decimal | undefined {
  if (typeof value === 'bigint') return { units: value, scale: 0 }
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) return undefined
    // The shortest text that names the double: what was written, for up to 15 significant digits.
    return plainDecimal(String(value))
  }
  if (typeof value !== 'string') return undefined
  return isKey(value) ? plainDecimal(keyToPlain(value)) : plainDecimal(value.trim())
}

function plainDecimal(text: string): Decimal | undefined {
  const m = PLAIN.exec(text)
  if (!m || (m[2] === '' && !m[3])) return undefined
  const [, sign, int, frac = '', exp] = m
  let scale = frac.length - (exp ? Number(exp) : 0)
  let units = BigInt((int || '0') + frac)
  if (scale < 0) {
    units *= 10n ** BigInt(-scale)
    scale = 0
  }
  return { units: sign === '-' ? -units : units, scale }
}

/** Plain decimal text of a decimal, with exactly `scale` fraction digits when given (half away from zero). */
export function decimalToText(d: Decimal, scale?: number): string {
  let { units } = d
  let s = d.scale
  if (scale !== undefined && scale !== s) {
    if (scale > s) units *= 10n ** BigInt(scale - s)
    else {
      const div = 10n ** BigInt(s - scale)
      const q = units / div
      const r = units % div
      const twice = (r < 0n ? -r : r) * 2n
      units = twice >= div ? q + (units < 0n ? -1n : 1n) : q
    }
    s = scale
  }
  const negative = units < 0n
  const digits = (negative ? -units : units).toString().padStart(s + 1, '0')
  const text = s === 0 ? digits : digits.slice(0, digits.length - s) + '.' + digits.slice(digits.length - s)
  return negative ? '-' + text : text
}

/** The canonical key of a decimal. */
export function decimalKey(d: Decimal): string {
  if (d.units === 0n) return 'O'
  const negative = d.units < 0n
  let digits = (negative ? -d.units : d.units).toString()
  let scale = d.scale
  while (scale > 0 && digits.endsWith('0')) {
    digits = digits.slice(0, -1)
    scale--
  }
  const exponent = digits.length - scale
  if (exponent > 4999 || exponent < -4999) throw new RangeError(`numeric value with ${exponent} digits before the point is outside SQLite's sortable range (±4999)`)
  const plain = scale === 0 ? digits : exponent > 0 ? digits.slice(0, exponent) + '.' + digits.slice(exponent) : '0.' + '0'.repeat(-exponent) + digits
  if (!negative) return 'P' + String(5000 + exponent).padStart(4, '0') + ':' + plain
  return 'N' + String(5000 - exponent).padStart(4, '0') + ':' + complement(plain) + '~'
}

function complement(text: string): string {
  let out = ''
  for (const ch of text) out += ch === '.' ? '.' : String(9 - Number(ch))
  return out
}

/** Plain decimal text of a key (`P5002:10` → `10`). */
export function keyToPlain(key: string): string {
  if (key === 'O') return '0'
  const body = key.slice(6)
  return key[0] === 'P' ? body : '-' + complement(body.endsWith('~') ? body.slice(0, -1) : body)
}

function align(a: Decimal, b: Decimal): [bigint, bigint, number] {
  if (a.scale === b.scale) return [a.units, b.units, a.scale]
  return a.scale > b.scale ? [a.units, b.units * 10n ** BigInt(a.scale - b.scale), a.scale] : [a.units * 10n ** BigInt(b.scale - a.scale), b.units, b.scale]
}

/** a + b, a − b, a × b, or a mod b (the sign of a, as PostgreSQL); `undefined` for mod by zero. */
export function arithmetic(op: '+' | '-' | '*' | '%', a: Decimal, b: Decimal): Decimal | undefined {
  if (op === '*') return { units: a.units * b.units, scale: a.scale + b.scale }
  const [x, y, scale] = align(a, b)
  if (op === '+') return { units: x + y, scale }
  if (op === '-') return { units: x - y, scale }
  return y === 0n ? undefined : { units: x % y, scale }
}

/** A decimal as a double (for division and AVG, which are real on every dialect). */
export function decimalToNumber(d: Decimal): number {
  return Number(decimalToText(d))
}

/**
 * Reads a value of a numeric column as exact decimal text with the column's scale, whatever
 * form it is stored in. A column declared `stored: 'sortable'` that holds another form was not
 * written by Quarry: comparisons on it would be wrong, so reading it is an error naming the option.
 */
export function readNumeric(value: unknown, column: ColumnMeta): string {
  const d = toDecimal(value)
  if (d === undefined) throw new TypeError(`column ${column.name}: cannot read ${typeof value} '${String(value)}' as a decimal`)
  if (column.key !== '' && (column.stored ?? 'sortable') === 'sortable' && !(typeof value === 'string' && isKey(value))) {
    throw new TypeError(
      `column ${column.name} holds ${typeof value === 'string' ? `the plain text '${value}'` : `the number ${String(value)}`}, not Quarry's sortable key: ` +
        `a table Quarry did not create declares its numeric columns with stored: '${typeof value === 'string' ? 'text' : 'number'}', so that comparisons read them right`,
    )
  }
  return decimalToText(d, column.scale)
}
