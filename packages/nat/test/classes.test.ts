import test from 'node:test'
import assert from 'node:assert/strict'
import {
  NatAnalyzer,
  NAT_PORT_CONSISTENT,
  NAT_PORT_INCREMENTING,
  NAT_PORT_RANDOMIZED,
  NAT_UNKNOWN
} from '@dht/nat'
import { HOST_A, HOST_B, HOST_C, HOST_D, analyzerWith, assertAnalysis, ports, repeat } from './support/samples.js'

const UNKNOWN = { type: NAT_UNKNOWN, host: null, port: 0 }

test('an empty analyzer is unknown', () => {
  const nat = new NatAnalyzer()
  assert.equal(nat.size, 0)
  assert.deepEqual(nat.analyze(), UNKNOWN)
  assert.deepEqual(nat.analyze(1), UNKNOWN)
})

test('the same host and port from every referrer is port consistent', () => {
  assertAnalysis(repeat(HOST_A, 49737, 3), { type: NAT_PORT_CONSISTENT, host: HOST_A, port: 49737 })
  assertAnalysis(repeat(HOST_A, 1, 16), { type: NAT_PORT_CONSISTENT, host: HOST_A, port: 1 })
})

test('ports 0 and 65535 are valid samples', () => {
  assertAnalysis(repeat(HOST_A, 0, 4), { type: NAT_PORT_CONSISTENT, host: HOST_A, port: 0 })
  assertAnalysis(repeat(HOST_A, 65535, 4), { type: NAT_PORT_CONSISTENT, host: HOST_A, port: 65535 })
})

test('ports handed out in sequence are incrementing', () => {
  assertAnalysis(ports(HOST_A, [40000, 40001, 40002]), { type: NAT_PORT_INCREMENTING, host: HOST_A, port: 0 })
  assertAnalysis(ports(HOST_A, [40000, 40010, 40020, 40030, 40040, 40050, 40060, 40070]),
    { type: NAT_PORT_INCREMENTING, host: HOST_A, port: 0 })
})

test('ports spread across the range are randomized', () => {
  assertAnalysis(ports(HOST_A, [1200, 33000, 61000]), { type: NAT_PORT_RANDOMIZED, host: HOST_A, port: 0 })
  assertAnalysis(ports(HOST_A, [5000, 9000, 13000, 17000, 21000, 25000, 29000, 33000, 37000, 41000]),
    { type: NAT_PORT_RANDOMIZED, host: HOST_A, port: 0 })
})

test('fewer samples than minSamples is unknown, and minSamples defaults to 3', () => {
  const seen = repeat(HOST_A, 49737, 2)
  assertAnalysis(seen, UNKNOWN)
  assertAnalysis(seen, UNKNOWN, 3)
  assertAnalysis(seen, { type: NAT_PORT_CONSISTENT, host: HOST_A, port: 49737 }, 2)
  assertAnalysis(repeat(HOST_A, 49737, 1), { type: NAT_PORT_CONSISTENT, host: HOST_A, port: 49737 }, 1)
  assertAnalysis(repeat(HOST_A, 49737, 3), UNKNOWN, 4)
  assertAnalysis(repeat(HOST_A, 49737, 16), UNKNOWN, 17)
})

test('no host with half of the samples is unknown', () => {
  assertAnalysis([[HOST_A, 1000], [HOST_B, 1000], [HOST_C, 1000], [HOST_D, 1000]], UNKNOWN)
  assertAnalysis([[HOST_A, 1000], [HOST_A, 1000], [HOST_B, 1000], [HOST_B, 1000], [HOST_C, 1000], [HOST_D, 1000]], UNKNOWN)
})

test('the unknown result is read-only and the same object every time', () => {
  const nat = analyzerWith(repeat(HOST_A, 1000, 2))
  const a = nat.analyze()
  assert.equal(a, nat.analyze())
  assert.ok(Object.isFrozen(a))
})

test('known results are fresh objects', () => {
  const nat = analyzerWith(repeat(HOST_A, 1000, 3))
  const a = nat.analyze()
  assert.notEqual(a, nat.analyze())
  assert.deepEqual(a, nat.analyze())
})
