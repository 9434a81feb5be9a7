import test from 'node:test'
import assert from 'node:assert/strict'
import { NatAnalyzer, NAT_PORT_CONSISTENT } from '@dht/nat'
import { HOST_A, HOST_B, referrer } from './support/samples.js'

const at = (port: number) => ({ host: HOST_A, port })

test('the ring holds 16 samples by default and wraps around, evicting the oldest', () => {
  const nat = new NatAnalyzer()
  assert.equal(nat.capacity, 16)
  for (let i = 0; i < 16; i++) nat.add(at(1000), referrer(i))
  assert.equal(nat.size, 16)
  assert.equal(nat.length, 16)

  nat.add(at(2000), referrer(16))
  assert.equal(nat.size, 16)
  assert.equal(nat.has(referrer(0)), false)
  assert.equal(nat.has(referrer(1)), true)
  assert.equal(nat.has(referrer(16)), true)
  // the 17th sample took slot 0
  assert.deepEqual(nat.samples()[0], { host: HOST_A, port: 2000, referrer: referrer(16) })

  for (let i = 17; i < 32; i++) nat.add(at(2000), referrer(i))
  assert.deepEqual(nat.analyze(), { type: NAT_PORT_CONSISTENT, host: HOST_A, port: 2000 })
  for (let i = 0; i < 16; i++) assert.equal(nat.has(referrer(i)), false)
})

test('a referrer keeps one sample: a newer one replaces it in place', () => {
  const nat = new NatAnalyzer()
  nat.add(at(1000), referrer(0))
  nat.add(at(1000), referrer(1))
  nat.add(at(1000), referrer(2))
  nat.add({ host: HOST_B, port: 3000 }, referrer(0))
  assert.equal(nat.size, 3)
  nat.add(at(1000), referrer(3))
  assert.deepEqual(nat.samples(), [
    { host: HOST_B, port: 3000, referrer: referrer(0) },
    { host: HOST_A, port: 1000, referrer: referrer(1) },
    { host: HOST_A, port: 1000, referrer: referrer(2) },
    { host: HOST_A, port: 1000, referrer: referrer(3) }
  ])
})

test('replacing a sample does not move the ring: eviction order is unchanged', () => {
  const nat = new NatAnalyzer({ sampleSize: 4 })
  for (let i = 0; i < 4; i++) nat.add(at(1000), referrer(i))
  nat.add(at(1001), referrer(0)) // refreshed, but still the oldest slot
  nat.add(at(1002), referrer(4))
  assert.equal(nat.has(referrer(0)), false)
  assert.deepEqual(nat.samples().map((s) => s.referrer), [referrer(4), referrer(1), referrer(2), referrer(3)])
  nat.add(at(1003), referrer(4)) // replaced in slot 0, after the wrap
  assert.deepEqual(nat.samples()[0], { host: HOST_A, port: 1003, referrer: referrer(4) })
  assert.equal(nat.size, 4)
})

test('a referrer is its host and port: same host on another port is another referrer', () => {
  const nat = new NatAnalyzer()
  nat.add(at(1000), { host: '10.0.0.1', port: 1 })
  nat.add(at(1000), { host: '10.0.0.1', port: 2 })
  assert.equal(nat.size, 2)
  assert.equal(nat.has({ host: '10.0.0.1', port: 1 }), true)
  assert.equal(nat.has({ host: '10.0.0.1', port: 3 }), false)
  assert.equal(nat.has({ host: '10.0.0.2', port: 1 }), false)
})

test('add() copies what it is given', () => {
  const nat = new NatAnalyzer()
  const address = { host: HOST_A, port: 1000 }
  const from = { host: '10.0.0.1', port: 1 }
  nat.add(address, from)
  address.port = 2000
  from.port = 2
  assert.deepEqual(nat.samples(), [{ host: HOST_A, port: 1000, referrer: { host: '10.0.0.1', port: 1 } }])
})

test('sampleSize sets the ring size', () => {
  for (const sampleSize of [1, 2, 8, 32]) {
    const nat = new NatAnalyzer({ sampleSize })
    assert.equal(nat.capacity, sampleSize)
    for (let i = 0; i < sampleSize * 2 + 1; i++) nat.add(at(1000 + i), referrer(i))
    assert.equal(nat.size, sampleSize)
    assert.equal(nat.has(referrer(sampleSize * 2)), true)
    assert.equal(nat.has(referrer(sampleSize)), false)
  }
})
