/** An opaque timer handle, whatever the clock returns. */
export type TimerHandle = unknown

/**
 * Time as a node sees it. The default is the real clock; tests and simulations pass one
 * that advances instantly, so nothing in `@dht` reads time or schedules work any other way.
 */
export interface Clock {
  /** Milliseconds, monotonic enough to measure intervals. */
  now (): number
  /** Calls `fn` once, `ms` from now, unless cleared first. */
  setTimeout (fn: () => void, ms: number): TimerHandle
  /** Cancels a timeout; a handle that has fired or was cleared is ignored. */
  clearTimeout (handle: TimerHandle): void
  /** Calls `fn` every `ms` until cleared. */
  setInterval (fn: () => void, ms: number): TimerHandle
  /** Cancels an interval. */
  clearInterval (handle: TimerHandle): void
}

type NodeTimer = ReturnType<typeof globalThis.setTimeout>

/** The real clock: `Date.now()` and the global timers. */
export const systemClock: Clock = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => globalThis.setTimeout(fn, ms),
  clearTimeout: (handle) => globalThis.clearTimeout(handle as NodeTimer),
  setInterval: (fn, ms) => globalThis.setInterval(fn, ms),
  clearInterval: (handle) => globalThis.clearInterval(handle as NodeTimer)
}
