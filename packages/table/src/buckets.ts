// The buckets of a table: kademlia-routing-table's rows, the one place the entries are kept.
// Each row carries in its `data` slot (the library keeps it for its user) the first 32 bits of
// its nodes' ids, in the row's order. get() and closest() compare those numbers and read an
// entry only when it is the answer or a near tie: with thousands of tables in one process the
// entries are out of the CPU cache, and reaching one (its object, its id, the id's bytes)
// costs more than the rest of a search. The package README gives what it saves.
//
// The prefixes are rebuilt by the row's own 'add' and 'remove' events, which the library
// emits from inside every change that inserts or takes out a node, and a row gets its
// listeners from the table's 'row' event before its first node: nothing, not even a call on
// the library's table or row, can change a row's ids and leave its prefixes behind. (The one
// change without an event, replacing a node by one with the same id, keeps the ids.)

import KadTable from 'kademlia-routing-table'
import type { Row } from 'kademlia-routing-table'
import { bucketIndex } from './distance.js'

/**
 * The first 4 bytes of an id, big-endian, as a signed 32-bit integer: what most comparisons
 * need. A row's array of them is one block of numbers, with no typed array and its own
 * buffer per row.
 */
export function prefixOf (id: Uint8Array): number {
  return (id[0]! << 24) | (id[1]! << 16) | (id[2]! << 8) | id[3]!
}

/** A row as a search reads it: `data[j]` is {@link prefixOf} the id of `nodes[j]`. */
export interface Bucket<E> {
  readonly nodes: readonly E[]
  readonly data: readonly number[] | null
}

// a row's listener for its own 'add' and 'remove' (`this` is the row): a fresh array, so
// that it stays one packed block of numbers
function reindex<E extends { readonly id: Uint8Array }> (this: Row<E, number[]>): void {
  this.data = this.nodes.map((node) => prefixOf(node.id))
}

export class Buckets<E extends { readonly id: Uint8Array }> {
  readonly #kad: KadTable<E, number[]>
  #last = -1

  constructor (id: Uint8Array, k: number) {
    this.#kad = new KadTable<E, number[]>(id, { k })
    this.#kad.on('row', (row) => {
      row.data = []
      row.on('add', reindex)
      row.on('remove', reindex)
      if (row.index > this.#last) this.#last = row.index
    })
  }

  /** How many nodes the rows hold. */
  get size (): number {
    return this.#kad.size
  }

  /** The library's rows, indexed by bucket, each sorted by id. Read only. */
  get rows (): ReadonlyArray<Bucket<E> | undefined> {
    return this.#kad.rows
  }

  /** The index of the deepest row there is (rows are never deleted); -1 before the first. */
  get last (): number {
    return this.#last
  }

  /**
   * Inserts the node, or replaces the one with its id; false when its bucket is full or the
   * node has the table's own id (which the library would put in its deepest row).
   */
  add (node: E): boolean {
    if (bucketIndex(this.#kad.id, node.id) === node.id.length * 8) return false
    return this.#kad.add(node)
  }

  /** Removes the node with this id and returns it, or null if there is none. */
  remove (id: Uint8Array): E | null {
    const node = this.find(id)
    if (node !== null) this.#kad.remove(id)
    return node
  }

  /**
   * The node with this id, or null: a binary search over its row's prefixes (a row is sorted
   * by id, so by prefix too), reading no node but those whose prefix is the id's.
   */
  find (id: Uint8Array): E | null {
    const row = this.#kad.rows[bucketIndex(this.#kad.id, id)]
    if (row === undefined) return null
    const prefixes = row.data!
    const prefix = prefixOf(id) >>> 0
    let lo = 0
    let hi = prefixes.length - 1
    while (lo <= hi) {
      const mid = (lo + hi) >> 1
      const p = prefixes[mid]! >>> 0
      if (p === prefix) return sameIdAround(row.nodes, prefixes, mid, id)
      if (prefix < p) hi = mid - 1
      else lo = mid + 1
    }
    return null
  }
}

// the node with `id` among the run of equal prefixes around `at`, or null
function sameIdAround<E extends { readonly id: Uint8Array }> (nodes: readonly E[], prefixes: readonly number[], at: number, id: Uint8Array): E | null {
  const prefix = prefixes[at]
  let i = at
  while (i > 0 && prefixes[i - 1] === prefix) i--
  for (; i < prefixes.length && prefixes[i] === prefix; i++) {
    if (bucketIndex(nodes[i]!.id, id) === id.length * 8) return nodes[i]!
  }
  return null
}
