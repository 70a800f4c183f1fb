/**
 * The engine: connection URLs, pooling, statement execution, transactions and echo.
 */
export { createEngine } from './engine.js'
export type { EchoEvent, EchoOption } from './echo.js'
export { formatEcho } from './echo.js'
export type {
  CloseOptions,
  Engine,
  EngineConnection,
  ExecuteResult,
  ParamValues,
  Queryable,
  ScalarOf,
  Statement,
  StatementOptions,
  Transaction,
  TransactionOptions,
} from './engine.types.js'
export type { EngineOptions, PoolOptions } from './options.js'
export { isRetryable, withRetry, type BackoffOptions, type RetryAttempt, type RetryOptions } from './retry.js'
export { parseUrl, type DriverName, type ParsedUrl } from './url.js'
export type { IsolationLevel } from '../drivers/driver.js'
