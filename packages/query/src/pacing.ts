// The two waits of a lookup's driver, beside the requests themselves: the end of a grace (the
// lookup said "wait until"), and the decision that the traversal is done, put off to the next
// turn of the event loop while requests are still stalled. A blocked loop runs its due timers
// before it reads the socket, so every request can look unanswered at once while their
// answers wait to be read: the decision is taken only after those have been read.

import type { Clock, TimerHandle } from '@dht/io'

export class Pacing {
  readonly #clock: Clock
  readonly #defer: (fn: () => void) => void
  readonly #pump: () => void
  #graceTimer: TimerHandle | null = null
  #decision: 'none' | 'scheduled' | 'due' = 'none'

  /** `pump` runs the driver's loop again: when a grace ends, and when a decision falls due. */
  constructor (clock: Clock, defer: (fn: () => void) => void, pump: () => void) {
    this.#clock = clock
    this.#defer = defer
    this.#pump = pump
  }

  /** Pumps at `at`, by the clock. */
  setGrace (at: number): void {
    this.#graceTimer = this.#clock.setTimeout(() => {
      this.#graceTimer = null
      this.#pump()
    }, at - this.#clock.now())
  }

  clearGrace (): void {
    if (this.#graceTimer === null) return
    this.#clock.clearTimeout(this.#graceTimer)
    this.#graceTimer = null
  }

  /**
   * The lookup says it is done: true when the driver may end the traversal now (nothing is in
   * flight, or the decision put off on an earlier turn fell due); otherwise the decision is
   * put off to the next turn, where a pump takes it unless the lookup had more to do.
   */
  done (inflight: number): boolean {
    if (inflight === 0 || this.#decision === 'due') {
      this.#decision = 'none'
      return true
    }
    if (this.#decision === 'scheduled') return false
    this.#decision = 'scheduled'
    this.#defer(() => {
      if (this.#decision !== 'scheduled') return
      this.#decision = 'due'
      this.#pump()
      if (this.#decision === 'due') this.#decision = 'none' // the lookup had more to do
    })
    return false
  }
}
