/**
 * Turns the driver's positional rows into result objects following the compiled `ResultShape`.
 * Reading rows is the hot path, so each shape gets one generated function that builds an object
 * literal of fixed shape per row (V8 keeps such objects fast), decoding only typed fields. A
 * one-field shape on a plucking driver gets a variant that reads each row as the value itself.
 */
import { generated } from '../codegen.js'
import type { ResultShape } from '../compile/compiled.js'
import type { Dialect } from '../dialects/dialect.js'
import type { ColumnMeta } from '../schema/meta.js'

/**
 * Builds one result row (an object, or the value itself for `single` shapes) from a driver row:
 * an array of column values, or the only column's value when the driver plucked it.
 */
export type RowBuilder = (row: unknown) => unknown

type Decoder = (value: unknown) => unknown

/**
 * Builders by the shape's structure, not its identity: every fresh (unprepared) query compiles a
 * new shape object, and short-lived WeakMap keys cost more in GC than the key string.
 */
const byStructure = new WeakMap<Dialect, Map<string, RowBuilder>>()
const typeIds = new WeakMap<ColumnMeta, number>()
let nextTypeId = 0
const MAX_STRUCTURES = 1000

/**
 * The (cached) row builder for a shape under a dialect's decoder; `plucked` when each driver row
 * is the value of the shape's only field (`QueryOptions.pluck`).
 */
export function rowBuilder(shape: ResultShape, dialect: Dialect, plucked = false): RowBuilder {
  // The same query run again and again asks for the same builder: skip the maps.
  if (shape === lastShape && dialect === lastDialect && plucked === lastPlucked) return lastBuilder!
  const builder = findBuilder(shape, dialect, plucked)
  lastShape = shape
  lastDialect = dialect
  lastPlucked = plucked
  lastBuilder = builder
  return builder
}

/** The last builder handed out, and what it was for. */
let lastShape: ResultShape | undefined
let lastDialect: Dialect | undefined
let lastPlucked = false
let lastBuilder: RowBuilder | undefined

function findBuilder(shape: ResultShape, dialect: Dialect, plucked: boolean): RowBuilder {
  if (shape.stable) {
    const stable = plucked ? stableValueBuilders : stableBuilders
    let perDialect = stable.get(dialect)
    if (perDialect === undefined) stable.set(dialect, (perDialect = new WeakMap()))
    let builder = perDialect.get(shape)
    if (builder === undefined) perDialect.set(shape, (builder = structuralBuilder(shape, dialect, plucked)))
    return builder
  }
  return structuralBuilder(shape, dialect, plucked)
}

/** Builders of shapes the compiler hands out again and again (a whole table's rows), by identity. */
const stableBuilders = new WeakMap<Dialect, WeakMap<ResultShape, RowBuilder>>()
/** The same for plucked rows. */
const stableValueBuilders = new WeakMap<Dialect, WeakMap<ResultShape, RowBuilder>>()

function structuralBuilder(shape: ResultShape, dialect: Dialect, plucked: boolean): RowBuilder {
  let structural = byStructure.get(dialect)
  if (structural === undefined) byStructure.set(dialect, (structural = new Map()))
  const key = structureKey(shape, plucked)
  let builder = structural.get(key)
  if (builder === undefined) {
    const decoders = shape.fields.map((field) => (field.type === undefined ? undefined : decoderFor(dialect, field.type)))
    builder = generate(shape, decoders, plucked) ?? interpret(shape, decoders, plucked)
    if (structural.size >= MAX_STRUCTURES) structural.clear()
    structural.set(key, builder)
  }
  return builder
}

/**
 * A string naming what a builder depends on: row form, field keys, groups, decode types,
 * nullability. Every name is length-prefixed, so no key can pass for another shape's
 * (`'x.id'` at the top is not `id` in the group `x`).
 */
function structureKey(shape: ResultShape, plucked: boolean): string {
  let key = (plucked ? 'v' : 'a') + (shape.single ? 's' : 'o')
  for (const field of shape.fields) {
    key += field.group === undefined ? '|' : '|g' + field.group.length + ':' + field.group
    key += 'k' + field.key.length + ':' + field.key + 't'
    if (field.type !== undefined) {
      let id = typeIds.get(field.type)
      if (id === undefined) typeIds.set(field.type, (id = nextTypeId++))
      key += id
    }
  }
  for (const group of shape.nullableGroups) key += '|n' + group.length + ':' + group
  return key
}

function decoderFor(dialect: Dialect, column: ColumnMeta): Decoder | undefined {
  if (dialect.decoder !== undefined) return dialect.decoder(column)
  return (value) => dialect.decode(value, column)
}

/** Decodes the first value of a driver row, or of a plucked row (the value itself), for `scalar`. */
export function firstValue(shape: ResultShape | undefined, row: unknown, dialect: Dialect, plucked = false): unknown {
  const value = plucked ? row : (row as readonly unknown[])[0]
  const type = shape?.fields[0]?.type
  return type === undefined || value === null || value === undefined ? value : dialect.decode(value, type)
}

/** Builds every row of a result. */
export function buildRows(rows: readonly unknown[], build: RowBuilder): unknown[] {
  const out = new Array<unknown>(rows.length)
  for (let i = 0; i < rows.length; i++) out[i] = build(rows[i])
  return out
}

function propertyName(key: string): string {
  // `__proto__:` in a literal would set the prototype; a computed key defines a property.
  return key === '__proto__' ? `["__proto__"]` : JSON.stringify(key)
}

/** A generated builder, or `undefined` where code generation is not allowed. */
function generate(shape: ResultShape, decoders: readonly (Decoder | undefined)[], plucked: boolean): RowBuilder | undefined {
  // A plucked row is the only field's value: `v => ({ "id": v })` rather than `r => ({ "id": r[0] })`.
  const column = (i: number) => (plucked ? 'r' : `r[${i}]`)
  const value = (i: number) =>
    decoders[i] === undefined ? column(i) : `((v = ${column(i)}) === null || v === undefined ? v : d${i}(v))`
  let body: string
  if (shape.single) {
    body = `return ${value(0)}`
  } else {
    const top: string[] = []
    const groups = new Map<string, number[]>()
    shape.fields.forEach((field, i) => {
      if (field.group === undefined) top.push(`${propertyName(field.key)}: ${value(i)}`)
      else {
        let members = groups.get(field.group)
        if (members === undefined) {
          groups.set(field.group, (members = []))
          top.push(`${propertyName(field.group)}: g_${groups.size - 1}`)
        }
        members.push(i)
      }
    })
    const prelude: string[] = []
    let g = 0
    for (const [group, members] of groups) {
      const object = `{ ${members.map((i) => `${propertyName(shape.fields[i]!.key)}: ${value(i)}`).join(', ')} }`
      const nullable = shape.nullableGroups.includes(group)
      prelude.push(
        nullable
          ? `const g_${g} = ${members.map((i) => `${column(i)} == null`).join(' && ')} ? null : ${object}`
          : `const g_${g} = ${object}`,
      )
      g++
    }
    body = `${prelude.join('\n')}\nreturn { ${top.join(', ')} }`
  }
  // One constant per decoder keeps every call site monomorphic.
  const constants = decoders.flatMap((decoder, i) => (decoder === undefined ? [] : [`const d${i} = d[${i}]`])).join('\n')
  return generated<RowBuilder>(`(() => {\n${constants}\nreturn function buildRow(r) { let v\n${body}\n} })()`, { d: decoders })
}

function define(target: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true })
}

/** The same builder without code generation (for environments that forbid `new Function`). */
function interpret(shape: ResultShape, decoders: readonly (Decoder | undefined)[], plucked: boolean): RowBuilder {
  const { fields } = shape
  const nullable = new Set(shape.nullableGroups)
  const column = (row: unknown, i: number): unknown => (plucked ? row : (row as readonly unknown[])[i])
  const get = (row: unknown, i: number): unknown => {
    const value = column(row, i)
    const decode = decoders[i]
    return decode === undefined || value === null || value === undefined ? value : decode(value)
  }
  if (shape.single) return (row) => get(row, 0)
  return (row) => {
    // Every key is defined, never assigned: a key such as `__proto__` stays an own property (as in
    // the generated builder's literal) and never reaches a prototype.
    const out: Record<string, unknown> = {}
    const allNull = new Map<string, boolean>()
    for (let i = 0; i < fields.length; i++) {
      const field = fields[i]!
      if (field.group === undefined) {
        define(out, field.key, get(row, i))
        continue
      }
      let group = Object.hasOwn(out, field.group) ? (out[field.group] as Record<string, unknown>) : undefined
      if (group === undefined) define(out, field.group, (group = {}))
      define(group, field.key, get(row, i))
      allNull.set(field.group, (allNull.get(field.group) ?? true) && column(row, i) == null)
    }
    for (const group of nullable) if (allNull.get(group)) define(out, group, null)
    return out
  }
}
