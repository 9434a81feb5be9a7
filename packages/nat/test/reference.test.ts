/**
 * The hard contract: for random sample sequences, analyze() equals the analyzer of
 * dht-rpc 5.0.0-rc.6 fed the same sequence the way its node feeds it.
 */

import test from 'node:test'
import assert from 'node:assert/strict'
import fc from 'fast-check'
import { NatAnalyzer } from '@dht/nat'
import type { Address } from '@dht/nat'
import { ReferenceNatAnalyzer, feedReference } from './support/reference.js'

const SEED = 0x6e6174 // fixed, so every run checks the same sequences
const RUNS = 4000

// Few public hosts so that consensus is often contested; enough referrers (8 hosts x 4
// ports) to wrap a ring of 16 and to repeat some of them.
const HOSTS = ['203.0.113.7', '198.51.100.42', '192.0.2.10', '192.0.2.11']
const REFERRER_HOSTS = ['10.0.0.1', '10.0.0.2', '10.0.0.3', '10.0.0.4', '10.0.0.5', '10.0.0.6', '10.0.0.7', '10.0.0.8']
const REFERRER_PORTS = [49737, 49738, 1, 65535]

type PortMode = 'same' | 'cluster' | 'increment' | 'threshold' | 'random'

interface Step {
  readonly referrer: Address
  readonly host: number // index into HOSTS, or -1 for the sequence's main host
  readonly mode: PortMode | null // null: the sequence's main mode
  readonly jitter: number
  readonly random: number
}

interface Sequence {
  readonly host: number
  readonly mode: PortMode
  readonly base: number
  readonly step: number
  readonly steps: readonly Step[]
}

const portMode = fc.constantFrom<PortMode>('same', 'cluster', 'increment', 'threshold', 'random')

const stepArb: fc.Arbitrary<Step> = fc.record({
  referrer: fc.record({ host: fc.constantFrom(...REFERRER_HOSTS), port: fc.constantFrom(...REFERRER_PORTS) }),
  host: fc.oneof({ weight: 3, arbitrary: fc.constant(-1) }, { weight: 1, arbitrary: fc.integer({ min: 0, max: HOSTS.length - 1 }) }),
  mode: fc.oneof({ weight: 4, arbitrary: fc.constant(null) }, { weight: 1, arbitrary: portMode }),
  jitter: fc.integer({ min: -260, max: 260 }),
  random: fc.integer({ min: 0, max: 65535 })
})

const sequenceArb: fc.Arbitrary<Sequence> = fc.record({
  host: fc.integer({ min: 0, max: HOSTS.length - 1 }),
  mode: portMode,
  base: fc.oneof(fc.integer({ min: 0, max: 65535 }), fc.constantFrom(0, 1, 65534, 65535)),
  step: fc.integer({ min: 0, max: 150 }),
  steps: fc.array(stepArb, { maxLength: 48, size: 'max' }) // 'max': long enough to wrap the ring
})

function clampPort (port: number): number {
  return Math.min(65535, Math.max(0, port))
}

function sampleAt (seq: Sequence, i: number): Address {
  const s = seq.steps[i]!
  const host = HOSTS[s.host === -1 ? seq.host : s.host]!
  switch (s.mode ?? seq.mode) {
    case 'same': return { host, port: seq.base }
    case 'cluster': return { host, port: clampPort(seq.base + (s.jitter % 3)) }
    case 'increment': return { host, port: clampPort(seq.base + i * seq.step) }
    case 'threshold': return { host, port: clampPort(seq.base + s.jitter) }
    case 'random': return { host, port: s.random }
  }
}

function checkSequence (seq: Sequence, sampleSize: number): void {
  const ours = new NatAnalyzer({ sampleSize })
  const ref = new ReferenceNatAnalyzer(sampleSize)

  for (let i = 0; i < seq.steps.length; i++) {
    const address = sampleAt(seq, i)
    const from = seq.steps[i]!.referrer
    ours.add(address, from)
    feedReference(ref, address, from)

    assert.equal(ours.size, ref.length)
    assert.equal(ours.has(from), true)
    for (const min of [undefined, 1, 2, 3, 4]) {
      const a = ours.analyze(min)
      const r = ref.analyze(min)
      assert.deepEqual({ type: a.type, host: a.host, port: a.port }, { type: r.type, host: r.host, port: r.port },
        `step ${i}, minSamples ${String(min)}`)
    }
  }
}

test('analyze() equals dht-rpc 5.0.0-rc.6 on random sample sequences (ring of 16)', () => {
  fc.assert(fc.property(sequenceArb, (seq) => checkSequence(seq, 16)), { seed: SEED, numRuns: RUNS })
})

test('analyze() equals dht-rpc 5.0.0-rc.6 for other ring sizes', () => {
  const sized = fc.tuple(sequenceArb, fc.constantFrom(1, 2, 4, 8, 32))
  fc.assert(fc.property(sized, ([seq, size]) => checkSequence(seq, size)), { seed: SEED + 1, numRuns: RUNS / 4 })
})

test('has() agrees with the reference lookup of a referrer sample', () => {
  fc.assert(fc.property(sequenceArb, (seq) => {
    const ours = new NatAnalyzer()
    const ref = new ReferenceNatAnalyzer(16)
    seq.steps.forEach((s, i) => {
      ours.add(sampleAt(seq, i), s.referrer)
      feedReference(ref, sampleAt(seq, i), s.referrer)
    })
    for (const host of REFERRER_HOSTS) {
      for (const port of REFERRER_PORTS) {
        assert.equal(ours.has({ host, port }), ref.sample({ host, port }) !== null)
      }
    }
  }), { seed: SEED + 2, numRuns: RUNS / 4 })
})
