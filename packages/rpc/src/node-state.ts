import type { RoutingTable } from '@dht/table'
import type { NodeEntry } from './types.js'

/**
 * What a node is at this moment: its table, whether it is ephemeral, bootstrapped, destroyed.
 * One object, made by the node's core (node-core.ts) and handed to each of its parts (inbox,
 * join, upkeep, suspend, network watch), which read it; the core alone changes it, and the
 * DHT's public getters read it.
 *
 * These four are what the parts decide on and the core changes as the node's life goes on
 * (a new table when its id changes); everything else a part needs is given to it once.
 */
export class NodeState {
  /** The routing table; a new one, around the new id, when the node's id changes. */
  table: RoutingTable<NodeEntry>
  /** True while the node stays out of other nodes' routing tables. */
  ephemeral = true
  /** The routing table has been bootstrapped ('ready' was emitted). */
  bootstrapped = false
  /** `destroy()` was called. */
  destroyed = false

  constructor (table: RoutingTable<NodeEntry>) {
    this.table = table
  }
}
