/** Small builders for the example tests: referrers, and feeding lists of samples. */

import assert from 'node:assert/strict'
import { NatAnalyzer } from '@dht/nat'
import type { Address, NatAnalyzerOptions } from '@dht/nat'
import { ReferenceNatAnalyzer, feedReference } from './reference.js'
import type { ReferenceResult } from './reference.js'

export const HOST_A = '203.0.113.7'
export const HOST_B = '198.51.100.42'
export const HOST_C = '192.0.2.10'
export const HOST_D = '192.0.2.11'

/** The i-th distinct referrer. */
export function referrer (i: number): Address {
  return { host: `10.0.${i >> 8}.${i & 255}`, port: 49737 }
}

/** [host, port] pairs, one per referrer: the i-th pair comes from referrer(offset + i). */
export type Seen = ReadonlyArray<readonly [host: string, port: number]>

export function feed (nat: NatAnalyzer, seen: Seen, offset = 0): NatAnalyzer {
  seen.forEach(([host, port], i) => nat.add({ host, port }, referrer(offset + i)))
  return nat
}

export function analyzerWith (seen: Seen, options: NatAnalyzerOptions = {}): NatAnalyzer {
  return feed(new NatAnalyzer(options), seen)
}

/** `count` samples of the same host and port. */
export function repeat (host: string, port: number, count: number): Seen {
  return Array.from({ length: count }, () => [host, port] as const)
}

/** A host with each of `ports`, one sample each. */
export function ports (host: string, list: readonly number[]): Seen {
  return list.map((port) => [host, port] as const)
}

/** What rc.6's analyzer says about the same samples (fed one per referrer, as above). */
export function referenceResult (seen: Seen, minSamples?: number): ReferenceResult {
  const ref = new ReferenceNatAnalyzer(16)
  seen.forEach(([host, port], i) => feedReference(ref, { host, port }, referrer(i)))
  return ref.analyze(minSamples)
}

export interface Expected {
  readonly type: symbol
  readonly host: string | null
  readonly port: number
}

/**
 * Assert that `seen` analyzes to `expected`, and that rc.6 says the same, so each
 * example both pins a value and checks it against the reference.
 */
export function assertAnalysis (seen: Seen, expected: Expected, minSamples?: number): void {
  const ours = analyzerWith(seen).analyze(minSamples)
  assert.deepEqual({ type: ours.type, host: ours.host, port: ours.port }, expected, 'ours')
  const ref = referenceResult(seen, minSamples)
  assert.deepEqual({ type: ref.type, host: ref.host, port: ref.port }, expected, 'dht-rpc 5.0.0-rc.6')
}
