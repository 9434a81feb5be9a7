/**
 * Classifies the ports the referrers saw (consistent, incrementing or randomized) with
 * the results of dht-rpc 5.0.0-rc.6, quirks included. Scratch arrays are allocated once
 * per analyzer, so classify() allocates nothing.
 */

import { NAT_PORT_CONSISTENT, NAT_PORT_INCREMENTING, NAT_PORT_RANDOMIZED } from './nat-type.js'
import type { Slot } from './ring.js'
import { sortPrefix } from './sort.js'

const INCREMENTING_THRESHOLD = 200 // median distance (in ports) below which a NAT counts as sequential
const OUTLIERS = 3 // samples left out of the judgement ...
const OUTLIER_MIN_SAMPLES = 6 // ... once there are this many, so at least 3 remain

export type PortClass = typeof NAT_PORT_CONSISTENT | typeof NAT_PORT_INCREMENTING | typeof NAT_PORT_RANDOMIZED

export class PortClassifier {
  /** The consistent port found by the last classify() that returned NAT_PORT_CONSISTENT. */
  port = 0
  private readonly ports: Uint16Array
  private readonly dists: Uint16Array

  constructor (capacity: number) {
    this.ports = new Uint16Array(capacity)
    this.dists = new Uint16Array(capacity)
  }

  /** Classify the ports of slots 0 .. length - 1 (length >= 1), whatever their host. */
  classify (slots: readonly Slot[], length: number): PortClass {
    const ports = this.ports
    const dists = this.dists

    for (let i = 0; i < length; i++) ports[i] = slots[i]!.port
    sortPrefix(ports, length)

    const kept = length >= OUTLIER_MIN_SAMPLES ? length - OUTLIERS : length

    // rc.6 quirk (looks like a bug, kept for equality): it trims 3 ends off the sorted ports
    // around their upper median, then reads the new median at kept >> 1 from index 0 instead
    // of from the trimmed start. Which ends it trimmed therefore never matters, only how many:
    // the median is always the sorted port at kept >> 1, shifted low when it trimmed low ends.
    const mid = ports[kept >> 1]!

    // Distances over every sample, sorted: the 3 farthest from the median fall past `kept`,
    // which is how the outliers end up dropped.
    for (let i = 0; i < length; i++) dists[i] = Math.abs(mid - ports[i]!)
    sortPrefix(dists, length)

    // dists[0] is always 0 (mid is one of the ports): consistent means `kept` samples sit on mid.
    if (dists[kept - 1] === 0) {
      this.port = mid
      return NAT_PORT_CONSISTENT
    }

    return dists[kept >> 1]! < INCREMENTING_THRESHOLD ? NAT_PORT_INCREMENTING : NAT_PORT_RANDOMIZED
  }
}
