import type { Clock, TimerHandle } from '../clock.js'

interface Timer {
  id: number
  at: number
  seq: number
  fn: () => void
  every: number
}

/**
 * A clock that only moves when told: {@link advance} runs every timer due in order, jumping
 * from one to the next, so minutes of node time pass in microseconds. One timer heap serves
 * any number of nodes.
 */
export class ManualClock implements Clock {
  private time: number
  private seq = 0
  private nextId = 1
  private readonly heap: Timer[] = []
  private readonly live = new Map<number, Timer>()

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
    if (typeof handle === 'number') this.live.delete(handle)
  }

  clearInterval (handle: TimerHandle): void {
    this.clearTimeout(handle)
  }

  /** Timers scheduled and not yet run or cleared. */
  get pending (): number {
    return this.live.size
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
    this.pop()
    if (timer.at > this.time) this.time = timer.at
    if (timer.every > 0) {
      timer.at = this.time + timer.every
      timer.seq = this.seq++
      this.push(timer)
    } else {
      this.live.delete(timer.id)
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

  private schedule (fn: () => void, ms: number, every: number): number {
    const timer: Timer = { id: this.nextId++, at: this.time + Math.max(0, ms), seq: this.seq++, fn, every }
    this.live.set(timer.id, timer)
    this.push(timer)
    return timer.id
  }

  // the heap keeps cleared timers until they surface; peek drops them
  private peek (): Timer | null {
    while (this.heap.length > 0) {
      const top = this.heap[0]!
      if (this.live.get(top.id) === top) return top
      this.pop()
    }
    return null
  }

  private push (timer: Timer): void {
    const heap = this.heap
    let i = heap.push(timer) - 1
    while (i > 0) {
      const parent = (i - 1) >> 1
      if (!before(heap[i]!, heap[parent]!)) break
      swap(heap, i, parent)
      i = parent
    }
  }

  private pop (): void {
    const heap = this.heap
    const last = heap.pop()!
    if (heap.length === 0) return
    heap[0] = last
    let i = 0
    for (;;) {
      const l = 2 * i + 1
      const r = l + 1
      let smallest = i
      if (l < heap.length && before(heap[l]!, heap[smallest]!)) smallest = l
      if (r < heap.length && before(heap[r]!, heap[smallest]!)) smallest = r
      if (smallest === i) break
      swap(heap, i, smallest)
      i = smallest
    }
  }
}

// every promise callback and process.nextTick runs before the next macrotask
function settlePromises (): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve))
}

function noop (): void {}

function before (a: Timer, b: Timer): boolean {
  return a.at < b.at || (a.at === b.at && a.seq < b.seq)
}

function swap (heap: Timer[], i: number, j: number): void {
  const t = heap[i]!
  heap[i] = heap[j]!
  heap[j] = t
}
