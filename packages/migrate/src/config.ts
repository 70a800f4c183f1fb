/**
 * The `quarry.config.ts` file and the modules it names, loaded under plain Node through tsx's API.
 */
import { existsSync, readdirSync } from 'node:fs'
import { dirname, isAbsolute, join, resolve } from 'node:path'
import { pathToFileURL } from 'node:url'
import { tsImport } from 'tsx/esm/api'
import { MigrationError } from './errors.js'
import type { Migration } from './migration.js'

/** What `quarry.config.ts` exports (as its default export). */
export interface QuarryConfig {
  /** The database URL; `DATABASE_URL` overrides it. */
  readonly url?: string
  /**
   * A direct URL to the database, bypassing a connection pooler (PgBouncer), for migrations and
   * introspection; `DIRECT_DATABASE_URL` overrides it. When set, every command uses it instead of `url`.
   * @example defineConfig({ url: process.env.DATABASE_URL, directUrl: process.env.DIRECT_DATABASE_URL })
   */
  readonly directUrl?: string
  /** The module exporting the schema (`export const schema = defineSchema(…)` or a default export). */
  readonly schema?: string
  /** The migrations folder (default `migrations`). */
  readonly migrations?: string
  /** How long `upgrade` waits for another runner's lock, in milliseconds. */
  readonly lockTimeoutMs?: number
}

/** A loaded config with paths made absolute. */
export interface LoadedConfig {
  readonly file: string
  readonly root: string
  readonly url: string | undefined
  /** The direct URL (`DIRECT_DATABASE_URL`, else `directUrl`), used instead of `url` when set. */
  readonly directUrl: string | undefined
  readonly schema: string | undefined
  readonly migrations: string
  readonly lockTimeoutMs: number | undefined
}

/**
 * Defines a config with its type checked.
 * @example export default defineConfig({ url: process.env.DATABASE_URL, schema: './src/schema.ts', migrations: './migrations' })
 */
export function defineConfig(config: QuarryConfig): QuarryConfig {
  return config
}

async function importTs(file: string): Promise<Record<string, unknown>> {
  return (await tsImport(pathToFileURL(file).href, import.meta.url)) as Record<string, unknown>
}

/** Loads the config file (`quarry.config.ts` in `cwd` unless named). */
export async function loadConfig(cwd: string, file = 'quarry.config.ts'): Promise<LoadedConfig> {
  const path = isAbsolute(file) ? file : resolve(cwd, file)
  if (!existsSync(path)) throw new MigrationError(`no config file at ${path}: run 'quarry init' to write one`)
  let mod: Record<string, unknown>
  try {
    mod = await importTs(path)
  } catch (error) {
    throw new MigrationError(`config ${path} failed to load: ${error instanceof Error ? error.message : String(error)}`)
  }
  const config = ((mod.default as { default?: unknown })?.default ?? mod.default ?? mod) as QuarryConfig
  if (typeof config !== 'object' || config === null) throw new MigrationError(`config ${path}: the default export must be an object ({ url, schema, migrations })`)
  const root = dirname(path)
  if (mod.default !== undefined) {
    // A misspelt option ('urll', 'migration') would otherwise be ignored for a default.
    const unknown = Object.keys(config).filter((key) => !CONFIG_KEYS.includes(key as keyof QuarryConfig))
    if (unknown.length) throw new MigrationError(`config ${path}: unknown option${unknown.length > 1 ? 's' : ''} ${unknown.map((k) => `'${k}'`).join(', ')} (known: ${CONFIG_KEYS.join(', ')})`)
  }
  for (const key of ['url', 'directUrl', 'schema', 'migrations'] as const) {
    if (config[key] !== undefined && typeof config[key] !== 'string') throw new MigrationError(`config ${path}: '${key}' must be a string`)
  }
  const lock = config.lockTimeoutMs
  if (lock !== undefined && (typeof lock !== 'number' || !Number.isFinite(lock) || lock < 0)) throw new MigrationError(`config ${path}: 'lockTimeoutMs' must be a number of milliseconds ≥ 0`)
  return {
    file: path,
    root,
    url: process.env.DATABASE_URL || config.url,
    directUrl: process.env.DIRECT_DATABASE_URL || config.directUrl,
    schema: config.schema === undefined ? undefined : resolve(root, config.schema),
    migrations: resolve(root, config.migrations ?? 'migrations'),
    lockTimeoutMs: config.lockTimeoutMs,
  }
}

/** The options a config may set. */
const CONFIG_KEYS: readonly (keyof QuarryConfig)[] = ['url', 'directUrl', 'schema', 'migrations', 'lockTimeoutMs']

/** The schema object the config names. */
export async function loadSchema(config: LoadedConfig): Promise<object> {
  if (!config.schema) throw new MigrationError(`config ${config.file}: 'schema' is not set (the module exporting defineSchema's result)`)
  if (!existsSync(config.schema)) throw new MigrationError(`config ${config.file}: schema module ${config.schema} does not exist`)
  const mod = await importTs(config.schema)
  const inner = (mod.default as Record<string, unknown> | undefined) ?? {}
  const schema = mod.schema ?? inner.schema ?? (typeof inner === 'object' && Object.getOwnPropertySymbols(inner).length ? inner : undefined)
  if (!schema || typeof schema !== 'object') throw new MigrationError(`schema module ${config.schema}: export the schema as 'schema' or as the default export`)
  return schema
}

/** Every migration file of the folder, loaded. */
export async function loadMigrations(folder: string): Promise<Migration[]> {
  if (!existsSync(folder)) return []
  const out: Migration[] = []
  for (const name of readdirSync(folder).filter((f) => /\.(ts|mts|js|mjs)$/.test(f) && !f.endsWith('.d.ts')).sort()) {
    const file = join(folder, name)
    const mod = await importTs(file)
    const m = ((mod.default as Record<string, unknown> | undefined)?.revision ? mod.default : mod) as Record<string, unknown>
    for (const key of ['upgrade', 'downgrade'] as const) if (typeof m[key] !== 'function') throw new MigrationError(`migration ${file}: '${key}' must be a function (op) => void`)
    if (m.down === undefined) throw new MigrationError(`migration ${file}: 'down' is missing (null for a first migration)`)
    out.push({ ...(m as unknown as Migration), file })
  }
  return out
}
