/**
 * W5 generator: a schema of N tables (10 columns of mixed types each, foreign keys to earlier
 * tables) and 100 typed queries with 1–2 joins and chosen columns, written in Quarry's, Drizzle's
 * and Kysely's style. Deterministic: the same N gives the same files. `queries = 0` gives the
 * schema alone, and `emptyImport` a file with the library's imports and nothing else (the
 * baselines subtracted to get per-schema and per-query costs).
 */
import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'

export type Library = 'quarry' | 'drizzle' | 'kysely'

interface Col {
  name: string
  kind: 'int' | 'text' | 'bool' | 'ts' | 'num' | 'fk'
  nullable: boolean
  target?: number
}

const KINDS: Col['kind'][] = ['text', 'int', 'bool', 'ts', 'num', 'text', 'int', 'text']

function tables(n: number): Col[][] {
  const out: Col[][] = []
  for (let t = 0; t < n; t++) {
    const cols: Col[] = [{ name: 'id', kind: 'int', nullable: false }]
    // parentId → t/2, otherId → t-1 (or t0 where that is the parent): every earlier table is referenced.
    const parent = Math.floor(t / 2)
    if (t > 0) cols.push({ name: 'parentId', kind: 'fk', nullable: false, target: parent })
    if (t > 1) cols.push({ name: 'otherId', kind: 'fk', nullable: true, target: t - 1 === parent ? 0 : t - 1 })
    for (let c = 0; cols.length < 10; c++) cols.push({ name: `c${c}`, kind: KINDS[(t + c) % KINDS.length], nullable: (t + c) % 3 === 0 })
    out.push(cols)
  }
  return out
}

const tname = (t: number) => `t${t}`

/** Each style's imports: the whole of the empty-import baseline. */
const IMPORTS: Record<Library, string> = {
  quarry: `import { defineSchema, select, eq, gt, compile, type RowOf } from '@quarry/core'\n`,
  drizzle: `import { pgTable, integer, text, boolean, timestamp, numeric } from 'drizzle-orm/pg-core'\nimport { eq, gt } from 'drizzle-orm'\nimport { drizzle } from 'drizzle-orm/postgres-js'\n`,
  kysely: `import { Kysely, PostgresDialect, type Generated } from 'kysely'\n`,
}

function quarry(schema: Col[][], queries: number): string {
  const type = { int: 'integer', text: 'text', bool: 'boolean', ts: 'timestamp', num: 'numeric', fk: 'integer' }
  let out = `${IMPORTS.quarry}\nexport const s = defineSchema({\n`
  schema.forEach((cols, t) => {
    out += `  ${tname(t)}: { columns: {\n`
    for (const c of cols) {
      const opts = [`type: '${type[c.kind]}'`]
      if (c.name === 'id') opts.push('primaryKey: true')
      if (c.nullable) opts.push('nullable: true')
      if (c.kind === 'fk') opts.push(`references: '${tname(c.target!)}.id'`)
      out += `    ${c.name}: { ${opts.join(', ')} },\n`
    }
    out += `  } },\n`
  })
  out += `})\n\n`
  for (let q = 0; q < queries; q++) {
    const t = (q * 13) % schema.length || 1
    const a = tname(t)
    const p = tname(schema[t].find((c) => c.name === 'parentId')?.target ?? 0)
    const two = q % 2 === 1 && t > 1
    const o = two ? tname(schema[t].find((c) => c.name === 'otherId')!.target!) : ''
    out += `const q${q} = select({ id: s.${a}.id, a: s.${a}.c1, b: s.${p}.c2${two ? `, c: s.${o}.c3` : ''} }).from(s.${a}).innerJoin(s.${p}, eq(s.${p}.id, s.${a}.parentId))`
    if (two) out += `.leftJoin(s.${o}, eq(s.${o}.id, s.${a}.otherId))`
    out += `.where(gt(s.${a}.id, ${q}))\nexport type R${q} = RowOf<typeof q${q}>\nexport const c${q} = compile(q${q}, 'postgres')\n`
  }
  return out
}

function drizzle(schema: Col[][], queries: number): string {
  const fn = { int: 'integer', text: 'text', bool: 'boolean', ts: 'timestamp', num: 'numeric', fk: 'integer' }
  let out = `${IMPORTS.drizzle}\n`
  schema.forEach((cols, t) => {
    out += `export const ${tname(t)} = pgTable('${tname(t)}', {\n`
    for (const c of cols) {
      let e = `${fn[c.kind]}('${c.name}')`
      if (c.name === 'id') e += '.primaryKey()'
      else if (!c.nullable) e += '.notNull()'
      if (c.kind === 'fk') e += `.references(() => ${tname(c.target!)}.id)`
      out += `  ${c.name}: ${e},\n`
    }
    out += `})\n`
  })
  out += `\nconst db = drizzle.mock()\n`
  for (let q = 0; q < queries; q++) {
    const t = (q * 13) % schema.length || 1
    const a = tname(t)
    const p = tname(schema[t].find((c) => c.name === 'parentId')?.target ?? 0)
    const two = q % 2 === 1 && t > 1
    const o = two ? tname(schema[t].find((c) => c.name === 'otherId')!.target!) : ''
    out += `const q${q} = db.select({ id: ${a}.id, a: ${a}.c1, b: ${p}.c2${two ? `, c: ${o}.c3` : ''} }).from(${a}).innerJoin(${p}, eq(${p}.id, ${a}.parentId))`
    if (two) out += `.leftJoin(${o}, eq(${o}.id, ${a}.otherId))`
    out += `.where(gt(${a}.id, ${q}))\nexport type R${q} = Awaited<typeof q${q}>[number]\nexport const c${q} = q${q}.toSQL()\n`
  }
  return out
}

function kysely(schema: Col[][], queries: number): string {
  const ts = { int: 'number', text: 'string', bool: 'boolean', ts: 'Date', num: 'string', fk: 'number' }
  let out = `${IMPORTS.kysely}\n`
  schema.forEach((cols, t) => {
    out += `interface ${tname(t).toUpperCase()} {\n`
    for (const c of cols) out += `  ${c.name}: ${c.name === 'id' ? 'Generated<number>' : ts[c.kind]}${c.nullable ? ' | null' : ''}\n`
    out += `}\n`
  })
  out += `interface DB {\n${schema.map((_, t) => `  ${tname(t)}: ${tname(t).toUpperCase()}`).join('\n')}\n}\n\nconst db = new Kysely<DB>({ dialect: new PostgresDialect({ pool: {} as never }) })\n`
  for (let q = 0; q < queries; q++) {
    const t = (q * 13) % schema.length || 1
    const a = tname(t)
    const p = tname(schema[t].find((c) => c.name === 'parentId')?.target ?? 0)
    const two = q % 2 === 1 && t > 1
    const o = two ? tname(schema[t].find((c) => c.name === 'otherId')!.target!) : ''
    out += `const q${q} = db.selectFrom('${a}').innerJoin('${p}', '${p}.id', '${a}.parentId')`
    if (two) out += `.leftJoin('${o}', '${o}.id', '${a}.otherId')`
    out += `.select(['${a}.id as id', '${a}.c1 as a', '${p}.c2 as b'${two ? `, '${o}.c3 as c'` : ''}]).where('${a}.id', '>', ${q})\nexport type R${q} = Awaited<ReturnType<typeof q${q}.execute>>[number]\nexport const c${q} = q${q}.compile()\n`
  }
  return out
}

/** The compiler options of the generated projects: the repository's own. */
const TSCONFIG = {
  compilerOptions: {
    target: 'ES2022',
    lib: ['ES2022', 'ESNext.Disposable'],
    module: 'ESNext',
    moduleResolution: 'Bundler',
    strict: true,
    skipLibCheck: true,
    esModuleInterop: true,
    isolatedModules: true,
    verbatimModuleSyntax: true,
    noEmit: true,
    types: ['node'],
  },
  files: ['schema.ts'],
}

/** One generated project: `dir/<lib>-<variant>/schema.ts` and its tsconfig.json. */
function write(folder: string, source: string, paths?: Record<string, string[]>): string {
  mkdirSync(folder, { recursive: true })
  writeFileSync(join(folder, 'schema.ts'), source)
  const config = paths ? { ...TSCONFIG, compilerOptions: { ...TSCONFIG.compilerOptions, paths } } : TSCONFIG
  writeFileSync(join(folder, 'tsconfig.json'), JSON.stringify(config, null, 2) + '\n')
  return folder
}

const WRITERS: Record<Library, (schema: Col[][], queries: number) => string> = { quarry, drizzle, kysely }

/**
 * Writes the project of one library: `n` tables and `queries` queries (folder `<lib>-<n>` or
 * `<lib>-<n>-schema` without queries), or with `n = 0` the empty-import baseline (`<lib>-empty`).
 */
export function generateOne(dir: string, lib: Library, n: number, queries = 100, options: { suffix?: string; paths?: Record<string, string[]> } = {}): string {
  const name = `${lib}${options.suffix ?? ''}`
  if (n === 0) return write(join(dir, `${name}-empty`), `${IMPORTS[lib]}\nexport {}\n`, options.paths)
  return write(join(dir, `${name}-${n}${queries === 0 ? '-schema' : ''}`), WRITERS[lib](tables(n), queries), options.paths)
}

/** Writes every library's project for `n` tables and `queries` queries. */
export function generate(dir: string, n: number, queries = 100): Record<Library, string> {
  return { quarry: generateOne(dir, 'quarry', n, queries), drizzle: generateOne(dir, 'drizzle', n, queries), kysely: generateOne(dir, 'kysely', n, queries) }
}

if (process.argv[1]?.endsWith('generate.ts')) {
  const n = Number(process.argv[2] ?? 200)
  console.log(generate(process.argv[3] ?? 'bench/.out/w5', n))
}
