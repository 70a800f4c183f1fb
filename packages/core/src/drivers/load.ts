/**
 * Loads a driver's client package on first use, so that each one stays an optional peer
 * dependency.
 */
import { DriverNotInstalledError } from '../errors.js'

/**
 * Imports `specifier` (a module of `packageName`), or throws `DriverNotInstalledError` naming
 * the package to install.
 */
export async function importPeer<TModule>(specifier: string, packageName: string, dialect: string): Promise<TModule> {
  try {
    return (await import(/* @vite-ignore */ specifier)) as TModule
  } catch (error) {
    const code = (error as { code?: unknown }).code
    const missing = code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND' || /Cannot find (module|package)/.test(String(error))
    if (missing && String(error).includes(packageName)) throw new DriverNotInstalledError(packageName, dialect, { cause: error })
    throw error
  }
}
