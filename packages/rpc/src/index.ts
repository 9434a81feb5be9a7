/**
 * @packageDocumentation
 * Make RPC calls over a Kademlia-based DHT: a node that speaks dht-rpc v5 on the wire,
 * with NAT detection, retries and round-trip tokens, and your own commands.
 *
 * @example
 * ```ts
 * import DHT from '@dht/rpc'
 *
 * const node = new DHT({ bootstrap: ['localhost:10001'] })
 * node.on('request', (req) => {
 *   if (req.command === 'echo') req.reply(req.value)
 * })
 * await node.ready()
 * ```
 */
import { DHT } from './dht.js'

export default DHT
// require('@dht/rpc') returns this export rather than the module namespace (Node's
// require() of an ES module, from 20.19): CommonJS code gets the class, as dht-rpc's does.
export { DHT, DHT as 'module.exports' }
export type {
  DHTEvents, DHTOptions, DHTQuery, DHTQueryOptions, DHTReply, NodeEntry, RemoteAddress, RequestAllOptions, RequestOptions
} from './types.js'
export type { CommandStats, DHTStats, RequestCounts } from './stats.js'
export type { DHTHealth } from './health.js'
export { DHTRequest } from './request.js'
export { DHTError, isDHTError } from './errors.js'
export type { DHTErrorCode, InvalidArgumentError } from './errors.js'
export { QueryError, isQueryError } from '@dht/query'
export type { QueryErrorCode } from '@dht/query'
export type { ReplyOptions } from './request.js'
export type { BootstrapNode } from './bootstrap-nodes.js'
export { sharedNetworkInterfaces } from './network-change.js'
export type { NetworkChange, NetworkInterfaceAddress, NetworkInterfaces, SharedNetworkInterfacesOptions } from './network-change.js'
export { IOError, isIOError } from '@dht/io'
export type { IOErrorCode } from '@dht/io'
export type { Clock, Random, RateLimitOptions, UdpSocket } from '@dht/io'
export { Intern } from '@dht/wire'
export type { InternOptions, Peer } from '@dht/wire'
