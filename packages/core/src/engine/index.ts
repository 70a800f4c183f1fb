/**
 * The engine: connection URLs, pooling, statement execution, transactions and echo.
 */
export { createEngine } from './engine'
export type { EchoEvent, EchoOption } from './echo'
export { formatEcho } from './echo'
export type {
  Engine,
  EngineConnection,
  ExecuteResult,
  ParamValues,
  Queryable,
  ScalarOf,
  Statement,
  Transaction,
  TransactionOptions,
} from './engine.types'
export type { EngineOptions, PoolOptions } from './options'
export { parseUrl, type DriverName, type ParsedUrl } from './url'
export type { IsolationLevel } from '../drivers/driver'
