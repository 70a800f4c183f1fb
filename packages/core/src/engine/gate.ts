/**
 * The engine's connection permits: at most `capacity` statements or transactions hold a
 * connection at once; the rest wait in order, and give up with `PoolTimeoutError` after
 * `timeoutMs`. Every driver gets the same acquire-timeout behaviour this way, including SQLite,
 * whose single connection makes transactions queue. Code running inside transaction callbacks
 * is known to hold their permits, so when it would wait for a permit while holding all of them
 * (a statement on the engine inside `engine.transaction()` on SQLite) it fails at once instead.
 */
import { EngineClosedError, PoolDeadlockError, PoolTimeoutError } from '../errors'

/** Permits for a fixed number of connections. */
export interface Gate {
  /** Waits for a permit. */
  acquire(): Promise<void>
  /** Gives a permit back. */
  release(): void
  /** Rejects every waiter and refuses new ones. */
  close(): void
  /** Resolves once no permit is in use. */
  idle(): Promise<void>
  /** Permits in use. */
  readonly inUse: number
  /**
   * Runs `fn` as code holding `permit` (a held connection's state, one per permit): inside it,
   * `acquire()` fails with `PoolDeadlockError` instead of waiting when it holds every permit.
   */
  within<T>(permit: object, fn: () => Promise<T>): Promise<T>
}

/** The permits an async flow holds (each live while its transaction callback runs). */
type Holding = ReadonlyMap<object, { live: boolean }>

interface FlowStorage {
  run<T>(store: Holding, fn: () => T): T
  getStore(): Holding | undefined
}

/** Node's AsyncLocalStorage when the runtime has it (without it, waits simply time out). */
function flowStorage(): FlowStorage | undefined {
  const process = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process
  const hooks = process?.getBuiltinModule?.('node:async_hooks') as { AsyncLocalStorage?: new () => FlowStorage } | undefined
  return hooks?.AsyncLocalStorage ? new hooks.AsyncLocalStorage() : undefined
}

interface Waiter {
  readonly resolve: () => void
  readonly reject: (error: Error) => void
  timer?: ReturnType<typeof setTimeout>
}

/** Creates a gate of `capacity` permits; `describe` names the engine in error messages. */
export function createGate(capacity: number, timeoutMs: number, describe: () => string): Gate {
  let inUse = 0
  let closed = false
  const waiters: Waiter[] = []
  const onIdle: (() => void)[] = []
  const flows = flowStorage()

  /** True when the calling code itself holds every permit, so waiting could never end. */
  function holdsAll(): boolean {
    const holding = flows?.getStore()
    if (holding === undefined) return false
    let live = 0
    for (const permit of holding.values()) if (permit.live) live++
    return live >= capacity
  }

  function timeout(waiter: Waiter): void {
    const index = waiters.indexOf(waiter)
    if (index >= 0) waiters.splice(index, 1)
    waiter.reject(
      new PoolTimeoutError(
        `no connection became free within ${timeoutMs} ms (${capacity} in use by ${describe()}); ` +
          'raise pool.size / pool.maxOverflow / pool.timeoutMs, or look for a transaction that never ends ' +
          '(a session holds one from its first query until commit() or rollback(): in the same code, query through ' +
          'the session, or commit first; inside engine.transaction(), run statements on the tx argument, not on the engine)',
      ),
    )
  }

  return {
    get inUse() {
      return inUse
    },
    acquire() {
      if (closed) return Promise.reject(new EngineClosedError(`${describe()} is closed`))
      if (inUse < capacity && waiters.length === 0) {
        inUse++
        return Promise.resolve()
      }
      if (holdsAll()) {
        const held = capacity === 1 ? `the only connection of ${describe()} is` : `all ${capacity} connections of ${describe()} are`
        return Promise.reject(
          new PoolDeadlockError(
            `${held} held by the transaction this code runs in, so waiting for one would never end: ` +
              'run the statement on the transaction object the callback received (tx), or after the transaction ends',
          ),
        )
      }
      return new Promise<void>((resolve, reject) => {
        const waiter: Waiter = { resolve, reject }
        waiter.timer = setTimeout(() => timeout(waiter), timeoutMs)
        waiters.push(waiter)
      })
    },
    release() {
      const next = waiters.shift()
      if (next === undefined) {
        inUse--
        if (inUse === 0) for (const resolve of onIdle.splice(0)) resolve()
        return
      }
      clearTimeout(next.timer)
      next.resolve()
    },
    within(permit, fn) {
      const outer = flows?.getStore()
      if (flows === undefined || outer?.has(permit)) return fn()
      const state = { live: true }
      const holding = new Map(outer)
      holding.set(permit, state)
      return flows.run(holding, fn).finally(() => (state.live = false))
    },
    idle() {
      return inUse === 0 ? Promise.resolve() : new Promise<void>((resolve) => onIdle.push(resolve))
    },
    close() {
      closed = true
      for (const waiter of waiters.splice(0)) {
        clearTimeout(waiter.timer)
        waiter.reject(new EngineClosedError(`${describe()} was closed while waiting for a connection`))
      }
    },
  }
}
