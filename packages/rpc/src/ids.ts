// Routing ids as the node keeps them.

/** A copy of a 32-byte id in memory of its own, not a view that keeps a larger buffer alive. */
export function ownId (id: Uint8Array): Buffer {
  const copy = Buffer.alloc(32)
  copy.set(id)
  return copy
}
