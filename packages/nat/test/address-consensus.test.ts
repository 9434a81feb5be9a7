import test from 'node:test'
import assert from 'node:assert/strict'
import { AddressConsensus, isNatError } from '@dht/nat'
import type { AddressChange } from '@dht/nat'
import { HOST_A, HOST_B, HOST_C, HOST_D, referrer } from './support/samples.js'

// Feeds `count` reports of host:port, each from the next referrer from `first` on;
// returns every change add() returned.
function feed (c: AddressConsensus, host: string, port: number, count: number, first = 0): AddressChange[] {
  const changes: AddressChange[] = []
  for (let i = 0; i < count; i++) {
    const change = c.add({ host, port }, referrer(first + i))
    if (change !== null) changes.push(change)
  }
  return changes
}

test('a steady address is agreed on and never reported as a change', () => {
  const c = new AddressConsensus()
  assert.equal(c.host, null)
  assert.equal(c.agreedHost, null)
  assert.deepEqual(feed(c, HOST_A, 5000, 3), [])
  assert.equal(c.host, null, '3 samples are too few to agree on')
  assert.deepEqual(feed(c, HOST_A, 5000, 200, 3), [])
  assert.equal(c.host, HOST_A)
  assert.equal(c.port, 5000)
  assert.equal(c.agreedHost, HOST_A)
  assert.equal(c.size, 16)
})

test('a move to another host is reported once, when most of the window reports it', () => {
  const c = new AddressConsensus()
  feed(c, HOST_A, 5000, 16)
  const changes: Array<{ at: number, change: AddressChange }> = []
  for (let i = 0; i < 40; i++) {
    const change = c.add({ host: HOST_B, port: 6000 }, referrer(100 + i))
    if (change !== null) changes.push({ at: i + 1, change })
  }
  assert.deepEqual(changes, [{ at: 13, change: { previous: HOST_A, host: HOST_B, port: 6000 } }])
  assert.equal(c.host, HOST_B)
  assert.equal(c.agreedHost, HOST_B)
})

test('while the samples disagree there is no agreed host now, and no change', () => {
  const c = new AddressConsensus()
  feed(c, HOST_A, 5000, 16)
  assert.deepEqual(feed(c, HOST_B, 5000, 6, 100), [])
  assert.equal(c.host, null, '10 of 16 is not enough')
  assert.equal(c.port, 0)
  assert.equal(c.agreedHost, HOST_A, 'the last agreement is kept')
  // back to the old host: still no change, it never moved
  assert.deepEqual(feed(c, HOST_A, 5000, 16, 200), [])
  assert.equal(c.host, HOST_A)
})

test('one node reporting a wrong address, even again and again, changes nothing', () => {
  const c = new AddressConsensus()
  feed(c, HOST_A, 5000, 16)
  const liar = referrer(999)
  for (let i = 0; i < 50; i++) {
    assert.equal(c.add({ host: HOST_B, port: 5000 }, liar), null)
    feed(c, HOST_A, 5000, 1, 300 + i)
  }
  assert.equal(c.host, HOST_A)
  // its repeats were not counted: 50 reports in a row from it are one sample
  for (let i = 0; i < 50; i++) assert.equal(c.add({ host: HOST_C, port: 5000 }, liar), null)
  assert.equal(c.host, HOST_A, 'one dissenting sample of 16')
})

test('one node alternating between wrong addresses never moves the agreement', () => {
  const c = new AddressConsensus()
  feed(c, HOST_A, 5000, 16)
  const liar = referrer(999)
  for (let i = 0; i < 100; i++) {
    assert.equal(c.add({ host: i % 2 === 0 ? HOST_B : HOST_C, port: 5000 }, liar), null)
  }
  assert.equal(c.agreedHost, HOST_A)
})

test('an odd first report does not become the baseline a move is measured from', () => {
  const c = new AddressConsensus()
  // nat-sampler alone agrees on a lone sample; here it takes 4 with at most one dissenting
  assert.deepEqual(feed(c, HOST_B, 5000, 1, 999), [])
  assert.equal(c.host, null)
  assert.deepEqual(feed(c, HOST_A, 5000, 20), [])
  assert.equal(c.host, HOST_A)
  assert.equal(c.agreedHost, HOST_A)
})

test('a new port on the same host is no move', () => {
  const c = new AddressConsensus()
  feed(c, HOST_A, 5000, 16)
  assert.deepEqual(feed(c, HOST_A, 7000, 32, 100), [])
  assert.equal(c.host, HOST_A)
  assert.equal(c.port, 7000)
})

test('behind a NAT that changes the port for every peer, the host is agreed on and a move is seen', () => {
  const c = new AddressConsensus()
  for (let i = 0; i < 16; i++) assert.equal(c.add({ host: HOST_A, port: 20000 + 97 * i }, referrer(i)), null)
  assert.equal(c.host, HOST_A)
  assert.equal(c.port, 0, 'no port agreed')
  const changes: AddressChange[] = []
  for (let i = 0; i < 16; i++) {
    const change = c.add({ host: HOST_D, port: 30000 + 89 * i }, referrer(100 + i))
    if (change !== null) changes.push(change)
  }
  assert.deepEqual(changes, [{ previous: HOST_A, host: HOST_D, port: 0 }])
})

test('a node that saw us move is counted again', () => {
  // a referrer's report is a repeat only when it says what it said last
  const c = new AddressConsensus()
  for (let i = 0; i < 16; i++) c.add({ host: HOST_A, port: 5000 }, referrer(i))
  const changes: AddressChange[] = []
  for (let i = 0; i < 16; i++) {
    const change = c.add({ host: HOST_B, port: 5000 }, referrer(i))
    if (change !== null) changes.push(change)
  }
  assert.deepEqual(changes, [{ previous: HOST_A, host: HOST_B, port: 5000 }])
})

test('reset() forgets the samples: the next agreement is a new baseline, not a move', () => {
  const c = new AddressConsensus()
  feed(c, HOST_A, 5000, 16)
  c.reset()
  assert.equal(c.host, null)
  assert.equal(c.agreedHost, null)
  assert.equal(c.size, 0)
  // the same referrers count again after a reset
  assert.deepEqual(feed(c, HOST_B, 5000, 16), [])
  assert.equal(c.host, HOST_B)
  assert.equal(c.agreedHost, HOST_B)
})

test('bad input throws a NatError and records nothing', () => {
  const c = new AddressConsensus()
  const cases: Array<[unknown, unknown, string]> = [
    [null, referrer(0), 'INVALID_ADDRESS'],
    [{ host: 1, port: 5000 }, referrer(0), 'INVALID_HOST'],
    [{ host: HOST_A, port: 70000 }, referrer(0), 'INVALID_PORT'],
    [{ host: HOST_A, port: 5000 }, 'x', 'INVALID_ADDRESS'],
    [{ host: HOST_A, port: 5000 }, { host: HOST_B, port: -1 }, 'INVALID_PORT']
  ]
  for (const [address, from, code] of cases) {
    assert.throws(() => c.add(address as never, from as never), (err: unknown) => isNatError(err) && err.code === code)
  }
  assert.equal(c.size, 0)
})
