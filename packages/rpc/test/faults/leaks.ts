import assert from 'node:assert/strict'
import type test from 'node:test'

const WATCHED = ['UDPWrap', 'Timeout', 'GetAddrInfoReqWrap']

function count (): Record<string, number> {
  const counts: Record<string, number> = Object.fromEntries(WATCHED.map((name) => [name, 0]))
  for (const name of process.getActiveResourcesInfo()) if (name in counts) counts[name]!++
  return counts
}

/**
 * Records the sockets, timers and DNS lookups alive now, and returns a check that none more
 * are alive once everything is destroyed (closing sockets takes a turn of the event loop).
 */
export function watchResources (): () => Promise<void> {
  const before = count()
  return async () => {
    let after = count()
    for (let i = 0; i < 50 && WATCHED.some((name) => after[name]! > before[name]!); i++) {
      await new Promise((resolve) => setTimeout(resolve, 10))
      after = count()
    }
    const left = WATCHED.filter((name) => after[name]! > before[name]!).map((name) => `${after[name]! - before[name]!} ${name}`)
    assert.deepEqual(left, [], 'no socket, timer or lookup left behind')
  }
}

/** Collects unhandled rejections for the test's duration; check() asserts there were none. */
export function watchUnhandled (t: test.TestContext): { check: () => void } {
  const unhandled: unknown[] = []
  const onunhandled = (err: unknown): void => { unhandled.push(err) }
  process.on('unhandledRejection', onunhandled)
  t.after(() => { process.off('unhandledRejection', onunhandled) })
  return { check: () => assert.deepEqual(unhandled, [], 'no unhandled rejection') }
}

/** Lets pending callbacks and promise jobs run. */
export function turn (ms = 20): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms))
}
