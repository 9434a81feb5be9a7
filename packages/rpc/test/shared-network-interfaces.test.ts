// sharedNetworkInterfaces(): a reading is kept for maxAge; a read that throws is not kept;
// bad options throw up front. (The nodes that share one: test/sim/shared-interfaces.test.ts.)

import test from 'node:test'
import assert from 'node:assert/strict'
import { sharedNetworkInterfaces } from '@dht/rpc'
import type { NetworkInterfaces } from '@dht/rpc'
import { ManualClock } from '@dht/sim'

const WLAN: NetworkInterfaces = { wlan0: [{ address: '192.168.0.2', family: 'IPv4', internal: false }] }

test('one reading for every call within maxAge, a new one after', () => {
  const clock = new ManualClock()
  let reads = 0
  const read = (): NetworkInterfaces => { reads++; return WLAN }
  const shared = sharedNetworkInterfaces({ read, maxAge: 1000, clock })
  for (let i = 0; i < 50; i++) assert.equal(shared(), WLAN)
  assert.equal(reads, 1)
  clock.advance(999)
  shared()
  assert.equal(reads, 1)
  clock.advance(1)
  shared()
  assert.equal(reads, 2)
})

test('maxAge 0: every call reads', () => {
  let reads = 0
  const shared = sharedNetworkInterfaces({ read: () => { reads++; return WLAN }, maxAge: 0, clock: new ManualClock() })
  shared()
  shared()
  assert.equal(reads, 2)
})

test('a read that throws is not kept: the next call reads again', () => {
  let reads = 0
  const shared = sharedNetworkInterfaces({
    read: () => {
      reads++
      if (reads === 1) throw new Error('uv_interface_addresses')
      return WLAN
    }
  })
  assert.throws(() => shared(), /uv_interface_addresses/)
  assert.equal(shared(), WLAN)
  assert.equal(reads, 2)
})

test('bad options: a TypeError that names them', () => {
  const invalid = (name: string) => (err: unknown): boolean =>
    err instanceof TypeError && (err as { code?: string }).code === 'INVALID_ARGUMENT' && err.message.startsWith(name + ' must be')
  assert.throws(() => sharedNetworkInterfaces(null as never), invalid('options'))
  assert.throws(() => sharedNetworkInterfaces({ read: 'os' as never }), invalid('read'))
  assert.throws(() => sharedNetworkInterfaces({ maxAge: -1 }), invalid('maxAge'))
  assert.throws(() => sharedNetworkInterfaces({ maxAge: Number.NaN }), invalid('maxAge'))
})
