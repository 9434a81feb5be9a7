// XOR distance between 32-byte routing ids, without allocating: the comparisons every
// closest() and every lookup make.

/**
 * The number of leading bits `a` and `b` share: 0 to 255, or 256 when they are equal.
 * For `a` = a table's own id this is the bucket `b` belongs in (bucket 0 is the farther half
 * of the id space, bucket 255 holds the single id differing only in the last bit). It is
 * the bucket index kademlia-routing-table uses for every id but the table's own.
 */
export function bucketIndex (a: Uint8Array, b: Uint8Array): number {
  const len = Math.min(a.length, b.length)
  for (let i = 0; i < len; i++) {
    const x = a[i]! ^ b[i]!
    if (x !== 0) return i * 8 + Math.clz32(x) - 24
  }
  return len * 8
}

/**
 * Compares the XOR distances of `a` and `b` to `target`: negative when `a` is nearer,
 * positive when `b` is nearer, 0 only when `a` and `b` are the same id.
 * Usable as a sort comparator: `ids.sort((a, b) => compareDistance(target, a, b))`.
 */
export function compareDistance (target: Uint8Array, a: Uint8Array, b: Uint8Array): number {
  const len = target.length
  for (let i = 0; i < len; i++) {
    const t = target[i]!
    const x = a[i]! ^ t
    const y = b[i]! ^ t
    if (x !== y) return x < y ? -1 : 1
  }
  return 0
}

/** The XOR distance of `a` and `b` as a new big-endian byte array (for display and tests). */
export function xorDistance (a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length)
  for (let i = 0; i < out.length; i++) out[i] = a[i]! ^ b[i]!
  return out
}
