// The routing table of a DHT node: a typed layer over kademlia-routing-table (which owns the
// buckets and the add/remove/get by id) plus liveness (added/seen ticks and a
// least-recently-seen list threaded through the entries), strict nearest-first closest(),
// an injectable random(), and re-keying around a new id.

import { bucketIndex } from './distance.js'
import { createEntry } from './entry.js'
import type { CreateEntry, EntryInit, Links, TableEntry } from './entry.js'
import { TableError } from './errors.js'
import { LruList, staler } from './lru.js'
import { selectClosest } from './closest.js'
import { Buckets } from './buckets.js'
import { assertAddress, assertCount, assertId, assertTick } from './validate.js'

/** Nodes per bucket, and the default `n` of closest(): Kademlia's k in dht-rpc. */
export const K = 20

/** The options of a {@link RoutingTable}, all optional for a table of plain entries. */
export interface RoutingTableOptions<E extends TableEntry> {
  /**
   * Nodes per bucket.
   * @default 20
   */
  k?: number
  /**
   * Builds the entry for a node being inserted. Required when `E` has fields beyond
   * {@link TableEntry}; see {@link CreateEntry}.
   * @default createEntry (a plain TableEntry)
   */
  create?: CreateEntry<E>
}

/**
 * The constructor's options argument: optional for plain {@link TableEntry} tables, required
 * (with `create`) when the entry type carries extra fields the table cannot make up.
 */
export type RoutingTableArgs<E extends TableEntry> = TableEntry extends E
  ? [options?: RoutingTableOptions<E>]
  : [options: RoutingTableOptions<E> & {
    /** Builds the entry of a node being inserted: required, as `E` has fields of its own. */
    create: CreateEntry<E>
  }]

/** What {@link RoutingTable.add} did. Switch on `type`. */
export type AddResult<E extends TableEntry> =
  /** The node is new and was inserted with added = seen = tick. */
  | {
    /** Inserted. */
    readonly type: 'added'
    /** The new entry. */
    readonly entry: E
  }
  /** The node was already there: its `seen` is now tick (nothing else changes). */
  | {
    /** Seen again. */
    readonly type: 'refreshed'
    /** The entry the table holds for it. */
    readonly entry: E
  }
  /**
   * The node's bucket holds k nodes; nothing changed. `stalest` is that bucket's least
   * recently seen entry (ties: the earliest added): ping it, and if it is dead,
   * `remove(stalest.id)` and `add()` the node again.
   */
  | {
    /** Not inserted: no room. */
    readonly type: 'full'
    /** The full bucket: how many leading bits the node's id shares with the table's. */
    readonly bucket: number
    /** The entry to ping. */
    readonly stalest: E
  }
  /** The node has the table's own id, which never goes in the table. */
  | {
    /** Not inserted: it is the table's own id. */
    readonly type: 'self'
  }

/** What {@link RoutingTable.rekey} made. */
export interface RekeyResult<E extends TableEntry> {
  /** The new table around the new id, with every entry that fits. */
  readonly table: RoutingTable<E>
  /** The entries that did not fit (least recently seen of an overfull bucket, or the new id itself). */
  readonly dropped: E[]
}

/**
 * The routing table of a node: buckets of up to k nodes by XOR distance from its id, each
 * entry with the ticks it was added and last seen, and every entry in one list from the
 * least to the most recently seen, for health checks. `E` is the entry type: a plain
 * {@link TableEntry}, or one with fields of the caller's own (see {@link CreateEntry}).
 */
export class RoutingTable<E extends TableEntry = TableEntry> {
  /** The table's own 32-byte id (stored as given). */
  readonly id: Uint8Array
  /** Nodes per bucket. */
  readonly k: number

  // kademlia-routing-table's rows, the one store of the entries, and their id prefixes
  #buckets: Buckets<E>
  readonly #create: CreateEntry<E>
  readonly #lru = new LruList()
  // the distances of a closest() of up to k nodes while it runs (selectClosest), kept from call
  // to call: calls never overlap, and a node answers each find_node with one. A plain array of
  // small integers, on the heap: a typed array this size would keep its bytes off the heap,
  // one more buffer a table for the garbage collector to track
  readonly #distances: number[]

  /**
   * @param id - the node's own 32-byte routing id.
   * @param args - {@link RoutingTableOptions}: `{ k = 20, create }`.
   */
  constructor (id: Uint8Array, ...args: RoutingTableArgs<E>) {
    assertId(id, 'id')
    const options = args[0] as RoutingTableOptions<E> | undefined
    const k = options?.k ?? K
    if (!Number.isSafeInteger(k) || k < 1) throw TableError.INVALID_ARGUMENT('options.k', 'a positive integer', k)
    const create = options?.create
    if (create !== undefined && typeof create !== 'function') {
      throw TableError.INVALID_ARGUMENT('options.create', 'a function', create)
    }
    this.id = id
    this.k = k
    // Without `create`, E is TableEntry (RoutingTableArgs enforces it), so createEntry builds an E.
    this.#create = create ?? (createEntry as unknown as CreateEntry<E>)
    this.#buckets = new Buckets<E>(id, k)
    this.#distances = new Array<number>(k).fill(0)
  }

  /** How many entries the table holds. */
  get size (): number {
    return this.#buckets.size
  }

  /**
   * Adds a node seen at `tick`, or refreshes it if present. Never evicts anything: a full
   * bucket is reported with its stalest entry so the caller can ping it and swap.
   */
  add (node: EntryInit<E>, tick: number): AddResult<E> {
    const id = node.id
    assertId(id, 'node.id')
    assertAddress(node.host, node.port)
    assertTick(tick, 'tick')

    const existing = this.#buckets.find(id)
    if (existing !== null) {
      this.#touch(existing, tick)
      return { type: 'refreshed', entry: existing }
    }
    const bucket = bucketIndex(this.id, id)
    if (bucket === this.id.length * 8) return { type: 'self' }

    const row = this.#buckets.rows[bucket]
    if (row !== undefined && row.nodes.length >= this.k) {
      return { type: 'full', bucket, stalest: stalestOf(row.nodes) }
    }

    const entry = this.#create(node, tick)
    this.#buckets.add(entry)
    this.#lru.insert(entry)
    return { type: 'added', entry }
  }

  /** Removes the node with this id. Returns its entry, or null if it was not in the table. */
  remove (id: Uint8Array): E | null {
    assertId(id, 'id')
    const entry = this.#buckets.remove(id)
    if (entry === null) return null
    this.#lru.unlink(entry)
    return entry
  }

  /** The entry with this id, or null. */
  get (id: Uint8Array): E | null {
    assertId(id, 'id')
    return this.#buckets.find(id)
  }

  /** Whether a node with this id is in the table. */
  has (id: Uint8Array): boolean {
    assertId(id, 'id')
    return this.#buckets.find(id) !== null
  }

  /**
   * Records that the node with `node.id` was seen alive at `tick` (a reply to a ping, any
   * verified message) and moves it to the fresh end of the least-recently-seen order.
   * Returns its entry, or null if it is not in the table (for instance removed meanwhile).
   * A tick older than the entry's `seen` leaves `seen` as it is.
   */
  seen (node: { readonly id: Uint8Array }, tick: number): E | null {
    assertId(node.id, 'node.id')
    assertTick(tick, 'tick')
    const entry = this.#buckets.find(node.id)
    if (entry === null) return null
    this.#touch(entry, tick)
    return entry
  }

  /**
   * The `n` entries nearest to `target` by XOR distance, nearest first (all of them when
   * the table holds fewer). Reads only the buckets that can hold them.
   */
  closest (target: Uint8Array, n: number = this.k): E[] {
    assertId(target, 'target')
    assertCount(n, 'n')
    const size = this.#buckets.size
    return selectClosest(this.#buckets.rows, this.#buckets.last, this.id, bucketIndex(this.id, target), target, n, size, this.#scratch(Math.min(n, size)))
  }

  /**
   * A uniformly chosen entry, or null when the table is empty. `rand` returns a number in
   * [0, 1) (inject a seeded one in tests and simulations).
   */
  random (rand: () => number = Math.random): E | null {
    const size = this.#buckets.size
    if (size === 0) return null
    const r = rand()
    if (!(r >= 0 && r < 1)) throw TableError.INVALID_ARGUMENT('rand()', 'a number in [0, 1)', r)
    let i = Math.floor(r * size)
    const rows = this.#buckets.rows
    for (let b = 0; b < rows.length; b++) {
      const row = rows[b]
      if (row === undefined) continue
      if (i < row.nodes.length) return row.nodes[i]!
      i -= row.nodes.length
    }
    return null // unreachable while size counts the rows' nodes
  }

  // room for the distances of `capacity` nodes: the table's own for up to k, else a new one
  #scratch (capacity: number): number[] {
    return capacity <= this.#distances.length ? this.#distances : new Array<number>(capacity).fill(0)
  }

  /** Every entry, nearest to the table's own id first. */
  toArray (): E[] {
    const size = this.#buckets.size
    return selectClosest(this.#buckets.rows, this.#buckets.last, this.id, this.id.length * 8, this.id, size, size, this.#scratch(size))
  }

  /** Up to `n` entries, least recently seen first: the ones to ping. */
  oldest (n: number): E[] {
    assertCount(n, 'n')
    const out: E[] = []
    for (let e = this.#lru.head; e !== null && out.length < n; e = e.next) out.push(e as E)
    return out
  }

  /**
   * Iterates every entry from the least to the most recently seen. Do not add, remove or
   * refresh while iterating (use `oldest(n)` for a snapshot).
   */
  * stalest (): Generator<E, void, undefined> {
    for (let e = this.#lru.head; e !== null; e = e.next) yield e as E
  }

  /**
   * Moves every entry into a new table around `id` (a node's id changes when it goes
   * persistent) with the same options. Entries keep `added` and `seen` and their order;
   * in a bucket that would hold more than k, the most recently seen are kept. This table
   * is left empty.
   */
  rekey (id: Uint8Array): RekeyResult<E> {
    assertId(id, 'id')
    const options = [{ k: this.k, create: this.#create }] as RoutingTableArgs<E>
    const table = new RoutingTable<E>(id, ...options)
    const kept: E[] = []
    const dropped: E[] = []

    // Freshest first, so when a bucket overflows the stalest are the ones left out.
    for (let e = this.#lru.tail; e !== null; e = e.prev) {
      const entry = e as E
      if (table.#fits(entry)) {
        table.#buckets.add(entry)
        kept.push(entry)
      } else {
        dropped.push(entry)
      }
    }
    // Relink the kept ones stalest first: the old order, without the dropped.
    for (let i = kept.length - 1; i >= 0; i--) table.#lru.push(kept[i]!)
    for (const entry of dropped) unlinked(entry)

    this.#buckets = new Buckets<E>(this.id, this.k)
    this.#lru.clear()
    return { table, dropped }
  }

  #fits (entry: E): boolean {
    const bucket = bucketIndex(this.id, entry.id)
    if (bucket === this.id.length * 8) return false
    const row = this.#buckets.rows[bucket]
    return row === undefined || row.nodes.length < this.k
  }

  #touch (entry: E, tick: number): void {
    const links: Links = entry
    if (tick > links.seen) links.seen = tick
    if (links.next !== null && staler(links.next, links)) {
      this.#lru.unlink(links)
      this.#lru.insert(links)
    }
  }
}

/** The least recently seen of a bucket's entries (ties: the earliest added, then the first). */
function stalestOf<E extends TableEntry> (nodes: readonly E[]): E {
  let best = nodes[0]!
  for (let i = 1; i < nodes.length; i++) {
    const e = nodes[i]!
    if (staler(e, best)) best = e
  }
  return best
}

function unlinked (entry: Links): void {
  entry.prev = null
  entry.next = null
}
