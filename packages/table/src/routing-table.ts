// The routing table of a DHT node: a typed layer over kademlia-routing-table (which owns the
// buckets and the add/remove/get by id) plus liveness (added/seen ticks and a
// least-recently-seen list threaded through the entries), strict nearest-first closest(),
// an injectable random(), and re-keying around a new id.

import KadTable from 'kademlia-routing-table'
import { bucketIndex } from './distance.js'
import { createEntry } from './entry.js'
import type { CreateEntry, EntryInit, Links, TableEntry } from './entry.js'
import { TableError } from './errors.js'
import { LruList, staler } from './lru.js'
import { prefixOf, selectClosest } from './closest.js'
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

  #kad: KadTable<E>
  // per bucket, the id prefixes of its nodes in the bucket's order (see selectClosest)
  #prefixes: Array<number[] | undefined> = []
  readonly #create: CreateEntry<E>
  readonly #lru = new LruList()

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
    this.#kad = new KadTable<E>(id, { k })
  }

  /** How many entries the table holds. */
  get size (): number {
    return this.#kad.size
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

    const bucket = bucketIndex(this.id, id)
    const existing = this.#find(id, bucket)
    if (existing !== null) {
      this.#touch(existing, tick)
      return { type: 'refreshed', entry: existing }
    }
    if (bucket === this.id.length * 8) return { type: 'self' }

    const row = this.#kad.rows[bucket]
    if (row !== undefined && row.nodes.length >= this.k) {
      return { type: 'full', bucket, stalest: stalestOf(row.nodes) }
    }

    const entry = this.#create(node, tick)
    this.#kad.add(entry)
    this.#reindex(bucket)
    this.#lru.insert(entry)
    return { type: 'added', entry }
  }

  /** Removes the node with this id. Returns its entry, or null if it was not in the table. */
  remove (id: Uint8Array): E | null {
    assertId(id, 'id')
    const entry = this.#find(id)
    if (entry === null) return null
    this.#kad.remove(id)
    this.#reindex(bucketIndex(this.id, id))
    this.#lru.unlink(entry)
    return entry
  }

  /** The entry with this id, or null. */
  get (id: Uint8Array): E | null {
    assertId(id, 'id')
    return this.#find(id)
  }

  /** Whether a node with this id is in the table. */
  has (id: Uint8Array): boolean {
    assertId(id, 'id')
    return this.#find(id) !== null
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
    const entry = this.#find(node.id)
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
    return selectClosest(this.#kad.rows, this.#prefixes, this.id, bucketIndex(this.id, target), target, n, this.#kad.size)
  }

  /**
   * A uniformly chosen entry, or null when the table is empty. `rand` returns a number in
   * [0, 1) (inject a seeded one in tests and simulations).
   */
  random (rand: () => number = Math.random): E | null {
    const size = this.#kad.size
    if (size === 0) return null
    const r = rand()
    if (!(r >= 0 && r < 1)) throw TableError.INVALID_ARGUMENT('rand()', 'a number in [0, 1)', r)
    let i = Math.floor(r * size)
    const rows = this.#kad.rows
    for (let b = 0; b < rows.length; b++) {
      const row = rows[b]
      if (row === undefined) continue
      if (i < row.nodes.length) return row.nodes[i]!
      i -= row.nodes.length
    }
    return null // unreachable while size counts the rows' nodes
  }

  /** Every entry, nearest to the table's own id first. */
  toArray (): E[] {
    return selectClosest(this.#kad.rows, this.#prefixes, this.id, this.id.length * 8, this.id, this.#kad.size)
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
        table.#kad.add(entry)
        table.#reindex(bucketIndex(id, entry.id))
        kept.push(entry)
      } else {
        dropped.push(entry)
      }
    }
    // Relink the kept ones stalest first: the old order, without the dropped.
    for (let i = kept.length - 1; i >= 0; i--) table.#lru.push(kept[i]!)
    for (const entry of dropped) unlinked(entry)

    this.#kad = new KadTable<E>(this.id, { k: this.k })
    this.#prefixes = []
    this.#lru.clear()
    return { table, dropped }
  }

  #reindex (bucket: number): void {
    const row = this.#kad.rows[bucket]
    if (row === undefined) {
      this.#prefixes[bucket] = undefined
      return
    }
    const nodes = row.nodes
    this.#prefixes[bucket] = nodes.map((node) => prefixOf(node.id))
  }

  // kademlia-routing-table's get(), over the bucket's id prefixes: a bucket is sorted by id,
  // so by prefix too, and a binary search over one small array of numbers reads no entry but
  // the one it finds, where comparing ids reads every entry the search passes
  #find (id: Uint8Array, bucket = bucketIndex(this.id, id)): E | null {
    const prefixes = this.#prefixes[bucket]
    if (prefixes === undefined) return null
    const nodes = this.#kad.rows[bucket]!.nodes
    const prefix = prefixOf(id) >>> 0
    let lo = 0
    let hi = prefixes.length - 1
    while (lo <= hi) {
      const mid = (lo + hi) >> 1
      const p = prefixes[mid]! >>> 0
      if (p === prefix) return sameIdAround(nodes, prefixes, mid, id)
      if (prefix < p) hi = mid - 1
      else lo = mid + 1
    }
    return null
  }

  #fits (entry: E): boolean {
    const bucket = bucketIndex(this.id, entry.id)
    if (bucket === this.id.length * 8) return false
    const row = this.#kad.rows[bucket]
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

// the entry with `id` among the run of equal prefixes around `at`, or null
function sameIdAround<E extends TableEntry> (nodes: readonly E[], prefixes: readonly number[], at: number, id: Uint8Array): E | null {
  const prefix = prefixes[at]
  let i = at
  while (i > 0 && prefixes[i - 1] === prefix) i--
  for (; i < prefixes.length && prefixes[i] === prefix; i++) {
    if (bucketIndex(nodes[i]!.id, id) === id.length * 8) return nodes[i]!
  }
  return null
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
