// The nodes a lookup has asked that may still count among its k closest replies: those that
// answered well and those still being waited for. A candidate is worth asking only when it
// would rank among the k nearest of these; asking a farther one is a request spent on a node
// that cannot change the result unless one of the nearer ones fails, and when one does, it
// leaves the frontier and the bar moves back out.

import { compareDistance } from '@dht/table'
import { insertAt, removeAt } from './sorted-array.js'

export class Frontier {
  readonly target: Uint8Array
  readonly k: number
  // nearest first
  private readonly ids: Uint8Array[] = []

  constructor (target: Uint8Array, k: number) {
    this.target = target
    this.k = k
  }

  get size (): number {
    return this.ids.length
  }

  /** True when `id` would rank among the k nearest asked nodes. */
  admits (id: Uint8Array): boolean {
    const kth = this.ids[this.k - 1]
    return kth === undefined || compareDistance(this.target, id, kth) < 0
  }

  add (id: Uint8Array): void {
    const ids = this.ids
    insertAt(ids, this.indexOf(id), id)
  }

  /** Takes out a node that failed, stalled or answered in a way that cannot count. */
  remove (id: Uint8Array): void {
    const ids = this.ids
    const i = this.indexOf(id)
    // equal distance means equal id; the same id may be held twice (seeds given with ids)
    if (i < ids.length && compareDistance(this.target, ids[i]!, id) === 0) removeAt(ids, i)
  }

  // the first index whose id is not nearer than `id`
  private indexOf (id: Uint8Array): number {
    const ids = this.ids
    let lo = 0
    let hi = ids.length
    while (lo < hi) {
      const mid = (lo + hi) >>> 1
      if (compareDistance(this.target, ids[mid]!, id) < 0) lo = mid + 1
      else hi = mid
    }
    return lo
  }
}
