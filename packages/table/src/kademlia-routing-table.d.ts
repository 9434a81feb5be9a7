// Ambient declaration for kademlia-routing-table 1.0.6 (CommonJS, ships no types), limited to
// what @dht/table calls. It is private: no public type of @dht/table refers to it, so it is not
// needed by consumers of the built package.

declare module 'kademlia-routing-table' {
  /** Anything with a routing id can be stored. */
  interface KadNode {
    readonly id: Uint8Array
  }

  /**
   * A bucket: the nodes whose id shares exactly `index` leading bits with the table's id.
   * `D` is what its user keeps in `data`.
   */
  interface Row<T extends KadNode, D> {
    readonly index: number
    /** Sorted by id (binary-searched by the table); never mutate it directly. */
    readonly nodes: readonly T[]
    /** Null until its user sets it: the library keeps the slot for its user and never reads it. */
    data: D | null
    /**
     * 'add' after a node is inserted, 'remove' after one is taken out (with `this` the row);
     * replacing a node by one with the same id emits neither.
     */
    on (event: 'add' | 'remove', listener: (this: Row<T, D>, node: T) => void): this
  }

  class RoutingTable<T extends KadNode = KadNode, D = unknown> {
    constructor (id: Uint8Array, opts?: { k?: number })
    readonly id: Uint8Array
    readonly k: number
    readonly size: number
    /** Indexed by bucket (0 = farthest half of the id space); holes where no bucket exists yet. */
    readonly rows: ReadonlyArray<Row<T, D> | undefined>
    /** False when the node's bucket is full (an existing id is replaced in place, returning true). */
    add (node: T): boolean
    remove (id: Uint8Array): boolean
    get (id: Uint8Array): T | null
    has (id: Uint8Array): boolean
    /** 'row' when a row is created, before its first node is inserted. Rows are never deleted. */
    on (event: 'row', listener: (row: Row<T, D>) => void): this
  }

  export type { Row }
  export default RoutingTable
}
