// The hysteresis of a node's health alone, fed tick by tick.
import test from 'node:test'
import assert from 'node:assert/strict'
import { DEGRADED_ABOVE, Health, MIN_REQUESTS, NOT_OFFLINE_BELOW, OFFLINE_ABOVE, ONLINE_BELOW, WINDOW_TICKS } from '../dist/health.js'
import type { DHTHealth } from '../dist/health.js'

/** Feeds `ticks` ticks of `ended` requests, `timedOut` of them timed out; returns every change. */
function feed (health: Health, ticks: number, ended: number, timedOut: number): DHTHealth[] {
  const changes: DHTHealth[] = []
  for (let i = 0; i < ticks; i++) {
    const state = health.update(ended, timedOut)
    if (state !== null) changes.push(state)
  }
  return changes
}

test('the marks leave a gap on each side: a share between them keeps whatever state the node is in', () => {
  assert.ok(ONLINE_BELOW < DEGRADED_ABOVE && DEGRADED_ABOVE < NOT_OFFLINE_BELOW && NOT_OFFLINE_BELOW < OFFLINE_ABOVE)
})

test('a node starts online and stays online while few of its requests time out', () => {
  const health = new Health()
  assert.equal(health.state, 'online')
  assert.deepEqual(feed(health, 100, 10, 1), [])
})

test('online goes degraded only above the high mark, and comes back only below the low one', () => {
  const health = new Health({ windowTicks: 1 })
  assert.deepEqual(feed(health, 3, 100, 25), [], 'at the high mark, not above it')
  assert.deepEqual(feed(health, 1, 100, 26), ['degraded'])
  assert.deepEqual(feed(health, 3, 100, 10), [], 'at the low mark, not below it: still degraded')
  assert.deepEqual(feed(health, 3, 100, 20), [], 'between the marks: still degraded')
  assert.deepEqual(feed(health, 1, 100, 9), ['online'])
  assert.deepEqual(feed(health, 3, 100, 20), [], 'between the marks: still online')
})

test('offline only when almost everything times out; out of it through degraded or straight online', () => {
  const health = new Health({ windowTicks: 1 })
  assert.deepEqual(feed(health, 1, 100, 90), ['degraded'], '90% is not almost everything')
  assert.deepEqual(feed(health, 1, 100, 91), ['offline'])
  assert.deepEqual(feed(health, 3, 100, 70), [], 'offline until the share falls below its own low mark')
  assert.deepEqual(feed(health, 1, 100, 69), ['degraded'])
  assert.deepEqual(feed(health, 1, 100, 100), ['offline'])
  assert.deepEqual(feed(health, 1, 100, 5), ['online'])
  assert.deepEqual(feed(health, 1, 100, 100), ['offline'], 'online to offline at once when everything times out')
})

test('an idle window (too few requests) keeps the state, whatever share it has', () => {
  const health = new Health({ windowTicks: 1 })
  assert.deepEqual(feed(health, 10, MIN_REQUESTS - 1, MIN_REQUESTS - 1), [], 'all timed out, but too few to tell')
  assert.deepEqual(feed(health, 1, MIN_REQUESTS, MIN_REQUESTS), ['offline'])
  assert.deepEqual(feed(health, 10, MIN_REQUESTS - 1, 0), [], 'all answered, but too few to tell: still offline')
  assert.deepEqual(feed(health, 50, 0, 0), [])
  assert.equal(health.share, null)
  assert.equal(health.state, 'offline')
})

test('the share is taken over the whole window: one bad tick among good ones does not move it', () => {
  const health = new Health()
  feed(health, WINDOW_TICKS, 10, 0)
  assert.deepEqual(feed(health, 1, 10, 10), [], `one tick of ${WINDOW_TICKS} all timed out is under the high mark`)
  assert.deepEqual(feed(health, 3, 10, 10), ['degraded'], 'a few in a row are not')
  assert.deepEqual(feed(health, WINDOW_TICKS, 10, 0), ['online'], 'and the window forgets them once they are older than it')
})

test('updateTotals takes the difference of running totals from one tick to the next', () => {
  const health = new Health({ windowTicks: 1 })
  assert.equal(health.updateTotals(100, 0), null)
  assert.equal(health.updateTotals(200, 100), 'offline', 'the second tick: 100 ended, all timed out')
  assert.equal(health.updateTotals(300, 100), 'online', 'the third: 100 ended, none timed out')
})
