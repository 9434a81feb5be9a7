/**
 * @packageDocumentation
 * Simulation: a clock that moves only when told, a seeded source of randomness, and an
 * in-memory IPv4 network (public hosts, NAT routers, per-link latency and loss) whose
 * sockets fit the socket interface, so real node code runs on it unchanged. Never loaded
 * by a production node.
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
