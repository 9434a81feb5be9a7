// What the network tells a node about its own address: the `to` of every message it gets is
// its address as the sender saw it. The samples decide its NAT type, and so whether it may
// go persistent; a ping_nat check then proves other nodes can reach it unasked.

import { NAT_OPEN, NAT_PORT_CONSISTENT, NatAnalyzer } from '@dht/nat'
import type { NatAnalysis } from '@dht/nat'
import type { Peer } from '@dht/wire'
import { FIREWALL_CHECK_NODES, NAT_SAMPLES } from './constants.js'
import type { RemoteAddress } from './types.js'

/** The node's address as others see it, and whether it has enough samples to tell. */
export class SelfAddress {
  #nat = new NatAnalyzer({ sampleSize: NAT_SAMPLES })
  #resolveSampled: ((sampled: boolean) => void) | null = null
  #lastSeenAs: Peer | null = null
  readonly #onsample: ((to: Peer, from: Peer) => void) | undefined
  /** Resolves true once 3 nodes told our address, or the node bootstrapped; false if destroyed first. */
  readonly sampled: Promise<boolean>

  /** `onsample` sees each sample of {@link SelfAddress.add} (not the anonymous ones), before it counts. */
  constructor (onsample?: (to: Peer, from: Peer) => void) {
    this.sampled = new Promise((resolve) => { this.#resolveSampled = resolve })
    this.#onsample = onsample
  }

  /** `from` saw us at `to`. */
  add (to: Peer, from: Peer): void {
    // first: a sample that shows the network changed is the first one learned after reset()
    this.#onsample?.(to, from)
    this.#nat.add(to, from)
    this.#checkSampled()
  }

  /**
   * A reply without an id (an ephemeral node, or a bootstrap node) told us our address: it
   * counts only until the first 3 samples are in, so the node can start from bootstrap
   * nodes alone but no ephemeral node decides its NAT type later.
   */
  addAnonymous (to: Peer, from: Peer): void {
    if (this.#nat.size < 3 && !this.#nat.has(from)) this.#nat.add(to, from)
    this.#checkSampled()
  }

  /**
   * Forgets every sample, so the next messages tell the address anew: after a network change
   * or time away (a suspension) the node may be on another network, behind another NAT.
   * (`sampled` stays settled: it tells of the first samples only.)
   */
  reset (): void {
    this.#nat = new NatAnalyzer({ sampleSize: NAT_SAMPLES })
    this.#lastSeenAs = null
  }

  /** Ends the wait of {@link SelfAddress.sampled}, with `sampled`. */
  settle (sampled: boolean): void {
    this.#resolveSampled?.(sampled)
    this.#resolveSampled = null
  }

  /**
   * `to`, or an equal object given before: nearly every table entry saw us at the same
   * address, so they share one object rather than keep a copy each.
   */
  seenAs (to: Peer): Peer {
    const last = this.#lastSeenAs
    if (last !== null && last.host === to.host && last.port === to.port) return last
    this.#lastSeenAs = to
    return to
  }

  /** The NAT analysis of the samples so far. */
  analyze (minSamples?: number): NatAnalysis {
    return this.#nat.analyze(minSamples)
  }

  /** Our address and NAT type as {@link DHT.remoteAddress} tells it: NAT_OPEN once persistent. */
  remoteAddress (ephemeral: boolean, minSamples?: number): RemoteAddress {
    const result = this.#nat.analyze(minSamples)
    const type = result.type === NAT_PORT_CONSISTENT && !ephemeral ? NAT_OPEN : result.type
    return { type, host: result.host, port: result.port }
  }

  #checkSampled (): void {
    if (this.#resolveSampled !== null && this.#nat.size >= 3) this.settle(true)
  }
}

/**
 * Whether other nodes can reach us unasked: the most recently seen table nodes (topped up
 * with bootstrap nodes) are asked to ping_nat us, which they answer from another socket, so
 * the reply comes through only if our NAT lets strangers in. 3 must answer (1 when fewer
 * than 5 nodes could be asked).
 */
export async function reachable (
  recentFirst: Iterable<Peer>,
  bootstrapNodes: () => Promise<Peer[]>,
  pingNat: (nodes: Peer[], min: number) => Promise<unknown>
): Promise<boolean> {
  const nodes: Peer[] = []
  for (const node of recentFirst) {
    if (nodes.length === FIREWALL_CHECK_NODES) break
    nodes.push(node)
  }
  if (nodes.length < FIREWALL_CHECK_NODES) nodes.push(...await bootstrapNodes())
  if (nodes.length === 0) return false
  try {
    await pingNat(nodes, nodes.length >= FIREWALL_CHECK_NODES ? 3 : 1)
    return true
  } catch {
    return false
  }
}
