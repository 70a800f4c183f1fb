/**
 * Which connection permits the running code holds, so that a statement waiting for a permit its own
 * code holds (the engine inside its only connection's transaction or `iterate()` loop) fails at
 * once instead of waiting out `pool.timeoutMs`. Other code is not marked and waits as before.
 *
 * AsyncLocalStorage tells the flows apart. On Node 20 it slows every promise of the process while
 * it is enabled (about 2×, measured), so it is enabled only while some permit is held this way and
 * disabled when the last is given back.
 */
import { AsyncLocalStorage } from 'node:async_hooks'

/** What holds a permit: a transaction's callback, or the body of an `iterate()` loop. */
export type HoldKind = 'transaction' | 'iterate'

interface Hold {
  readonly owner: object
  readonly kind: HoldKind
  /** True while the permit is held: not yet when waiting for it, never again once given back (a promise left running keeps its mark). */
  active: boolean
  ended: boolean
}

let storage: AsyncLocalStorage<readonly Hold[]> | undefined
/** Holds not yet given back, across engines: the storage is disabled when none is left. */
let open = 0

function begin(owner: object, kind: HoldKind, active: boolean): { hold: Hold; store: readonly Hold[]; previous: readonly Hold[] | undefined } {
  storage ??= new AsyncLocalStorage()
  const previous = storage.getStore()
  const hold: Hold = { owner, kind, active, ended: false }
  open++
  return { hold, store: [...(previous ?? []).filter((h) => !h.ended), hold], previous }
}

function end(hold: Hold): void {
  hold.active = false
  hold.ended = true
  if (--open === 0) storage?.disable()
}

/**
 * The permits of `owner` the running code holds, and what holds the last of them.
 * @example heldHere(gate) // { count: 1, kind: 'transaction' }
 */
export function heldHere(owner: object): { count: number; kind?: HoldKind } {
  const store = open === 0 ? undefined : storage?.getStore()
  let count = 0
  let kind: HoldKind | undefined
  for (const hold of store ?? []) {
    if (hold.active && hold.owner === owner) {
      count++
      kind = hold.kind
    }
  }
  return { count, kind }
}

/** Runs `fn` (and everything it starts) marked as holding one permit of `owner`. */
export async function holding<T>(owner: object, kind: HoldKind, fn: () => Promise<T>): Promise<T> {
  const { hold, store } = begin(owner, kind, true)
  try {
    return await storage!.run(store, fn)
  } finally {
    end(hold)
  }
}

/** A mark set by `enterHolding`. */
export interface HoldMark {
  /** The permit is now held. */
  acquired(): void
  /** The permit was given back (or never got): takes the mark back. */
  leave(): void
}

/**
 * Marks the calling code, from here on, as about to hold one permit of `owner`. Called before a
 * generator's first `await`, it marks the consumer's loop body, which is the caller's code.
 */
export function enterHolding(owner: object, kind: HoldKind): HoldMark {
  const { hold, store, previous } = begin(owner, kind, false)
  storage!.enterWith(store)
  return {
    acquired: () => void (hold.ended || (hold.active = true)),
    leave() {
      if (hold.ended) return
      end(hold)
      if (open > 0) storage!.enterWith(previous ?? [])
    },
  }
}
