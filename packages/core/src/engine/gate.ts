/**
 * The engine's connection permits: at most `capacity` statements or transactions hold a
 * connection at once; the rest wait in order, and give up with `PoolTimeoutError` after
 * `timeoutMs`. Every driver gets the same acquire-timeout behaviour this way, including SQLite,
 * whose single connection makes transactions queue. Code that already holds every permit (the
 * engine inside its only connection's transaction or `iterate()` loop, see `flows.ts`) could never
 * get one: it fails at once with `ConnectionHeldError`.
 */
import { ConnectionHeldError, EngineClosedError, PoolTimeoutError } from '../errors.js'
import { heldHere, type HoldKind } from './flows.js'

/** Permits for a fixed number of connections. */
export interface Gate {
  /** Waits for a permit. */
  acquire(): Promise<void>
  /** Takes a permit when one is free with nobody waiting; false otherwise. */
  tryAcquire(): boolean
  /** Gives a permit back. */
  release(): void
  /** Rejects every waiter and refuses new ones. */
  close(): void
  /** Resolves once no permit is in use. */
  idle(): Promise<void>
  /** Permits in use. */
  readonly inUse: number
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

  function timeout(waiter: Waiter): void {
    const index = waiters.indexOf(waiter)
    if (index >= 0) waiters.splice(index, 1)
    waiter.reject(
      new PoolTimeoutError(
        `no connection became free within ${timeoutMs} ms (${capacity} in use by ${describe()}); ` +
          'raise pool.size / pool.maxOverflow / pool.timeoutMs, or look for a transaction that never ends ' +
          '(a session holds one from its first query, on PostgreSQL from its first write, until commit() or rollback(): in the same code, query through ' +
          'the session, or commit first; inside engine.transaction(), run statements on the tx argument, not on the engine)',
      ),
    )
  }

  const gate: Gate = {
    get inUse() {
      return inUse
    },
    tryAcquire() {
      if (closed || inUse >= capacity || waiters.length > 0) return false
      inUse++
      return true
    },
    acquire() {
      if (closed) return Promise.reject(new EngineClosedError(`${describe()} is closed`))
      if (inUse < capacity && waiters.length === 0) {
        inUse++
        return Promise.resolve()
      }
      const held = heldHere(gate)
      if (held.count >= capacity) return Promise.reject(heldError(held.kind!, capacity, describe()))
      return new Promise<void>((resolve, reject) => {
        const waiter: Waiter = { resolve, reject }
        waiter.timer = setTimeout(() => timeout(waiter), timeoutMs)
        waiters.push(waiter)
      })
    },
    release() {
      if (waiters.length === 0) {
        inUse--
        if (inUse === 0 && onIdle.length > 0) for (const resolve of onIdle.splice(0)) resolve()
        return
      }
      const next = waiters.shift()!
      clearTimeout(next.timer)
      next.resolve()
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
  return gate
}

/** The error for code waiting for a connection it holds itself. */
function heldError(kind: HoldKind, capacity: number, engine: string): ConnectionHeldError {
  const where =
    kind === 'transaction'
      ? 'inside engine.transaction(), run statements on the tx argument, not on the engine'
      : 'inside an iterate() loop, collect the rows first (engine.all) or run the other statement after the loop'
  return new ConnectionHeldError(
    `this statement waits for a connection of ${engine}, but the code sending it holds ${capacity === 1 ? 'its only connection' : `all ${capacity} of its connections`}, ` +
      `so it would never get one: ${where}; or give the engine more connections (pool.size)`,
  )
}
