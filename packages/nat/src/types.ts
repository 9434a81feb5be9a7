/** The shapes @dht/nat takes and returns. */

import type {
  NAT_PORT_CONSISTENT,
  NAT_PORT_INCREMENTING,
  NAT_PORT_RANDOMIZED,
  NAT_UNKNOWN
} from './nat-type.js'

/** A host (an IPv4 address in practice) and a UDP port. */
export interface Address {
  readonly host: string
  readonly port: number
}

/** One sample: our address as `referrer` saw it. */
export interface NatSample {
  readonly host: string
  readonly port: number
  readonly referrer: Address
}

/**
 * What analyze() concluded. `host` is our public host once enough referrers agree on it;
 * `port` is our public port, known only when it is consistent (otherwise 0).
 */
export type NatAnalysis =
  | { readonly type: typeof NAT_UNKNOWN, readonly host: null, readonly port: 0 }
  | { readonly type: typeof NAT_PORT_CONSISTENT, readonly host: string, readonly port: number }
  | { readonly type: typeof NAT_PORT_INCREMENTING | typeof NAT_PORT_RANDOMIZED, readonly host: string, readonly port: 0 }

export interface NatAnalyzerOptions {
  /**
   * How many samples the ring keeps (one per referrer); a power of two from 1 to 1024.
   * @default 16
   */
  readonly sampleSize?: number
}
