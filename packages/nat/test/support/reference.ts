/**
 * The NAT analyzer inside dht-rpc 5.0.0-rc.6 (untyped CommonJS), typed for the parts the
 * tests use, and a feeder that hands it samples the way the rc.6 node does.
 */

import { createRequire } from 'node:module'
import type { Address } from '@dht/nat'

export interface ReferenceSample {
  host: string
  port: number
  readonly referrer: Address
}

export interface ReferenceResult {
  readonly type: symbol
  readonly host: string | null
  readonly port: number
}

export interface ReferenceAnalyzer {
  readonly length: number
  sample (referrer: Address): ReferenceSample | null
  add (address: Address, referrer: Address): void
  analyze (minSamples?: number): ReferenceResult
}

interface ReferenceAnalyzerClass {
  new (sampleSize: number): ReferenceAnalyzer
  readonly UNKNOWN: symbol
  readonly PORT_CONSISTENT: symbol
  readonly PORT_INCREMENTING: symbol
  readonly PORT_RANDOMIZED: symbol
}

interface ReferenceDht {
  readonly NAT_UNKNOWN: symbol
  readonly NAT_OPEN: symbol
  readonly NAT_PORT_CONSISTENT: symbol
  readonly NAT_PORT_INCREMENTING: symbol
  readonly NAT_PORT_RANDOMIZED: symbol
}

const require = createRequire(import.meta.url)

export const ReferenceNatAnalyzer = require('dht-rpc/lib/nat-analyzer.js') as ReferenceAnalyzerClass

export function loadReferenceDht (): ReferenceDht {
  return require('dht-rpc') as ReferenceDht
}

/**
 * Feed one sample as rc.6's node does for a referrer it already knows: overwrite that
 * referrer's sample in place when there is one, else add a new one.
 */
export function feedReference (ref: ReferenceAnalyzer, address: Address, referrer: Address): void {
  const s = ref.sample(referrer)
  if (s !== null) {
    s.port = address.port
    s.host = address.host
  } else {
    ref.add({ host: address.host, port: address.port }, { host: referrer.host, port: referrer.port })
  }
}
