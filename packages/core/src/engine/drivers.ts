/**
 * Which driver module serves which URL. Driver modules are imported on first use, and each one
 * imports its client package only then, so unused clients never load.
 */
import type { Driver, DriverConfig } from '../drivers/driver.js'
import type { DriverName } from './url.js'

const loaders: Readonly<Record<DriverName, (config: DriverConfig) => Promise<Driver>>> = {
  'better-sqlite3': async (config) => (await import('../drivers/better-sqlite3.js')).createBetterSqlite3Driver(config),
  postgres: async (config) => (await import('../drivers/postgres.js')).createPostgresDriver(config),
  mysql2: async (config) => (await import('../drivers/mysql2.js')).createMysql2Driver(config),
}

/** Creates the driver named by a URL. */
export function loadDriver(name: DriverName, config: DriverConfig): Promise<Driver> {
  return loaders[name](config)
}
