// The nodes a lookup may still ask, nearest to the target first, each address at most once.
// Id-less seeds (nodes given without an id) cannot be ordered, so they go first, in order.

import { compareDistance } from '@dht/table'
import type { Peer } from '@dht/wire'
import { AddressSet } from './address-set.js'
import type { QueryNode } from './host.js'
import { insertAt } from './sorted-array.js'

/** A node with its id known. */
export type RoutedNode = QueryNode & { id: Uint8Array }

export class Candidates {
  readonly target: Uint8Array
  private readonly seen = new AddressSet()
  private readonly unrouted: QueryNode[] = []
  // farthest first, so the nearest is popped off the end
  private readonly routed: RoutedNode[] = []

  constructor (target: Uint8Array) {
    this.target = target
  }

  /** Candidates waiting to be asked. */
  get size (): number {
    return this.unrouted.length + this.routed.length
  }

  /**
   * Marks the peer's address as seen, so that it is never queued later; false when it was
   * seen before. {@link queue} then queues it, or nothing does (a node that cannot rank).
   */
  claim (peer: Peer): boolean {
    return this.seen.add(peer)
  }

  /**
   * Queues the node at `peer`'s address, with `id` (null: an id-less seed), unless the address
   * was seen before; false when it was. What is queued is a copy, the lookup's own.
   */
  add (peer: Peer, id: Uint8Array | null): boolean {
    if (!this.seen.add(peer)) return false
    this.queue(peer, id)
    return true
  }

  /** Queues the node at an address just {@link claim}ed. */
  queue (peer: Peer, id: Uint8Array | null): void {
    if (id === null) {
      this.unrouted.push({ id, host: peer.host, port: peer.port })
      return
    }
    const list = this.routed
    let lo = 0
    let hi = list.length
    while (lo < hi) {
      const mid = (lo + hi) >>> 1
      if (compareDistance(this.target, list[mid]!.id, id) > 0) lo = mid + 1
      else hi = mid
    }
    insertAt(list, lo, { id, host: peer.host, port: peer.port })
  }

  /**
   * The nearest candidate that `admits` lets through, removed from the queue, or null.
   * Routed candidates come out nearest first, so once the nearest is refused all are; they
   * stay queued, for `admits` may let them through later.
   */
  take (admits: (id: Uint8Array) => boolean): QueryNode | null {
    const first = this.unrouted.shift()
    if (first !== undefined) return first
    const nearest = this.routed[this.routed.length - 1]
    if (nearest === undefined || !admits(nearest.id)) return null
    this.routed.pop()
    return nearest
  }

  /** True when {@link take} would return a node. */
  hasAdmissible (admits: (id: Uint8Array) => boolean): boolean {
    if (this.unrouted.length > 0) return true
    const nearest = this.routed[this.routed.length - 1]
    return nearest !== undefined && admits(nearest.id)
  }

  /** Drops every waiting candidate (the addresses stay seen). */
  clear (): void {
    this.unrouted.length = 0
    this.routed.length = 0
  }
}
