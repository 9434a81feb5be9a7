// The politeness window with the requests waiting for room in it, and the timer that turns its
// slots. A request goes out when the window has room and no request waits ahead of it; others
// wait, in order, and go out as replies and cancels give room back or a slot passes. The
// timer runs only while something is counted or waiting, so an idle node keeps no timer.

import type { Clock, TimerHandle } from './clock.js'
import { CongestionWindow } from './congestion.js'
import { Fifo } from './fifo.js'

/** How often the window's slots turn, ms (as dht-rpc v5). */
export const SLOT_MS = 750

/** A request as the queue holds it: one that settled while waiting is skipped. */
export interface Queued {
  readonly settled: boolean
}

export class SendQueue<R extends Queued> {
  readonly #window: CongestionWindow
  readonly #waiting = new Fifo<R>()
  readonly #clock: Clock
  readonly #send: (req: R) => void
  readonly #open: () => boolean
  readonly #running: () => boolean
  #slotTimer: TimerHandle = null
  #flushQueued = false

  /**
   * `send` sends a request taken from the queue (it calls {@link take} itself); `running`
   * says whether the owner is neither suspended nor destroyed (the slots turn only then), and
   * `open` whether waiting requests may go out now (running, and the socket bound).
   */
  constructor (maxWindow: number, clock: Clock, send: (req: R) => void, running: () => boolean, open: () => boolean) {
    this.#window = new CongestionWindow(maxWindow)
    this.#clock = clock
    this.#send = send
    this.#running = running
    this.#open = open
  }

  /** Requests the window lets out per slot. */
  get maxWindow (): number {
    return this.#window.maxWindow
  }

  /** Requests waiting for room. */
  get length (): number {
    return this.#waiting.length
  }

  /**
   * True when a request may go out now: there is room, and, unless it comes from the front of
   * the queue, nothing waits. A reply frees room just before its handler sends a lookup's next
   * requests; letting those take it would starve the requests already waiting.
   */
  admits (fromQueue: boolean): boolean {
    return this.#window.hasRoom() && (fromQueue || this.#waiting.length === 0)
  }

  /** Counts a send in the window; returns its slot, for {@link release}. */
  take (): number {
    const slot = this.#window.take()
    this.#startSlots()
    return slot
  }

  /** A reply (or a cancel) gives back the room of a send made in `slot`. */
  release (slot: number): void {
    this.#window.release(slot)
  }

  /** Waits for room. */
  enqueue (req: R): void {
    this.#waiting.push(req)
    this.#startSlots()
  }

  /** Sends what waits, while there is room and sending is open. */
  flush (): void {
    while (this.#waiting.length > 0 && this.#window.hasRoom() && this.#open()) {
      const req = this.#waiting.take()!
      if (!req.settled) this.#send(req)
    }
  }

  /**
   * {@link flush} once the current run of cancels is over. Cancels come in runs (a lookup that
   * ends or is aborted cancels all it has in flight, an abort all its signal's requests):
   * handed on at each cancel, the room would send the run's own waiting requests, each just
   * before it is cancelled too.
   */
  flushSoon (): void {
    if (this.#flushQueued) return
    this.#flushQueued = true
    queueMicrotask(() => {
      this.#flushQueued = false
      this.flush()
    })
  }

  /** Every waiting request, removed from the queue. */
  drain (): R[] {
    return [...this.#waiting.drain()]
  }

  /**
   * Stops the timer and drops what waits. `forget`: every send counted is forgotten too (none
   * will be answered: still counted, they would hold back the first requests after a resume
   * until their slots passed, dht-rpc 6's "phantom congestion").
   */
  stop (forget: boolean): void {
    if (this.#slotTimer !== null) this.#clock.clearInterval(this.#slotTimer)
    this.#slotTimer = null
    this.#waiting.clear()
    if (forget) this.#window.clear()
  }

  #startSlots (): void {
    if (this.#slotTimer !== null || !this.#running()) return
    this.#slotTimer = this.#clock.setInterval(() => this.#onslot(), SLOT_MS)
  }

  #onslot (): void {
    this.#window.rotate()
    this.flush()
    if (this.#window.isIdle() && this.#waiting.length === 0 && this.#slotTimer !== null) {
      this.#clock.clearInterval(this.#slotTimer)
      this.#slotTimer = null
    }
  }
}
