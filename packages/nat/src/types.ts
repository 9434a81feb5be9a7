/** The shapes @dht/nat takes and returns. */

import type {
  NAT_PORT_CONSISTENT,
  NAT_PORT_INCREMENTING,
  NAT_PORT_RANDOMIZED,
  NAT_UNKNOWN
} from './nat-type.js'

/** A host (an IPv4 address in practice) and a UDP port. */
export interface Address {
  /** The host: `'203.0.113.7'`. */
  readonly host: string
  /** The UDP port. */
  readonly port: number
}

/** One sample: our address as `referrer` saw it. */
export interface NatSample {
  /** Our host, as the referrer saw it. */
  readonly host: string
  /** Our port, as the referrer saw it. */
  readonly port: number
  /** The node that saw us there (the ring keeps one sample per referrer). */
  readonly referrer: Address
}

/**
 * What analyze() concluded. `host` is our public host once enough referrers agree on it;
 * `port` is our public port, known only when it is consistent (otherwise 0).
 */
export type NatAnalysis =
  | {
    /** Too few samples, or no host seen by at least half of the referrers. */
    readonly type: typeof NAT_UNKNOWN
    /** Unknown. */
    readonly host: null
    /** Unknown. */
    readonly port: 0
  }
  | {
    /** Every referrer sees us at the same port. */
    readonly type: typeof NAT_PORT_CONSISTENT
    /** Our public host. */
    readonly host: string
    /** Our public port. */
    readonly port: number
  }
  | {
    /** Our port differs by referrer: close together (in sequence) or spread out (random). */
    readonly type: typeof NAT_PORT_INCREMENTING | typeof NAT_PORT_RANDOMIZED
    /** Our public host. */
    readonly host: string
    /** Not known: each referrer sees another. */
    readonly port: 0
  }

/** The options of a {@link NatAnalyzer}. */
export interface NatAnalyzerOptions {
  /**
   * How many samples the ring keeps (one per referrer); a power of two from 1 to 1024.
   * @default 16
   */
  readonly sampleSize?: number
}
