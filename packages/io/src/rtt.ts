// Round-trip estimates per peer address: how long to wait for a reply from a peer before
// re-sending. Each peer's estimate follows TCP's (RFC 6298): learned from replies to requests
// sent once (Karn's rule), wait srtt + 4 * rttvar. One estimate per node, learned from its
// fastest traffic, would rush every far peer. A peer not heard from yet gets a patient
// default: twice the wait of the slowest peer the node knows, at most 1 s. On a network of
// near peers a dead one is then noticed soon; with one far peer among them, an unknown peer is
// treated as at least as far.

import { parseIPv4 } from '@dht/wire'
import type { Peer } from '@dht/wire'

/** The wait before the first re-send to a peer with no sample, before any peer was measured, and the most such a wait gets: as patient as dht-rpc 6 and TCP's initial RTO. */
export const INITIAL_RTO = 1000
/** A peer with no sample waits this many times what the slowest known peer needs. */
export const UNKNOWN_PEER_FACTOR = 2
/** The least wait: a loaded event loop adds tens of ms to a round trip, and re-sending sooner is noise. */
export const MIN_RTO = 200
/** The most wait before a re-send, whatever the samples say. */
export const MAX_RTO = 3000

// Direct-mapped slots: memory stays fixed however many peers a node talks to. Two peers that
// share a slot take turns; the one evicted looks unknown and gets the patient default, which
// is safe, only less quick to re-send.
const DEFAULT_SLOTS = 128

/**
 * Round-trip estimates by peer address, in a fixed number of slots: how long to wait for a
 * peer's reply before re-sending ({@link RoundTrips.rto}).
 */
export class RoundTrips {
  // slot i: the peer's key + 1 (0: empty), its smoothed round trip and its variation, in ms
  private readonly keys: Float64Array
  private readonly srtt: Float32Array
  private readonly rttvar: Float32Array
  private readonly mask: number
  // the most srtt + 4 rttvar of any known peer, or -1 when a sample changed it since
  private slowest = -1
  private samples = 0

  /** @param slots - peers remembered at most, a power of two. */
  constructor (slots = DEFAULT_SLOTS) {
    if (!Number.isInteger(slots) || slots < 1 || (slots & (slots - 1)) !== 0) throw new RangeError(`slots must be a power of two, got ${slots}`)
    this.keys = new Float64Array(slots)
    this.srtt = new Float32Array(slots)
    this.rttvar = new Float32Array(slots)
    this.mask = slots - 1
  }

  /** Records the round trip of a request to `peer` that was answered after one send. */
  sample (peer: Peer, rtt: number): void {
    const key = keyOf(peer)
    if (key === 0) return
    this.samples++
    this.slowest = -1
    const slot = this.slotOf(key)
    if (this.keys[slot] !== key) {
      this.keys[slot] = key
      this.srtt[slot] = rtt
      this.rttvar[slot] = rtt / 2
      return
    }
    this.rttvar[slot] = 0.75 * this.rttvar[slot]! + 0.25 * Math.abs(this.srtt[slot]! - rtt)
    this.srtt[slot] = 0.875 * this.srtt[slot]! + 0.125 * rtt
  }

  /** How long to wait for a reply from `peer` before the first re-send, in ms. */
  rto (peer: Peer): number {
    const key = keyOf(peer)
    const slot = this.slotOf(key)
    if (key === 0 || this.keys[slot] !== key) return this.unknownRto()
    return Math.max(MIN_RTO, Math.min(MAX_RTO, this.srtt[slot]! + 4 * this.rttvar[slot]!))
  }

  /** The wait before the first re-send to a peer with no sample, ms. */
  unknownRto (): number {
    if (this.samples === 0) return INITIAL_RTO
    if (this.slowest < 0) this.slowest = this.slowestKnown()
    return Math.max(MIN_RTO, Math.min(INITIAL_RTO, UNKNOWN_PEER_FACTOR * this.slowest))
  }

  private slowestKnown (): number {
    let most = 0
    for (let slot = 0; slot <= this.mask; slot++) {
      if (this.keys[slot] !== 0) most = Math.max(most, this.srtt[slot]! + 4 * this.rttvar[slot]!)
    }
    return most
  }

  /** The smoothed round trip to `peer` in ms, or null when it has no sample (or lost its slot). */
  smoothed (peer: Peer): number | null {
    const key = keyOf(peer)
    const slot = this.slotOf(key)
    return key !== 0 && this.keys[slot] === key ? this.srtt[slot]! : null
  }

  private slotOf (key: number): number {
    // mixes the host bits and the port (key = host * 65536 + port + 1, exact in a double)
    const low = key % 0x10000
    const high = (key - low) / 0x10000
    return (Math.imul(high ^ (low << 16) ^ low, 0x9e3779b1) >>> 16) & this.mask
  }
}

// host * 65536 + port + 1, or 0 for a host that is not a dotted quad
function keyOf (peer: Peer): number {
  const ip = parseIPv4(peer.host)
  return ip === null ? 0 : (ip >>> 0) * 0x10000 + peer.port + 1
}
