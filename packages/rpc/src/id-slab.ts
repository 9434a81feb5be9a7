// Routing-table entries live for minutes to hours. The ids they are built from are views into
// Node's shared 8 KiB buffer pool or into a received datagram, so keeping one would keep the
// whole slab alive with it (measured: 38 KB of retained slabs per node in a 2,000-node
// network). Entries keep a copy from a slab that holds nothing but such copies.
//
// A process that runs many nodes (a testnet, a simulation) holds the same node in many
// tables; while two or more nodes are open, those entries share one copy. Copies are found
// again through weak references, so the lookup keeps nothing alive that no table holds. A
// process with one node has nothing to share and skips the lookup, which would cost it
// about 110 bytes per entry.

import { sizeCachesForNodes } from '@dht/wire'

const ID_BYTES = 32
const IDS_PER_SLAB = 128
const MIN_SWEEP = 1024

let slab = newSlab()
let used = 0

// kept copies by the first 4 bytes of the id (a small integer key); a prefix shared by two
// ids keeps the first, and the other is copied unshared
const kept = new Map<number, WeakRef<Buffer>>()
let sweepAt = MIN_SWEEP
let openNodes = 0

/**
 * A node of this process opened: ids are shared while two or more are, and @dht/wire's caches
 * of addresses grow with the nodes (see sizeCachesForNodes).
 */
export function nodeOpened (): void {
  openNodes++
  sizeCachesForNodes(openNodes)
}

/** A node of this process closed. */
export function nodeClosed (): void {
  openNodes--
  if (openNodes < 2) {
    kept.clear()
    sweepAt = MIN_SWEEP
  }
}

/**
 * A 32-byte id (a Buffer, as ids are everywhere else) that shares memory only with other kept
 * ids. While two or more nodes are open, it is the same copy for every caller that keeps an
 * equal id while one of them still holds it. Never write to it.
 */
export function keepId (id: Uint8Array): Buffer {
  if (openNodes < 2) return copyToSlab(id)
  const key = ((id[0]! << 24) | (id[1]! << 16) | (id[2]! << 8) | id[3]!)
  const ref = kept.get(key)
  const held = ref?.deref()
  if (held !== undefined && equalIds(held, id)) return held
  const copy = copyToSlab(id)
  if (held === undefined) {
    kept.set(key, new WeakRef(copy))
    if (kept.size >= sweepAt) sweep()
  }
  return copy
}

/** How many ids are findable for sharing (some may be collected but not yet swept). For tests. */
export function keptIds (): number {
  return kept.size
}

// drops the references whose copies were collected; runs when the map has doubled since
function sweep (): void {
  for (const [key, ref] of kept) {
    if (ref.deref() === undefined) kept.delete(key)
  }
  sweepAt = Math.max(MIN_SWEEP, kept.size * 2)
}

function copyToSlab (id: Uint8Array): Buffer {
  if (used === IDS_PER_SLAB) {
    slab = newSlab()
    used = 0
  }
  const start = used++ * ID_BYTES
  const copy = slab.subarray(start, start + ID_BYTES)
  copy.set(id)
  return copy
}

/** True when two ids hold the same bytes. */
export function equalIds (a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false
  return true
}

// outside Node's pool, so that the slab holds nothing else
function newSlab (): Buffer {
  return Buffer.allocUnsafeSlow(ID_BYTES * IDS_PER_SLAB)
}
