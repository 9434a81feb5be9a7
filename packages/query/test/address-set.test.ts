// AddressSet is internal (the lookups' seen set); tested here against a plain Set of strings.
import test from 'node:test'
import assert from 'node:assert/strict'
import fc from 'fast-check'
import { decodeState, encodeExact, isIPv4, peer } from '@dht/wire'
import type { Peer } from '@dht/wire'
import { AddressSet } from '../dist/address-set.js'

// an IPv4 address as decoding gives it (carrying its host parsed), or as a plain object
function asPeer (host: string, port: number, decoded: boolean): Peer {
  if (!decoded || !isIPv4(host)) return { host, port }
  return peer.decode(decodeState(encodeExact(peer, { host, port })))
}

const host = fc.oneof(
  fc.tuple(fc.nat(255), fc.nat(255), fc.nat(3), fc.nat(3)).map((p) => p.join('.')), // few distinct: many repeats
  fc.ipV4(),
  fc.constantFrom('localhost', 'node1.example', '1.2.3', '1.2.3.4.5', '256.1.1.1', '')
)
const address = fc.tuple(host, fc.oneof(fc.constantFrom(0, 1, 65535), fc.nat(65535)), fc.boolean(), fc.boolean())

test('add and has agree with a Set of "host:port" strings, for decoded and plain peers alike', () => {
  fc.assert(fc.property(fc.array(address, { maxLength: 400 }), (addresses) => {
    const set = new AddressSet()
    const model = new Set<string>()
    for (const [h, p, addDecoded, hasDecoded] of addresses) {
      const key = `${h}:${p}`
      assert.equal(set.has(asPeer(h, p, hasDecoded)), model.has(key))
      assert.equal(set.add(asPeer(h, p, addDecoded)), !model.has(key))
      model.add(key)
      assert.equal(set.has(asPeer(h, p, hasDecoded)), true)
    }
  }), { numRuns: 300 })
})

test('thousands of addresses, high ones included, survive growing', () => {
  const set = new AddressSet()
  const host = (i: number): string => `${200 + (i % 50)}.${i >> 8 & 255}.${i & 255}.1`
  for (let i = 0; i < 5000; i++) assert.equal(set.add({ host: host(i), port: i }), true)
  for (let i = 0; i < 5000; i++) {
    assert.equal(set.has({ host: host(i), port: i }), true)
    assert.equal(set.has(asPeer(host(i), i, true)), true)
    assert.equal(set.has({ host: host(i), port: i + 1 }), false)
  }
})
