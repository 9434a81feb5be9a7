import test from 'node:test'
import assert from 'node:assert/strict'
import { NatAnalyzer, NAT_PORT_CONSISTENT, NAT_PORT_INCREMENTING } from '@dht/nat'
import type { Address } from '@dht/nat'
import { ReferenceNatAnalyzer, feedReference } from './support/reference.js'
import type { ReferenceAnalyzer } from './support/reference.js'
import type { Expected } from './support/samples.js'
import { HOST_A, HOST_B, referrer } from './support/samples.js'

// Ours and rc.6, fed the same samples; every check asserts both.
class Pair {
  readonly ours = new NatAnalyzer()
  readonly ref: ReferenceAnalyzer = new ReferenceNatAnalyzer(16)

  add (address: Address, from: Address): void {
    this.ours.add(address, from)
    feedReference(this.ref, address, from)
  }

  expect (expected: Expected, message: string): void {
    const a = this.ours.analyze()
    assert.deepEqual({ type: a.type, host: a.host, port: a.port }, expected, `ours: ${message}`)
    const r = this.ref.analyze()
    assert.deepEqual({ type: r.type, host: r.host, port: r.port }, expected, `rc.6: ${message}`)
  }
}

const OLD = { host: HOST_A, port: 5000 }
const NEW = { host: HOST_B, port: 6000 }

function settledOnOld (): Pair {
  const pair = new Pair()
  for (let i = 0; i < 16; i++) pair.add(OLD, referrer(i))
  pair.expect({ type: NAT_PORT_CONSISTENT, ...OLD }, 'before the move')
  return pair
}

// After k of 16 referrers report the new address (in slots 0 .. k - 1): the old port stays
// consistent while 13 agree (3 outliers dropped), the new host wins the tie at 8 because its
// samples come first in slot order, and the new port is consistent from 13 on.
function afterMoving (k: number): Expected {
  if (k <= 3) return { type: NAT_PORT_CONSISTENT, ...OLD }
  if (k < 8) return { type: NAT_PORT_INCREMENTING, host: HOST_A, port: 0 }
  if (k < 13) return { type: NAT_PORT_INCREMENTING, host: HOST_B, port: 0 }
  return { type: NAT_PORT_CONSISTENT, ...NEW }
}

test('moving networks: the new host wins once it has half, the new port once 13 of 16 agree', () => {
  // The same 16 referrers report our new address one by one; each replaces its own sample.
  const pair = settledOnOld()
  for (let k = 1; k <= 16; k++) {
    pair.add(NEW, referrer(k - 1))
    assert.equal(pair.ours.size, 16)
    pair.expect(afterMoving(k), `${k} moved`)
  }
})

test('moving networks with new referrers: they evict the oldest samples and win the same way', () => {
  const pair = settledOnOld()
  for (let k = 1; k <= 16; k++) {
    pair.add(NEW, referrer(100 + k))
    pair.expect(afterMoving(k), `${k} new`)
  }
  assert.equal(pair.ours.has(referrer(0)), false)
})

test('moving networks: at exactly half, the host in the earlier slots keeps the tie', () => {
  // Referrers in the last 8 slots move first, so the old host reaches 8 first and keeps it.
  const pair = settledOnOld()
  for (let k = 1; k <= 8; k++) pair.add(NEW, referrer(16 - k))
  pair.expect({ type: NAT_PORT_INCREMENTING, host: HOST_A, port: 0 }, '8 of 16 in the last slots')
  pair.add(NEW, referrer(7))
  pair.expect({ type: NAT_PORT_INCREMENTING, host: HOST_B, port: 0 }, '9 of 16')
})
