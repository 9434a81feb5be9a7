import test from 'node:test'
import assert from 'node:assert/strict'
import {
  NAT_OPEN,
  NAT_PORT_CONSISTENT,
  NAT_PORT_INCREMENTING,
  NAT_PORT_RANDOMIZED,
  NAT_UNKNOWN
} from '@dht/nat'
import type { NatType } from '@dht/nat'
import { ReferenceNatAnalyzer, loadReferenceDht } from './support/reference.js'

test('the NAT types are registered symbols under their dht-rpc names', () => {
  assert.equal(NAT_UNKNOWN, Symbol.for('NAT_UNKNOWN'))
  assert.equal(NAT_OPEN, Symbol.for('NAT_OPEN'))
  assert.equal(NAT_PORT_CONSISTENT, Symbol.for('NAT_PORT_CONSISTENT'))
  assert.equal(NAT_PORT_INCREMENTING, Symbol.for('NAT_PORT_INCREMENTING'))
  assert.equal(NAT_PORT_RANDOMIZED, Symbol.for('NAT_PORT_RANDOMIZED'))
})

test('the NAT types equal those of dht-rpc 5.0.0-rc.6', () => {
  const dht = loadReferenceDht()
  assert.equal(NAT_UNKNOWN, dht.NAT_UNKNOWN)
  assert.equal(NAT_OPEN, dht.NAT_OPEN)
  assert.equal(NAT_PORT_CONSISTENT, dht.NAT_PORT_CONSISTENT)
  assert.equal(NAT_PORT_INCREMENTING, dht.NAT_PORT_INCREMENTING)
  assert.equal(NAT_PORT_RANDOMIZED, dht.NAT_PORT_RANDOMIZED)
  assert.equal(NAT_UNKNOWN, ReferenceNatAnalyzer.UNKNOWN)
  assert.equal(NAT_PORT_CONSISTENT, ReferenceNatAnalyzer.PORT_CONSISTENT)
  assert.equal(NAT_PORT_INCREMENTING, ReferenceNatAnalyzer.PORT_INCREMENTING)
  assert.equal(NAT_PORT_RANDOMIZED, ReferenceNatAnalyzer.PORT_RANDOMIZED)
})

test('NatType covers all five', () => {
  const all: NatType[] = [NAT_UNKNOWN, NAT_OPEN, NAT_PORT_CONSISTENT, NAT_PORT_INCREMENTING, NAT_PORT_RANDOMIZED]
  assert.equal(new Set(all).size, 5)
})
