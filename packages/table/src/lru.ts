// The least-recently-seen list: a doubly linked list threaded through the entries
// (prev/next), kept sorted by (seen, added) so the head is always the stalest entry.
// Callers pass non-decreasing ticks, so an insert stops at the tail in O(1); an older tick
// walks back to its place and the order stays exact.

import type { Links } from './entry.js'

/** True when `a` was seen less recently than `b` (ties: `a` was added earlier). */
export function staler (a: Links, b: Links): boolean {
  return a.seen < b.seen || (a.seen === b.seen && a.added < b.added)
}

export class LruList {
  head: Links | null = null
  tail: Links | null = null

  /** Links `entry` (not in the list) at its place from the tail: after every entry not fresher. */
  insert (entry: Links): void {
    let after = this.tail
    while (after !== null && staler(entry, after)) after = after.prev
    entry.prev = after
    if (after === null) {
      entry.next = this.head
      this.head = entry
    } else {
      entry.next = after.next
      after.next = entry
    }
    if (entry.next === null) this.tail = entry
    else entry.next.prev = entry
  }

  /** Appends `entry` at the tail without comparing: the caller guarantees the order. */
  push (entry: Links): void {
    entry.next = null
    entry.prev = this.tail
    if (this.tail === null) this.head = entry
    else this.tail.next = entry
    this.tail = entry
  }

  unlink (entry: Links): void {
    if (entry.prev === null) this.head = entry.next
    else entry.prev.next = entry.next
    if (entry.next === null) this.tail = entry.prev
    else entry.next.prev = entry.prev
    entry.prev = null
    entry.next = null
  }

  clear (): void {
    this.head = null
    this.tail = null
  }
}
