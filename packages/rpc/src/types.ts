// The public types of a node: its options, the options of its methods, its events, and what
// its routing table holds.

import type { Clock, IncomingReply, Random, RateLimitOptions, SocketFactory, UdpSocket } from '@dht/io'
import type { NatType } from '@dht/nat'
import type { Query, QueryOptions } from '@dht/query'
import type { TableEntry } from '@dht/table'
import type { Peer } from '@dht/wire'
import type { Intern } from '@dht/wire'
import type { BootstrapNode } from './bootstrap-nodes.js'
import type { DHT } from './dht.js'
import type { DHTHealth } from './health.js'
import type { DHTRequest } from './request.js'
import type { NetworkChange, NetworkInterfaces } from './network-change.js'

/** A routing table entry of a node: where it is, and our address as it last saw it. */
export interface NodeEntry extends TableEntry {
  /** Our address as this node last saw it (the `to` of its last message), or null. */
  to: Peer | null
}

/** The options of a {@link DHT} node, all optional. */
export interface DHTOptions {
  /** Stay out of other nodes' routing tables (true), or join them as soon as the NAT allows (false). Unset: adaptive. */
  ephemeral?: boolean
  /** Decide ephemerality from NAT type and uptime (~20-30 min). @default true when `ephemeral` is unset */
  adaptive?: boolean
  /** Bootstrap nodes: 'host:port' strings or { host, port }, resolved by DNS. `false` for none. */
  bootstrap?: ReadonlyArray<string | BootstrapNode> | false
  /** Your own UDP socket (node:dgram udp4, or anything with its shape). Closed on destroy. */
  socket?: UdpSocket
  /** Nodes to add to the routing table at start. */
  nodes?: readonly Peer[]
  /** The preferred port; a taken one falls back to a random port. @default 0 */
  bind?: number
  /** The address to bind. @default '0.0.0.0' */
  host?: string
  /**
   * Lookup concurrency: the requests a lookup keeps in flight when it runs alone. Lookups that
   * run at once and were given no `concurrency` of their own share `maxWindow` requests in
   * flight, at least 3 each (see @dht/query's WidthShare). @default 20
   */
  concurrency?: number
  /** Requests per 750 ms politeness slot. @default 80 */
  maxWindow?: number
  /**
   * How long a request waits for its reply, from its first send, before it fails with
   * `REQUEST_TIMEOUT`: the time your handlers, and other nodes', may take to answer. The
   * re-sends (3 at most) go out sooner, each after the peer's round-trip estimate.
   * @default 6000
   */
  requestTimeout?: number
  /** Requests answered per source host; more are dropped unread. `false`: no limit. @default { requests: 1000, per: 1000, burst: 1000 } */
  rateLimit?: RateLimitOptions | false
  /** Time source, for tests and simulations. @default the real clock */
  clock?: Clock
  /** Randomness, for tests and simulations. @default libsodium */
  random?: Random
  /** Makes sockets (the node's own when `socket` is unset, and the one that answers ping_nat). @default node:dgram udp4 */
  createSocket?: SocketFactory
  /**
   * The decoded peers, routing ids and commands the node remembers (an Intern of @dht/wire),
   * shared with every node given the same one: its routing table keeps the ids it hands out.
   * A process that runs many nodes (a testnet, a simulation) gives them one, sized for them
   * all: `new Intern({ nodes })`. @default a new Intern, the node's own
   */
  intern?: Intern
  /**
   * Where the node reads the machine's network interfaces, on every tick: when their
   * non-internal IPv4 addresses change (not when they all go away: that waits for them to come
   * back), the network changed ('network-change'). Give your own to watch something else, or
   * a constant one in a simulation, where reading the real machine's interfaces for
   * every node on every tick costs time and tells nothing; `false`: not watched (a change
   * is then seen only from the public address other nodes report). @default os.networkInterfaces
   */
  networkInterfaces?: (() => NetworkInterfaces) | false
}

/** The options of {@link DHT.request} and {@link DHT.ping}. */
export interface RequestOptions {
  /** A round-trip token from the node's earlier reply: proves our address, so the request commits. */
  token?: Uint8Array | null
  /** Re-send up to 3 times when no reply comes. @default true */
  retry?: boolean
  /** Fail with `REQUEST_TIMEOUT` when no reply came this many ms after the first send. @default the node's `requestTimeout` */
  timeout?: number
  /** Reject on a non-zero status. @default true */
  expectOk?: boolean
  /** Send from this socket (no id is sent from another socket). */
  socket?: UdpSocket
  /**
   * Aborting it cancels what is in flight and rejects with `signal.reason`, as fetch does; a
   * signal that has already aborted rejects at once and sends nothing. The request's room in
   * the politeness window is given back.
   */
  signal?: AbortSignal
}

/** The options of {@link DHT.requestAll}: those of a request, and how many must succeed. */
export interface RequestAllOptions extends RequestOptions {
  /** Fail unless at least this many succeed. @default 1 */
  min?: number
  /** Resolve as soon as this many succeed. @default all */
  max?: number
}

/** What `remoteAddress()` returns. */
export interface RemoteAddress {
  /** The NAT type; NAT_OPEN when the port is consistent and the node is persistent. */
  type: NatType
  /** Our public host, or null while unknown. */
  host: string | null
  /** Our public port when the NAT keeps it the same for every peer, else 0. */
  port: number
}

/** A reply as `request()`, `ping()` and queries give it. */
export type DHTReply = IncomingReply

/** The options of {@link DHT.query}: `commit`, `nodes`, `map`, `concurrency`, `onreply`, `signal`. */
export type DHTQueryOptions<T = DHTReply> = QueryOptions<DHT, T>
/** What {@link DHT.query} returns: a stream (and async iterator) of the replies, through `map`. */
export type DHTQuery<T = DHTReply> = Query<DHT, T>

/** The events of a node, with their arguments. */
export interface DHTEvents {
  /** A request for a command that is not built in: answer it with `req.reply()` or `req.error()`. */
  request: [req: DHTRequest]
  /** The socket is bound. */
  listening: []
  /** The routing table is bootstrapped (also emitted as 'bootstrap'). */
  ready: []
  /** The routing table is bootstrapped (also emitted as 'ready'). */
  bootstrap: []
  /** The node left ephemeral mode: it joins other nodes' routing tables. */
  persistent: []
  /** An adaptive node went back to ephemeral mode (after a wake-up, a resume or a network change). */
  ephemeral: []
  /** More than 15 s passed between two 5 s ticks: the machine slept (also emitted as 'wake-up'). */
  wakeup: []
  /** The same as 'wakeup'. */
  'wake-up': []
  /** `suspend()` stopped the node's timers and traffic. */
  suspend: []
  /** `resume()` started them again (its check of the routing table follows). */
  resume: []
  /**
   * The network under the node changed, seen once the node is ready and once per change:
   * `{ reason: 'interfaces', addresses, previous }` when the machine's own non-internal IPv4
   * addresses changed (the `networkInterfaces` option), or `{ reason: 'public-address', host,
   * previous }` when the public host that other nodes agree they see us at moved (a
   * consensus: a single odd report is not a change). The node has already forgotten its NAT
   * samples (`remoteAddress()` is learned again), sent an adaptive node back to ephemeral
   * until it proves itself again, and started a refresh of its table.
   */
  'network-change': [change: NetworkChange]
  /** A node entered the routing table. */
  'add-node': [node: NodeEntry]
  /** A node left the routing table. */
  'remove-node': [node: NodeEntry]
  /** The node's health changed (see {@link DHT.health}): the new state, then the one before. */
  health: [health: DHTHealth, previous: DHTHealth]
  /** An undecodable datagram, a socket error or a failed send, a bootstrap name that does not resolve, no bootstrap node answering, or the network interfaces that cannot be read (told once). */
  warning: [err: Error]
}
