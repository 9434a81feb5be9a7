import { EventEmitter } from 'node:events'
import { IOError } from '@dht/io'
import type { IO } from '@dht/io'
import { NAT_OPEN, NAT_PORT_CONSISTENT, NAT_PORT_INCREMENTING, NAT_PORT_RANDOMIZED, NAT_UNKNOWN } from '@dht/nat'
import type { NatType } from '@dht/nat'
import type { RoutingTable } from '@dht/table'
import { id as nodeId } from '@dht/wire'
import type { Peer } from '@dht/wire'
import { parseBootstrap } from './bootstrap-nodes.js'
import type { BootstrapNode } from './bootstrap-nodes.js'
import { UNKNOWN_COMMAND } from './constants.js'
import type { DHTHealth } from './health.js'
import { NodeCore } from './node-core.js'
import { request, requestAll } from './outgoing.js'
import { snapshot } from './stats.js'
import type { DHTStats } from './stats.js'
import { checkOptions, checkQueryOptions } from './options.js'
import type { DHTEvents, DHTOptions, DHTQuery, DHTQueryOptions, DHTReply, NodeEntry, RemoteAddress, RequestAllOptions, RequestOptions } from './types.js'
import { assertCommand, assertPeer, assertPort, assertPositiveInteger, assertTarget, assertValue } from './validate.js'

/**
 * A DHT node: routes, answers the built-in commands, keeps its routing table healthy, finds
 * out its NAT, and runs your commands (`'request'`) and lookups (`query()`).
 */
export class DHT extends EventEmitter<DHTEvents> {
  /** The status of a successful reply. */
  static readonly OK = 0
  /** The status of a reply from a node that has no handler for the command. */
  static readonly UNKNOWN_COMMAND = UNKNOWN_COMMAND
  /** The NAT type while too few nodes agree on our address. */
  static readonly NAT_UNKNOWN: NatType = NAT_UNKNOWN
  /** The NAT type of a persistent node: reachable at its address without a hole punch. */
  static readonly NAT_OPEN: NatType = NAT_OPEN
  /** Every node sees us at the same port. */
  static readonly NAT_PORT_CONSISTENT: NatType = NAT_PORT_CONSISTENT
  /** Nodes see us at ports close together, handed out in sequence. */
  static readonly NAT_PORT_INCREMENTING: NatType = NAT_PORT_INCREMENTING
  /** Nodes see us at ports spread out: a new random one per destination. */
  static readonly NAT_PORT_RANDOMIZED: NatType = NAT_PORT_RANDOMIZED

  /** The routing id of a node at `host:port`. */
  static id (node: Peer, out?: Uint8Array): Uint8Array {
    return nodeId(node.host, node.port, out)
  }

  /** The node's socket side: requests, replies, re-sends, the politeness window. */
  readonly io: IO
  /** The bootstrap nodes, as given (host names not resolved yet). */
  readonly bootstrapNodes: readonly BootstrapNode[]
  /** The node decides by itself when to become persistent (the `ephemeral` option was unset). */
  readonly adaptive: boolean

  private readonly core: NodeCore
  private readonly bootstrapping: Promise<void>

  constructor (opts: DHTOptions = {}) {
    super()
    checkOptions(opts)
    this.bootstrapNodes = parseBootstrap(opts.bootstrap)
    this.adaptive = typeof opts.ephemeral !== 'boolean' && opts.adaptive !== false
    this.core = new NodeCore(this, opts, this.bootstrapNodes)
    this.io = this.core.io
    for (const node of opts.nodes ?? []) this.addNode(node)
    this.bootstrapping = this.core.join(opts.ephemeral === false)
    this.bootstrapping.catch(noop) // surfaced through ready(), never as an unhandled rejection
  }

  /** Our routing id, or null while ephemeral. */
  get id (): Uint8Array | null {
    return this.ephemeral ? null : this.table.id
  }

  /** The routing table; a new one, around the new id, when the node's id changes. */
  get table (): RoutingTable<NodeEntry> {
    return this.core.state.table
  }

  /** True while the node stays out of other nodes' routing tables. */
  get ephemeral (): boolean {
    return this.core.state.ephemeral
  }

  /** The routing table has been bootstrapped ('ready' was emitted). */
  get bootstrapped (): boolean {
    return this.core.state.bootstrapped
  }

  /** `destroy()` was called. */
  get destroyed (): boolean {
    return this.core.state.destroyed
  }

  /** True from {@link DHT.suspend} to the next {@link DHT.resume}. */
  get suspended (): boolean {
    return this.core.suspension.suspended
  }

  /**
   * Stops the node's timers and traffic, for an app going to the background: requests and
   * lookups in flight fail with `IOError` `SUSPENDED`, so do new ones, and requests that come
   * in are dropped unanswered, until {@link DHT.resume}. Emits 'suspend'. Resolves at once when
   * the node is suspended or destroyed already.
   */
  suspend (): Promise<void> {
    return this.core.suspension.suspend()
  }

  /**
   * Starts the node's timers and traffic again after {@link DHT.suspend} and emits 'resume';
   * then pings the routing table, drops the nodes that do not answer, samples our address
   * anew, and bootstraps again when fewer than half the table answered. Resolves when that is
   * done (or cut short by another suspend()); rejects with `DESTROYED` after destroy().
   */
  resume (): Promise<void> {
    return this.core.suspension.resume()
  }

  /** A snapshot of the node's counters: per command, totals, round trips, table size, lookups running. */
  get stats (): DHTStats {
    return snapshot(this.io.stats, { tableSize: this.table.size, lookups: this.core.lookups.running, inflightRequests: this.io.inflightRequests })
  }

  /** How the node's requests fare lately (see 'health'): `'online'`, `'degraded'` or `'offline'`. */
  get health (): DHTHealth {
    return this.core.health.state
  }

  /** Resolves once the routing table is bootstrapped; rejects if the node is destroyed first. */
  ready (): Promise<void> {
    return this.bootstrapping
  }

  /** Binds the socket (to `port`, or a random one if it is taken) and resolves with the bound port. */
  bind (port?: number): Promise<number> {
    try {
      if (port !== undefined) assertPort(port, 'port')
      this.assertOpen()
    } catch (err) {
      return Promise.reject(err)
    }
    return this.io.bind(port)
  }

  /** The bound address, or null before binding. */
  address (): Peer | null {
    return this.io.address()
  }

  /** Resolves true once the NAT analyzer has enough samples (false if destroyed first). */
  sampledNAT (): Promise<boolean> {
    return this.core.selfAddress.sampled
  }

  /** Our public address and NAT type as the network sees us. */
  remoteAddress (minSamples?: number): RemoteAddress {
    return this.core.selfAddress.remoteAddress(this.ephemeral, minSamples)
  }

  /** Sends one request to `to` and resolves with the reply. */
  request (target: Uint8Array | null, command: string, value: Uint8Array | null | undefined, to: Peer, opts: RequestOptions = {}): Promise<DHTReply> {
    return request(this, target, command, value, to, opts)
  }

  /** `request(null, 'ping', null, to)`. */
  ping (to: Peer, opts: RequestOptions = {}): Promise<DHTReply> {
    return this.request(null, 'ping', null, to, opts)
  }

  /** Requests every node at once; resolves with the replies once `max` succeed or all settle, rejects when fewer than `min` can. */
  requestAll (target: Uint8Array | null, command: string, value: Uint8Array | null | undefined, nodes: readonly Peer[], opts: RequestAllOptions = {}): Promise<DHTReply[]> {
    return requestAll(this, target, command, value, nodes, opts)
  }

  /** The width of a lookup that runs alone (see {@link DHTOptions.concurrency}). */
  get concurrency (): number {
    return this.core.lookups.width
  }

  /** Sets the width of a lookup that runs alone, from now on (a positive integer). */
  set concurrency (n: number) {
    assertPositiveInteger(n, 'concurrency')
    this.core.lookups.width = n
  }

  /** A lookup: streams the replies of the nodes ever closer to `target`. */
  query<T = DHTReply> (target: Uint8Array, command: string, value?: Uint8Array | null, opts: DHTQueryOptions<T> = {}): DHTQuery<T> {
    assertTarget(target)
    assertCommand(command)
    assertValue(value)
    checkQueryOptions(opts)
    return this.core.lookups.start<T>(target, command, value ?? null, opts, this.core.refusal())
  }

  /** Looks up a random id in the background to refresh the routing table. Throws DESTROYED after destroy(). */
  refresh (): void {
    this.assertOpen()
    const node = this.table.random(() => this.core.random.next())
    this.core.lookups.background(node !== null ? node.id : this.table.id, this.core.refusal())
  }

  /** The routing table's nodes as { host, port }. */
  toArray (): Peer[] {
    return this.table.toArray().map(({ host, port }) => ({ host, port }))
  }

  /** Adds a node to the routing table by address (its id is computed). Throws DESTROYED after destroy(). */
  addNode (node: Peer): void {
    assertPeer(node, 'node')
    this.assertOpen()
    this.core.insertNode({ id: this.core.intern.id(node.host, node.port), host: node.host, port: node.port, to: null })
  }

  /** Stops every timer, fails pending requests and lookups, closes the sockets. */
  async destroy (): Promise<void> {
    if (this.destroyed) return
    await this.core.destroy()
  }

  // what sends, binds or changes the table fails alike once the node is destroyed
  private assertOpen (): void {
    if (this.destroyed) throw IOError.DESTROYED()
  }
}

function noop (): void {}
