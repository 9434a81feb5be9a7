// AddressSet is internal (the lookups' seen set); tested here against a plain Set of strings.
import test from 'node:test'
import assert from 'node:assert/strict'
import fc from 'fast-check'
import { AddressSet } from '../dist/address-set.js'

const host = fc.oneof(
  fc.tuple(fc.nat(255), fc.nat(255), fc.nat(3), fc.nat(3)).map((p) => p.join('.')), // few distinct: many repeats
  fc.ipV4(),
  fc.constantFrom('localhost', 'node1.example', '1.2.3', '1.2.3.4.5', '256.1.1.1', '')
)
const address = fc.tuple(host, fc.oneof(fc.constantFrom(0, 1, 65535), fc.nat(65535)))

test('add and has agree with a Set of "host:port" strings', () => {
  fc.assert(fc.property(fc.array(address, { maxLength: 400 }), (addresses) => {
    const set = new AddressSet()
    const model = new Set<string>()
    for (const [h, p] of addresses) {
      const key = `${h}:${p}`
      assert.equal(set.has(h, p), model.has(key))
      assert.equal(set.add(h, p), !model.has(key))
      model.add(key)
      assert.equal(set.has(h, p), true)
    }
  }), { numRuns: 300 })
})

test('thousands of addresses, high ones included, survive growing', () => {
  const set = new AddressSet()
  for (let i = 0; i < 5000; i++) assert.equal(set.add(`${200 + (i % 50)}.${i >> 8 & 255}.${i & 255}.1`, i), true)
  for (let i = 0; i < 5000; i++) {
    assert.equal(set.has(`${200 + (i % 50)}.${i >> 8 & 255}.${i & 255}.1`, i), true)
    assert.equal(set.has(`${200 + (i % 50)}.${i >> 8 & 255}.${i & 255}.1`, i + 1), false)
  }
})
