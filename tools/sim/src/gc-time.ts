// Main-thread time in GC pauses, as V8 reports each pause to perf_hooks. Entries arrive on a
// later turn of the event loop, so a reading can miss the last few milliseconds.

import { PerformanceObserver } from 'node:perf_hooks'

export class GcTime {
  #ms = 0
  readonly #observer = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) this.#ms += entry.duration
  })

  constructor () {
    this.#observer.observe({ entryTypes: ['gc'] })
  }

  /** Milliseconds of GC pauses since construction. */
  get ms (): number {
    return this.#ms
  }

  stop (): void {
    this.#observer.disconnect()
  }
}
