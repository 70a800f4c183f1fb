/** Database-free compilation on every dialect: one snapshot per construct shows the three side by side. */
import { compile, defineSchema, type DialectName, type Executable } from '@quarry/core'

export const DIALECTS: readonly DialectName[] = ['sqlite', 'postgres', 'mysql']

interface Shape {
  readonly sql: string
  readonly params: readonly unknown[]
  readonly emulateReturning?: unknown
}

function shape(query: Executable, dialect: DialectName): Shape {
  const { sql, params, emulateReturning } = compile(query, dialect)
  return emulateReturning ? { sql, params, emulateReturning } : { sql, params }
}

/** `{ sql, params }` (and `emulateReturning` when set) for each of `dialects`. */
export function compileAll(query: Executable, dialects: readonly DialectName[] = DIALECTS): Partial<Record<DialectName, Shape>> {
  return Object.fromEntries(dialects.map((d) => [d, shape(query, d)]))
}

/** Tables the blog schema lacks: a self-reference, json, boolean and numeric columns. */
export const extra = defineSchema(
  {
    employees: {
      columns: {
        id: { type: 'integer', primaryKey: true },
        name: { type: 'varchar', length: 50 },
        managerId: { type: 'integer', nullable: true, references: 'employees.id' },
        salary: { type: 'numeric', precision: 10, scale: 2, nullable: true },
      },
    },
    events: {
      columns: {
        id: { type: 'integer', primaryKey: true },
        payload: { type: 'json' },
        done: { type: 'boolean', default: false },
        at: { type: 'timestamp' },
      },
    },
  },
  { casing: 'snake_case' },
)

export const { employees, events } = extra

/** A fixed instant (UTC, so snapshots do not depend on the machine's time zone). */
export const JAN_1 = new Date(Date.UTC(2026, 0, 1))
