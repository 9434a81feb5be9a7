/**
 * @packageDocumentation
 * Simulation for @dht: a clock that moves only when told, a seeded source of randomness, and
 * an in-memory IPv4 network (public hosts, NAT routers, per-link latency and loss, partitions
 * over threads) whose sockets fit @dht/io's socket interface, so real node code runs on it
 * unchanged, repeatably and as fast as the CPU allows. No package a node runs on depends on
 * it: tests and tools/sim do.
 *
 * @example
 * ```ts
 * import { SimNetwork } from '@dht/sim'
 * import DHT from '@dht/rpc'
 *
 * const net = new SimNetwork({ latency: { min: 5, max: 150 } })
 * const node = new DHT({ createSocket: net.addHost().createSocket, clock: net.clock, random: net.random, bootstrap: false })
 * await net.clock.runUntil(node.ready())
 * ```
 */
export { ManualClock } from './manual-clock.js'
export { SeededRandom } from './seeded-random.js'
export { SimNetwork } from './network.js'
export type { LatencyRange, LinkOptions, SimNetworkOptions, SimNetworkStats } from './network.js'
export { ownerOf } from './partition.js'
export type { RemoteDatagram, SimPartition } from './partition.js'
export { SimHost } from './host.js'
export { SimSocket } from './socket.js'
export { NatRouter } from './nat-router.js'
export type { Filtering, NatOptions, PortMapping } from './nat-router.js'
