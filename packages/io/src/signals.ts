// The AbortSignals of the requests in flight: checked at the door, and watched with one 'abort'
// listener per signal however many requests share it, so a long-lived signal given to every
// request neither collects listeners nor trips Node's MaxListenersExceededWarning.

import { describeValue } from '@dht/wire'
import { IOError } from './errors.js'

/** `signal` if it is an AbortSignal (or has its shape); else an INVALID_ARGUMENT error naming `name`. */
export function checkSignal (signal: unknown, name: string): AbortSignal {
  if (!isAbortSignal(signal)) throw IOError.INVALID_ARGUMENT(`${name} must be an AbortSignal, got ${describeValue(signal)}`)
  return signal
}

/**
 * True for an AbortSignal, or anything with what is read of one (`aborted`,
 * `addEventListener`, `removeEventListener`): a polyfill's or another realm's does as well as
 * Node's own.
 */
export function isAbortSignal (value: unknown): value is AbortSignal {
  if (typeof value !== 'object' || value === null) return false
  const s = value as Record<string, unknown>
  return typeof s['aborted'] === 'boolean' && typeof s['addEventListener'] === 'function' && typeof s['removeEventListener'] === 'function'
}

interface Watched<T> {
  readonly items: Set<T>
  readonly listener: () => void
}

/**
 * What waits on each signal. The listener goes with the last item that stops waiting, so a
 * signal that outlives its requests holds nothing of them and no listener of ours.
 */
export class SignalWatch<T> {
  private readonly watched = new Map<AbortSignal, Watched<T>>()
  private readonly onabort: (items: T[], reason: unknown) => void

  /** `onabort` is called, once, with the items still waiting when their signal aborts. */
  constructor (onabort: (items: T[], reason: unknown) => void) {
    this.onabort = onabort
  }

  /** `item` waits on `signal` (which has not aborted yet) until {@link unwatch}. */
  watch (signal: AbortSignal, item: T): void {
    let entry = this.watched.get(signal)
    if (entry === undefined) {
      entry = { items: new Set(), listener: () => this.abort(signal) }
      this.watched.set(signal, entry)
      signal.addEventListener('abort', entry.listener)
    }
    entry.items.add(item)
  }

  /** `item` no longer waits on `signal`. */
  unwatch (signal: AbortSignal, item: T): void {
    const entry = this.watched.get(signal)
    if (entry === undefined || !entry.items.delete(item) || entry.items.size > 0) return
    this.watched.delete(signal)
    signal.removeEventListener('abort', entry.listener)
  }

  private abort (signal: AbortSignal): void {
    const entry = this.watched.get(signal)
    if (entry === undefined) return
    // forgotten first: what onabort settles unwatches an entry that is gone
    this.watched.delete(signal)
    signal.removeEventListener('abort', entry.listener)
    this.onabort([...entry.items], signal.reason)
  }
}
