// Strict nearest-first selection over the buckets of a table, without sorting the table
// and without reading more buckets than the answer needs.
//
// With d = bucketIndex(own id, target) and x = own id XOR target, every bucket's distance
// range to the target is disjoint from every other bucket's, and their order follows from x:
//   1. bucket d: shares the first d bits with the target and also bit d, so distance < 2^(255-d);
//   2. buckets i > d: they first differ from the target at bit d and agree with one another
//      on bits d+1..i-1; at bit i, bucket i's nodes differ from the own id and deeper
//      buckets' nodes do not. So bucket i is nearer than every deeper bucket when bit i of x
//      is 1, farther when it is 0: first the buckets with a 1, shallow to deep, then the
//      buckets with a 0, deep to shallow;
//   3. bucket d-1, then d-2, ... down to 0: bucket i first differs from the target at bit i.
// So the walk stops at the first bucket boundary where n nodes are held. Within a bucket, a
// bounded insertion keeps only the best n (a node not nearer than the current n-th is
// skipped after one comparison), so a closest(target, 20) looks at about 20 to 40 nodes of
// however big a table. It compares the first 32 bits of their distances from each row's
// prefixes (see buckets.ts), which decide all but about one comparison in 2^32, and reads a
// node's id only for a tie: what matters when thousands of tables share one CPU cache.

import { compareDistance } from './distance.js'
import { prefixOf } from './buckets.js'
import type { Bucket } from './buckets.js'

/**
 * The `n` nodes of `rows` nearest to `target` by XOR distance, nearest first.
 * `rows[i].data[j]` is {@link prefixOf} the id of `rows[i].nodes[j]` (see buckets.ts), and no
 * row deeper than `last` exists.
 * `d` is the bucket index of the target relative to `id`, the table's own id (256 for the id itself).
 * `size` is how many nodes `rows` hold.
 * `scratch` holds the distances while it runs: room for `min(n, size)` numbers, which a
 * caller may give to every call that does not overlap (a selection runs to its end without
 * calling out).
 */
export function selectClosest<E extends { readonly id: Uint8Array }> (
  rows: ReadonlyArray<Bucket<E> | undefined>,
  last: number,
  id: Uint8Array,
  d: number,
  target: Uint8Array,
  n: number,
  size: number,
  scratch: number[]
): E[] {
  const out = new Selection<E>(target, n, Math.min(n, size), scratch)
  if (n === 0) return out.nodes

  out.collect(rows[d])
  if (out.full) return out.nodes

  // kademlia-routing-table's rows array has a slot for every one of the 256 buckets, nearly
  // all of them empty: the walk reads none deeper than the deepest row there is
  for (let i = d + 1; i <= last; i++) {
    if (xorBit(id, target, i) === 1) {
      out.collect(rows[i])
      if (out.full) return out.nodes
    }
  }
  for (let i = last; i > d; i--) {
    if (xorBit(id, target, i) === 0) {
      out.collect(rows[i])
      if (out.full) return out.nodes
    }
  }

  for (let i = Math.min(d - 1, last); i >= 0 && !out.full; i--) out.collect(rows[i])

  return out.nodes
}

function xorBit (a: Uint8Array, b: Uint8Array, bit: number): number {
  return ((a[bit >> 3]! ^ b[bit >> 3]!) >> (7 - (bit & 7))) & 1
}

// the best n nodes so far, nearest first, with the first 32 bits of their distances
class Selection<E extends { readonly id: Uint8Array }> {
  private readonly held: E[]
  private count = 0
  private readonly distances: number[]
  private readonly target: Uint8Array
  private readonly target32: number
  private readonly n: number

  // `capacity`: at most how many nodes can be held (n, or fewer when the table is smaller);
  // `distances` has room for at least that many
  constructor (target: Uint8Array, n: number, capacity: number, distances: number[]) {
    this.target = target
    // flipped in the top bit, so that the XOR of a prefix with it, compared as a signed
    // integer, orders distances as unsigned ones
    this.target32 = prefixOf(target) ^ 0x80000000
    this.n = n
    this.held = new Array<E>(capacity)
    this.distances = distances
  }

  get full (): boolean {
    return this.count >= this.n
  }

  /** The nodes held, nearest first (call once, at the end). */
  get nodes (): E[] {
    if (this.held.length !== this.count) this.held.length = this.count
    return this.held
  }

  collect (bucket: Bucket<E> | undefined): void {
    if (bucket === undefined) return
    const nodes = bucket.nodes
    const prefixes = bucket.data!
    for (let j = 0; j < nodes.length; j++) this.insert(nodes[j]!, prefixes[j]! ^ this.target32)
  }

  // inserts the node at its place, keeping at most n
  private insert (node: E, distance: number): void {
    const held = this.held
    const distances = this.distances
    const count = this.count
    if (count > 0 && this.compare(node, distance, count - 1) > 0) {
      // farther than everything held: append if there is room, else it cannot make the cut
      if (count < this.n) {
        held[count] = node
        distances[count] = distance
        this.count++
      }
      return
    }
    let lo = 0
    let hi = count
    while (lo < hi) {
      const mid = (lo + hi) >>> 1
      if (this.compare(node, distance, mid) > 0) lo = mid + 1
      else hi = mid
    }
    // move the farther ones up in place, dropping the n-th when full
    let j = count
    if (count < this.n) this.count++
    else j--
    for (; j > lo; j--) {
      held[j] = held[j - 1]!
      distances[j] = distances[j - 1]!
    }
    held[lo] = node
    distances[lo] = distance
  }

  // the node against the i-th held one: negative when the node is nearer
  private compare (node: E, distance: number, i: number): number {
    const held = this.distances[i]!
    if (distance !== held) return distance < held ? -1 : 1
    return compareDistance(this.target, node.id, this.held[i]!.id)
  }
}
