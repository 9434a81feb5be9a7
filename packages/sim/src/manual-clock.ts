import type { Clock, TimerHandle } from '@dht/io'

/**
 * @internal A timer of a {@link ManualClock}. The clock calls `fn` as a method of the timer,
 * so a subclass can carry what its callback needs in fields of its own, with one shared `fn`,
 * and be queued with {@link ManualClock.enqueueTimer}: one object for each event, where
 * `setTimeout` makes a timer and a closure.
 */
export class Timer {
  constructor (
    readonly clock: ManualClock,
    public at: number,
    public fn: (this: Timer) => void,
    readonly every: number
  ) {}

  /** Cleared, or run (a timeout): it never runs again. */
  done = false
}

/**
 * A clock that only moves when told: {@link advance} runs every timer due in order, jumping
 * from one to the next, so minutes of node time pass in microseconds. One timer queue serves
 * any number of nodes.
 *
 * Timers due at the same instant share a batch, in the order they were scheduled, and a
 * small heap orders the distinct instants: a simulated network schedules its datagrams and
 * timeouts onto whole milliseconds, at most a few thousand ahead, so scheduling and running
 * a timer costs a map lookup, an array push and a heap operation over those few thousand,
 * however many timers are pending.
 */
export class ManualClock implements Clock {
  private time: number
  private live = 0
  /** The batch of each instant that has timers, and the heap of those instants. */
  private readonly batches = new Map<number, Timer[]>()
  private readonly instants: number[] = []
  /**
   * How far the batch of instant `cursorAt` has been run or skipped. Only a shortcut: run
   * and cleared timers are skipped wherever a scan starts, so when an earlier instant gets
   * a timer (after advance() stopped short of a batch), the scan of the later batch just
   * starts over when it is next at the top.
   */
  private cursor = 0
  private cursorAt = NaN

  constructor (start = 0) {
    this.time = start
  }

  now (): number {
    return this.time
  }

  setTimeout (fn: () => void, ms: number): TimerHandle {
    return this.schedule(fn, ms, 0)
  }

  setInterval (fn: () => void, ms: number): TimerHandle {
    return this.schedule(fn, ms, Math.max(1, ms))
  }

  clearTimeout (handle: TimerHandle): void {
    if (!(handle instanceof Timer) || handle.clock !== this || handle.done) return
    handle.done = true
    // A cleared timer stays queued until its instant comes up (it is skipped then), but what
    // its callback holds need not: a request's timeout holds the request, its handlers and
    // the lookup behind them, and most requests are answered long before their timeout.
    handle.fn = noop
    this.live--
  }

  clearInterval (handle: TimerHandle): void {
    this.clearTimeout(handle)
  }

  /** Timers scheduled and not yet run or cleared. */
  get pending (): number {
    return this.live
  }

  /** Runs every timer due within `ms`, in time order, and ends at now + ms. */
  advance (ms: number): void {
    const end = this.time + ms
    this.runDue(end)
    this.time = end
  }

  /**
   * Lets `ms` of time pass like {@link advance}, but lets promise callbacks run after each
   * instant's timers, before time moves on: code that awaits (a lookup, a request) then
   * sees the same order of events as on the real clock.
   */
  async run (ms: number): Promise<void> {
    const end = this.time + ms
    await settlePromises()
    for (;;) {
      const next = this.peek()
      if (next === null || next.at > end) break
      this.runDue(next.at)
      await settlePromises()
    }
    this.time = end
  }

  /**
   * Runs every timer due before `end`, instant by instant as {@link run} does, then moves time
   * to `end`. The step of a network split over threads (see `SimNetwork.takeOutbound`): each
   * partition's clock runs to the same `end` before they trade datagrams.
   */
  async runBefore (end: number): Promise<void> {
    await settlePromises()
    for (;;) {
      const next = this.peek()
      if (next === null || next.at >= end) break
      this.runDue(next.at)
      await settlePromises()
    }
    if (end > this.time) this.time = end
  }

  /**
   * Runs timers, instant by instant as {@link run} does, until `promise` settles, and
   * returns its outcome. Rejects when nothing is left to run and it has not settled (it
   * never will), or after `limit` ms of simulated time.
   */
  async runUntil<T> (promise: Promise<T>, limit = Infinity): Promise<T> {
    let settled = false
    const watched = promise.finally(() => { settled = true })
    watched.catch(noop)
    const end = this.time + limit
    await settlePromises()
    while (!settled) {
      const next = this.peek()
      if (next === null) throw new Error(`ManualClock.runUntil: nothing left to run at ${this.time} ms and the promise has not settled`)
      if (next.at > end) {
        this.time = end
        throw new Error(`ManualClock.runUntil: the promise has not settled after ${limit} ms`)
      }
      this.runDue(next.at)
      await settlePromises()
    }
    return await watched
  }

  /** When the next timer is due, or null when none is scheduled. */
  nextAt (): number | null {
    return this.peek()?.at ?? null
  }

  /** Moves time by `ms` without running anything, as when a laptop sleeps. */
  jump (ms: number): void {
    this.time += ms
  }

  /** Runs the earliest timer, moving time to it. False when there is none. */
  runNext (): boolean {
    const timer = this.peek()
    if (timer === null) return false
    this.cursor++
    if (timer.at > this.time) this.time = timer.at
    if (timer.every > 0) {
      timer.at = this.time + timer.every
      this.enqueue(timer)
    } else {
      timer.done = true
      this.live--
    }
    timer.fn()
    return true
  }

  // runs every timer due at or before `at`, in order, those they schedule included
  private runDue (at: number): void {
    for (;;) {
      const next = this.peek()
      if (next === null || next.at > at) return
      this.runNext()
    }
  }

  /**
   * @internal Queues a timeout made by the caller: a {@link Timer} of this clock, due at
   * `timer.at` (not before now), run once.
   */
  enqueueTimer (timer: Timer): void {
    if (timer.clock !== this || timer.every !== 0 || timer.done || !(timer.at >= this.time)) throw new RangeError('enqueueTimer takes a new timeout of this clock, due from now on')
    this.live++
    this.enqueue(timer)
  }

  private schedule (fn: () => void, ms: number, every: number): Timer {
    const timer = new Timer(this, this.time + Math.max(0, ms), fn, every)
    this.live++
    this.enqueue(timer)
    return timer
  }

  private enqueue (timer: Timer): void {
    const batch = this.batches.get(timer.at)
    if (batch !== undefined) {
      batch.push(timer)
      return
    }
    this.batches.set(timer.at, [timer])
    pushInstant(this.instants, timer.at)
  }

  // The earliest timer not yet run nor cleared. A batch is dropped once run through; cleared
  // timers are skipped when they surface.
  private peek (): Timer | null {
    const instants = this.instants
    while (instants.length > 0) {
      const at = instants[0]!
      const batch = this.batches.get(at)!
      if (at !== this.cursorAt) {
        this.cursorAt = at
        this.cursor = 0
      }
      while (this.cursor < batch.length) {
        const timer = batch[this.cursor]!
        if (!timer.done && timer.at === at) return timer
        this.cursor++ // cleared
      }
      this.batches.delete(at)
      popInstant(instants)
      this.cursor = 0
    }
    return null
  }
}

// every promise callback and process.nextTick runs before the next macrotask
function settlePromises (): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve))
}

function noop (): void {}

function pushInstant (heap: number[], at: number): void {
  let i = heap.push(at) - 1
  while (i > 0) {
    const parent = (i - 1) >> 1
    if (heap[parent]! <= at) break
    heap[i] = heap[parent]!
    i = parent
  }
  heap[i] = at
}

function popInstant (heap: number[]): void {
  const last = heap.pop()!
  const n = heap.length
  if (n === 0) return
  let i = 0
  for (;;) {
    const l = 2 * i + 1
    if (l >= n) break
    const r = l + 1
    const child = r < n && heap[r]! < heap[l]! ? r : l
    if (heap[child]! >= last) break
    heap[i] = heap[child]!
    i = child
  }
  heap[i] = last
}
