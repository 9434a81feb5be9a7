import test from 'node:test'
import assert from 'node:assert/strict'
import { INITIAL_RTO, MAX_RTO, MIN_RTO, RoundTrips } from '@dht/io'

const near = { host: '10.0.0.1', port: 1000 }
const far = { host: '10.0.0.2', port: 1000 }
const unknown = { host: '10.0.0.3', port: 1000 }

test('each peer has its own estimate; a peer not heard from waits twice what the slowest known peer needs, within [MIN_RTO, INITIAL_RTO]', () => {
  const rtt = new RoundTrips()
  assert.equal(rtt.rto(unknown), INITIAL_RTO, 'before any sample')
  for (let i = 0; i < 20; i++) rtt.sample(near, 2)
  assert.equal(rtt.rto(near), MIN_RTO, 'a near peer: the floor')
  assert.equal(rtt.rto(unknown), MIN_RTO, 'only near peers known: an unknown one is likely near too')
  for (let i = 0; i < 20; i++) {
    rtt.sample(far, 600)
    rtt.sample(near, 2)
  }
  assert.ok(rtt.rto(far) >= 600 && rtt.rto(far) <= MAX_RTO, `a far peer: ${rtt.rto(far)}`)
  assert.equal(rtt.rto(near), MIN_RTO, 'the near peer keeps its own')
  assert.equal(rtt.rto(unknown), INITIAL_RTO, 'one peer 600 ms away: an unknown one is treated as at least as far')
  for (let i = 0; i < 200; i++) rtt.sample(near, 2)
  assert.equal(rtt.rto(unknown), INITIAL_RTO, 'however many near samples follow')
  assert.equal(rtt.smoothed(unknown), null)
  assert.ok(Math.abs(rtt.smoothed(near)! - 2) < 0.01)
})

test('memory is fixed: a peer that lost its slot to another is unknown again', () => {
  const rtt = new RoundTrips(1)
  rtt.sample(near, 50)
  assert.equal(rtt.smoothed(near), 50)
  rtt.sample(far, 70)
  assert.equal(rtt.smoothed(near), null)
  assert.equal(rtt.smoothed(far), 70)
  assert.throws(() => new RoundTrips(3), RangeError)
})
