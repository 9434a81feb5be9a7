// The k best replies of a lookup so far, nearest to the target first, one per id: what a
// query ends with, and the bar a candidate must pass to be worth asking.

import type { IncomingReply } from '@dht/io'
import { compareDistance } from '@dht/table'
import { insertAt } from './sorted-array.js'

/** A reply with a (verified) id, as kept by {@link ClosestReplies}. */
export type IdentifiedReply = IncomingReply & { id: Uint8Array }

export class ClosestReplies {
  readonly target: Uint8Array
  readonly k: number
  readonly replies: IdentifiedReply[] = []

  constructor (target: Uint8Array, k: number) {
    this.target = target
    this.k = k
  }

  get size (): number {
    return this.replies.length
  }

  /** True while a node with this id would make the k closest (fewer than k, or nearer than the k-th). */
  admits (id: Uint8Array): boolean {
    const last = this.replies[this.k - 1]
    return last === undefined || compareDistance(this.target, id, last.id) < 0
  }

  /** Keeps the reply if it is among the k closest; false when it is not (or its id is already held). */
  add (reply: IdentifiedReply): boolean {
    if (!this.admits(reply.id)) return false
    const list = this.replies
    let lo = 0
    let hi = list.length
    while (lo < hi) {
      const mid = (lo + hi) >>> 1
      const cmp = compareDistance(this.target, list[mid]!.id, reply.id)
      if (cmp === 0) return false
      if (cmp < 0) lo = mid + 1
      else hi = mid
    }
    insertAt(list, lo, reply)
    if (list.length > this.k) list.pop()
    return true
  }
}
