/**
 * NatAnalyzer: collects our address as other nodes see it (one sample per referrer,
 * in a ring) and classifies our NAT the way dht-rpc 5.0.0-rc.6 does.
 */

import { consensusHost } from './host-consensus.js'
import { NAT_PORT_CONSISTENT, NAT_UNKNOWN } from './nat-type.js'
import { PortClassifier } from './port-classifier.js'
import { SampleRing } from './ring.js'
import type { Address, NatAnalysis, NatAnalyzerOptions, NatSample } from './types.js'
import { checkAddress, checkMinSamples, checkSampleSize } from './validate.js'

const DEFAULT_SAMPLE_SIZE = 16 // what dht-rpc keeps: enough referrers to outvote a few liars
const DEFAULT_MIN_SAMPLES = 3 // below this, one or two referrers could decide our address alone

// Shared and frozen: an unknown result carries nothing, so analyze() need not allocate one.
const UNKNOWN: NatAnalysis = Object.freeze({ type: NAT_UNKNOWN, host: null, port: 0 })

/**
 * Our address as other nodes see it, one sample per referrer in a ring (16 by default),
 * and the NAT class those samples imply. Feed it the `to` of each verified message with
 * add(); ask analyze() whenever the node needs its public address.
 */
export class NatAnalyzer {
  private readonly ring: SampleRing
  private readonly ports: PortClassifier

  constructor (options: NatAnalyzerOptions = {}) {
    const sampleSize = options.sampleSize ?? DEFAULT_SAMPLE_SIZE
    checkSampleSize(sampleSize)
    this.ring = new SampleRing(sampleSize)
    this.ports = new PortClassifier(sampleSize)
  }

  /** How many samples are held (at most `capacity`). */
  get size (): number {
    return this.ring.length
  }

  /** Same as `size`; the name dht-rpc uses. */
  get length (): number {
    return this.ring.length
  }

  /** How many samples the ring can hold. */
  get capacity (): number {
    return this.ring.slots.length
  }

  /**
   * Record `address`, our address as `referrer` saw it. A referrer that already has a
   * sample gets it replaced in place (it keeps its ring position); otherwise the sample
   * takes the next slot, evicting the oldest once the ring is full.
   */
  add (address: Address, referrer: Address): void {
    checkAddress(address, 'address')
    checkAddress(referrer, 'referrer')
    this.ring.put(address.host, address.port, referrer.host, referrer.port)
  }

  /** True when `referrer` (same host and port) has a sample in the ring. */
  has (referrer: Address): boolean {
    checkAddress(referrer, 'referrer')
    return this.ring.indexOf(referrer.host, referrer.port) !== -1
  }

  /** Copies of the held samples, in ring slot order (not insertion order). For inspection. */
  samples (): NatSample[] {
    const out: NatSample[] = []
    for (let i = 0; i < this.ring.length; i++) {
      const s = this.ring.slots[i]!
      out.push({ host: s.host, port: s.port, referrer: { host: s.referrerHost, port: s.referrerPort } })
    }
    return out
  }

  /**
   * Classify our NAT from the held samples. Unknown with fewer than `minSamples` samples
   * or when no host has half of them; otherwise consistent, incrementing or randomized.
   */
  analyze (minSamples: number = DEFAULT_MIN_SAMPLES): NatAnalysis {
    checkMinSamples(minSamples)
    const { slots, length } = this.ring
    if (length < minSamples) return UNKNOWN

    const host = consensusHost(slots, length)
    if (host === null) return UNKNOWN

    const type = this.ports.classify(slots, length)
    if (type === NAT_PORT_CONSISTENT) return { type, host, port: this.ports.port }
    return { type, host, port: 0 }
  }
}
