/**
 * The stored form of a column of an existing SQLite table (see `StoredForm`): SQLite has no native
 * timestamp or decimal, so a table Quarry did not create holds whatever its writer chose. A
 * numeric's declared type names Quarry's own forms; otherwise a sample of the rows decides.
 */
import type { CatalogQuery, ModelColumn } from '../../model/model.js'
import type { StoredDetection } from '../dialect.js'

const SAMPLE = 1000
const DIGITS = (n: number) => '[0-9]'.repeat(n)
const DAY = `${DIGITS(4)}-${DIGITS(2)}-${DIGITS(2)}`
const CLOCK = `${DIGITS(2)}:${DIGITS(2)}:${DIGITS(2)}`

const quote = (name: string) => `"${name.replace(/"/g, '""')}"`

/** Counts of each kind of value in a sample of the column's non-null rows. */
async function sample(query: CatalogQuery, table: string, column: string, kinds: Readonly<Record<string, string>>): Promise<Record<string, number>> {
  const sums = Object.entries(kinds).map(([kind, test]) => `COALESCE(SUM(CASE WHEN ${test} THEN 1 ELSE 0 END), 0) AS ${kind}`)
  const [row] = await query(`SELECT ${sums.join(', ')}, COUNT(*) AS total FROM (SELECT ${quote(column)} AS v FROM ${quote(table)} WHERE ${quote(column)} IS NOT NULL LIMIT ${SAMPLE})`)
  return Object.fromEntries(Object.entries(row ?? {}).map(([k, v]) => [k, Number(v)]))
}

async function timestampForm(query: CatalogQuery, table: string, column: ModelColumn): Promise<StoredDetection> {
  const n = await sample(query, table, column.name, {
    millis: `typeof(v) = 'text' AND v GLOB '${DAY} ${CLOCK}.${DIGITS(3)}'`,
    zeroMillis: `typeof(v) = 'text' AND v GLOB '${DAY} ${CLOCK}.000'`,
    seconds: `typeof(v) = 'text' AND v GLOB '${DAY} ${CLOCK}'`,
    numbers: `typeof(v) IN ('integer', 'real')`,
    large: `typeof(v) IN ('integer', 'real') AND abs(v) >= 100000000000`,
  })
  const where = `${table}.${column.name}`
  if (n.total === 0) return column.default?.includes('%H:%M:%f') ? { form: 'milliseconds' } : {}
  if (n.numbers > 0) {
    const unit = n.large > 0 ? 'milliseconds' : 'seconds'
    return { note: `${where} holds numbers (Unix ${unit}, it seems), which no stored form of a timestamp reads: declare it as ${n.large > 0 ? 'bigint' : 'integer'} or convert the rows to 'YYYY-MM-DD HH:MM:SS' text` }
  }
  // 'seconds' writes '.SSS' only when there are milliseconds; 'milliseconds' always does, '.000' included.
  const form = n.seconds > 0 || n.millis === 0 ? 'seconds' : 'milliseconds'
  const other = n.total - n.millis - n.seconds
  const mixed = n.seconds > 0 && n.zeroMillis > 0
  if (other === 0 && !mixed) return { form }
  const why = other > 0 ? `${other} of ${n.total} sampled values are not 'YYYY-MM-DD HH:MM:SS[.SSS]' text` : `it holds both 'YYYY-MM-DD HH:MM:SS' and '….000' text`
  return { form, note: `${where}: ${why}; comparisons bind the '${form}' form, so the other rows do not match =` }
}

async function numericForm(query: CatalogQuery, table: string, column: ModelColumn): Promise<StoredDetection> {
  const info = await query(`PRAGMA table_info(${quote(table)})`)
  const declared = String(info.find((c) => c.name === column.name)?.type ?? '').replace(/\(.*$/, '').trim().toUpperCase()
  if (declared === 'DECIMAL_SORTABLE_TEXT') return {}
  if (declared === 'DECIMAL_TEXT') return { form: 'text' }
  const n = await sample(query, table, column.name, { texts: `typeof(v) = 'text'`, numbers: `typeof(v) IN ('integer', 'real')` })
  // NUMERIC affinity turns numeric text into numbers, so an empty NUMERIC/DECIMAL column holds numbers.
  if (n.total === 0) return { form: 'number' }
  const form = n.texts > n.numbers ? 'text' : 'number'
  if (n.texts > 0 && n.numbers > 0) return { form, note: `${table}.${column.name} holds both text and numbers; declared stored: '${form}', the majority` }
  return { form }
}

/**
 * The stored form of a numeric or timestamp column of an existing table, from its rows.
 * @example await storedForm(query, 'events', { name: 'at', type: 'timestamp', … }) // { form: 'seconds' } for '2024-03-01 12:00:00'
 */
export async function storedForm(query: CatalogQuery, table: string, column: ModelColumn): Promise<StoredDetection> {
  if (column.type === 'timestamp') return timestampForm(query, table, column)
  if (column.type === 'numeric') return numericForm(query, table, column)
  return {}
}
