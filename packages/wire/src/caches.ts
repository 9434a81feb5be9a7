// The process-wide caches of the codec: ids by address (sharedId), decoded peers and host
// strings. Each is direct-mapped (see AddressCache) and sized for the addresses one node hears
// of. Every node of a process shares them, so a process that runs many nodes (a testnet, a
// simulation) hears of many more addresses: at 10,000 simulated nodes a thread, ids cached in
// 2,048 slots were hashed and allocated anew so often that 8 times the id slots took 7% off the
// wall time of a join (71.3 s to 66.6 s), and 32 times the slots of each cache 7% as well
// (66.4 s). At 50,000 nodes a thread, capping the ids at 65,536 slots (and peers and hosts at
// 131,072) kept the caches smaller than the 100,000 addresses heard of: without the cap the
// join of 100,000 took 567 s against 585 to 621 s. Such a process says how many nodes it
// runs, and the caches grow.

import { AddressCache } from './address-cache.js'
import type { Peer } from './ipv4.js'

// log2 of the slots for one node, and the most any process gets (for some 250,000 nodes)
const ID_BITS = { min: 11, max: 20 }
const PEER_BITS = { min: 12, max: 21 }
const HOST_BITS = { min: 12, max: 21 }
// each node adds about this many addresses heard of (log2): 4 slots a node
const SLOT_BITS_PER_NODE = 2

/** Routing ids by address: a hit skips the hash (see sharedId). */
export const idCache = new AddressCache<Uint8Array>(ID_BITS.min)
/** Decoded peers by address: frozen, shared by every message that names the address. */
export const peerCache = new AddressCache<Peer>(PEER_BITS.min)
/** Host strings by their 32 bits (the port is always 0). */
export const hostCache = new AddressCache<string>(HOST_BITS.min)

/**
 * Sizes the process-wide caches of ids, decoded peers and host strings for `count` nodes
 * running in this process at once (@dht/rpc calls it as it opens each node). They only grow,
 * to about 4 slots a node (8 for peers and hosts), from the few thousand of one node up to
 * 2^20 ids and 2^21 peers and hosts, for some 250,000 nodes (12 bytes a slot, and what fills
 * them); growing empties them. Nothing else changes: a cached value is the value decoding or
 * hashing would give.
 */
export function sizeCachesForNodes (count: number): void {
  if (!Number.isSafeInteger(count) || count < 1) throw new RangeError(`count must be a positive integer, got ${String(count)}`)
  const bits = Math.ceil(Math.log2(count)) + SLOT_BITS_PER_NODE
  idCache.growTo(clamp(bits, ID_BITS))
  peerCache.growTo(clamp(bits + 1, PEER_BITS))
  hostCache.growTo(clamp(bits + 1, HOST_BITS))
}

function clamp (bits: number, range: { min: number, max: number }): number {
  return Math.min(range.max, Math.max(range.min, bits))
}
