// A first-in, first-out queue of requests waiting for room in the politeness window. Taking
// from the front moves an index rather than shifting the array (a busy node takes from it at
// every reply); what was taken is dropped when the queue empties, or once it is most of the
// array, so a queue that never empties does not keep its past for good.

const COMPACT_AT = 1024 // taken entries kept before the array is compacted

/** A FIFO queue with O(1) push and take. */
export class Fifo<T> {
  readonly #items: T[] = []
  #head = 0

  /** Entries waiting. */
  get length (): number {
    return this.#items.length - this.#head
  }

  /** Entries its array holds: those waiting, and those taken but not dropped yet. */
  get held (): number {
    return this.#items.length
  }

  push (item: T): void {
    this.#items.push(item)
  }

  /** The entry at the front, removed; undefined when empty. */
  take (): T | undefined {
    if (this.#head === this.#items.length) return undefined
    const item = this.#items[this.#head++]!
    if (this.#head === this.#items.length) this.clear()
    else if (this.#head >= COMPACT_AT && 2 * this.#head >= this.#items.length) {
      this.#items.splice(0, this.#head)
      this.#head = 0
    }
    return item
  }

  /** Removes every entry and returns them, in order. */
  drain (): T[] {
    const items = this.#items.slice(this.#head)
    this.clear()
    return items
  }

  clear (): void {
    this.#items.length = 0
    this.#head = 0
  }
}
