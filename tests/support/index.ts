/**
 * Test support: the multi-dialect harness and server settings.
 */
export { forEachDialect, withDatabase, type TestDatabase, type TestTarget } from './dialects'
export { DIALECTS, serverUrl } from './servers'
