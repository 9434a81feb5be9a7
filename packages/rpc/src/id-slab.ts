// Routing-table entries live for minutes to hours. The ids they are built from are views into
// Node's shared 8 KiB buffer pool or into a received datagram, so keeping one would keep the
// whole slab alive with it (measured: 38 KB of retained slabs per node in a 2,000-node
// network). Entries keep a copy from a slab that holds nothing but such copies.

const ID_BYTES = 32
const IDS_PER_SLAB = 128

let slab = newSlab()
let used = 0

/** A copy of a 32-byte id (a Buffer, as ids are everywhere else) that shares memory only with other kept ids. */
export function keepId (id: Uint8Array): Buffer {
  if (used === IDS_PER_SLAB) {
    slab = newSlab()
    used = 0
  }
  const start = used++ * ID_BYTES
  const copy = slab.subarray(start, start + ID_BYTES)
  copy.set(id)
  return copy
}

// outside Node's pool, so that the slab holds nothing else
function newSlab (): Buffer {
  return Buffer.allocUnsafeSlow(ID_BYTES * IDS_PER_SLAB)
}
