// Strict nearest-first selection over the buckets of a table, without sorting the table.
//
// With d = bucketIndex(own id, target), the buckets fall into groups whose distance ranges
// to the target do not overlap, nearest group first:
//   1. bucket d: shares the first d bits with the target and also bit d, so distance < 2^(255-d);
//   2. buckets d+1..255 together: they first differ from the target at bit d;
//   3. bucket d-1, then d-2, ... down to 0: bucket i first differs from the target at bit i.
// So the groups are visited in that order and the walk stops at the first group boundary
// where n nodes are already held. Within a group, a bounded insertion keeps only the best n
// (a node not nearer than the current n-th is skipped after one comparison), so a
// closest(target, 20) never sorts the table.

import { compareDistance } from './distance.js'

interface Bucket<E> {
  readonly nodes: readonly E[]
}

/**
 * The `n` nodes of `rows` nearest to `target` by XOR distance, nearest first.
 * `d` is the bucket index of the target relative to the table's id (256 for the id itself).
 */
export function selectClosest<E extends { readonly id: Uint8Array }> (
  rows: ReadonlyArray<Bucket<E> | undefined>,
  d: number,
  target: Uint8Array,
  n: number
): E[] {
  const out: E[] = []
  if (n === 0) return out

  collect(rows[d], target, n, out)
  if (out.length >= n) return out

  for (let i = d + 1; i < rows.length; i++) collect(rows[i], target, n, out)

  for (let i = d - 1; i >= 0 && out.length < n; i--) collect(rows[i], target, n, out)

  return out
}

function collect<E extends { readonly id: Uint8Array }> (bucket: Bucket<E> | undefined, target: Uint8Array, n: number, out: E[]): void {
  if (bucket === undefined) return
  const nodes = bucket.nodes
  for (let j = 0; j < nodes.length; j++) insertBounded(nodes[j]!, target, n, out)
}

/** Inserts `node` at its place in `out` (sorted nearest first), keeping at most n. */
function insertBounded<E extends { readonly id: Uint8Array }> (node: E, target: Uint8Array, n: number, out: E[]): void {
  let hi = out.length
  if (hi > 0 && compareDistance(target, node.id, out[hi - 1]!.id) > 0) {
    // Farther than everything held: append if there is room, else it cannot make the cut.
    if (hi < n) out.push(node)
    return
  }
  let lo = 0
  while (lo < hi) {
    const mid = (lo + hi) >>> 1
    if (compareDistance(target, out[mid]!.id, node.id) < 0) lo = mid + 1
    else hi = mid
  }
  if (out.length === n) out.pop()
  out.splice(lo, 0, node)
}
