// Runs a fake network until a query has closed: replies on setImmediate first, then the
// manual clock's timers one at a time, so re-sends and timeouts happen in order and fast.

import type { FakeNetwork } from './network.js'

export function tick (): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve))
}

/**
 * Delivers replies and fires timers until `done()` (by default: the stream closed).
 * Resolves with the clock's time then; rejects when nothing is left to run.
 */
export async function drive (net: FakeNetwork, stream: { destroyed: boolean }, done = (): boolean => stream.destroyed): Promise<number> {
  for (let idle = 0; ;) {
    await tick()
    if (done()) return net.clock.now()
    if (net.busy) {
      idle = 0
      continue
    }
    if (net.clock.runNext()) {
      idle = 0
      continue
    }
    if (++idle > 1000) throw new Error('stuck: the query has not closed and nothing is left to run')
  }
}

/** Delivers every reply and fires every timer left, until nothing remains to run. */
export async function runOut (net: FakeNetwork): Promise<void> {
  for (;;) {
    await tick()
    if (net.busy) continue
    if (!net.clock.runNext()) break
  }
  await tick()
}
