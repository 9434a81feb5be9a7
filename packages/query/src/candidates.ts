// The nodes a lookup may still ask, nearest to the target first, each address at most once.
// Id-less seeds (nodes given without an id) cannot be ordered, so they go first, in order.

import { compareDistance } from '@dht/table'
import type { QueryNode } from './host.js'

/** A node with its id known. */
export type RoutedNode = QueryNode & { id: Uint8Array }

export class Candidates {
  readonly target: Uint8Array
  private readonly seen = new Set<number | string>()
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

  /** True when host:port was queued before (asked or not). */
  has (host: string, port: number): boolean {
    return this.seen.has(key(host, port))
  }

  /** Marks host:port as seen without queueing it, so it is never queued later. */
  skip (host: string, port: number): void {
    this.seen.add(key(host, port))
  }

  /** Queues a node unless its address was seen before; false when it was. */
  add (node: QueryNode): boolean {
    const k = key(node.host, node.port)
    if (this.seen.has(k)) return false
    this.seen.add(k)
    if (node.id === null) {
      this.unrouted.push(node)
      return true
    }
    const list = this.routed
    const id = node.id
    let lo = 0
    let hi = list.length
    while (lo < hi) {
      const mid = (lo + hi) >>> 1
      if (compareDistance(this.target, list[mid]!.id, id) > 0) lo = mid + 1
      else hi = mid
    }
    list.splice(lo, 0, { id, host: node.host, port: node.port })
    return true
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

// IPv4 and port packed in one number (48 bits, exact in a double): no string is built or
// hashed per closer node, the commonest call of a lookup. Anything else keeps a string key.
function key (host: string, port: number): number | string {
  let ip = 0
  let part = 0
  let digits = 0
  let dots = 0
  for (let i = 0; i < host.length; i++) {
    const c = host.charCodeAt(i)
    if (c === 46 && digits > 0 && dots < 3 && part <= 255) {
      ip = ip * 256 + part
      part = 0
      digits = 0
      dots++
    } else if (c >= 48 && c <= 57 && digits < 3) {
      part = part * 10 + c - 48
      digits++
    } else {
      return host + ':' + port
    }
  }
  if (dots !== 3 || digits === 0 || part > 255) return host + ':' + port
  return (ip * 256 + part) * 65536 + port
}
