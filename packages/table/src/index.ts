/**
 * @packageDocumentation
 * @dht/table: the routing table of a dht-rpc v5 node. k = 20 nodes per bucket by XOR distance
 * from the node's 32-byte id, strict nearest-first `closest()`, liveness ticks with a
 * least-recently-seen order for pings, and re-keying when the node's id changes.
 * It does no I/O and reads no clock: callers pass ticks, and randomness is injected.
 *
 * @example
 * ```ts
 * import { RoutingTable } from '@dht/table'
 *
 * const table = new RoutingTable(ownId)            // ownId: 32-byte Uint8Array
 * const res = table.add({ id, host: '10.0.0.2', port: 49737 }, tick)
 * if (res.type === 'full') {
 *   // ping res.stalest; if it does not answer:
 *   table.remove(res.stalest.id)
 *   table.add({ id, host: '10.0.0.2', port: 49737 }, tick)
 * }
 * const nearest = table.closest(target)            // up to 20 entries, nearest first
 * for (const entry of table.oldest(3)) ping(entry) // the least recently seen
 * ```
 */

export { RoutingTable, K } from './routing-table.js'
export type { AddResult, RekeyResult, RoutingTableArgs, RoutingTableOptions } from './routing-table.js'
export { createEntry } from './entry.js'
export type { CreateEntry, EntryInit, TableEntry, TableNode } from './entry.js'
export { bucketIndex, compareDistance, xorDistance } from './distance.js'
export { TableError, isTableError } from './errors.js'
export type { TableErrorCode } from './errors.js'
