import { EventEmitter } from 'node:events'
import { IO, IOError, Tokens, randomBytes, systemClock, systemRandom } from '@dht/io'
import type { Clock, IncomingRequest, Random, UdpSocket } from '@dht/io'
import { NAT_OPEN, NAT_PORT_CONSISTENT, NAT_PORT_INCREMENTING, NAT_PORT_RANDOMIZED, NAT_UNKNOWN } from '@dht/nat'
import type { NatType } from '@dht/nat'
import type { QueryHost } from '@dht/query'
import { RoutingTable } from '@dht/table'
import { Intern, id as nodeId, parseIPv4 } from '@dht/wire'
import type { Peer } from '@dht/wire'
import { BootstrapResolver, parseBootstrap } from './bootstrap-nodes.js'
import type { BootstrapNode } from './bootstrap-nodes.js'
import { UNKNOWN_COMMAND } from './constants.js'
import { SelfAddress } from './self-address.js'
import { NodeState } from './node-state.js'
import { NetworkWatch } from './network-change.js'
import type { NetworkChange } from './network-change.js'
import { join, tryPersistent } from './join.js'
import type { JoinHost } from './join.js'
import { ownId } from './ids.js'
import { DHTRequest } from './request.js'
import type { Replier } from './request.js'
import { request, requestAll } from './outgoing.js'
import { Health } from './health.js'
import type { DHTHealth } from './health.js'
import { snapshot } from './stats.js'
import type { DHTStats } from './stats.js'
import { checkOptions, checkQueryOptions } from './options.js'
import { BUILT_IN_COMMANDS, Inbox } from './inbox.js'
import type { InboxHost } from './inbox.js'
import { Lookups } from './lookups.js'
import { Upkeep } from './upkeep.js'
import { Suspension } from './suspend.js'
import type { SuspendHost } from './suspend.js'
import type { NodeInit, UpkeepHost } from './upkeep.js'
import type { DHTEvents, DHTOptions, DHTQuery, DHTQueryOptions, DHTReply, NodeEntry, RemoteAddress, RequestAllOptions, RequestOptions } from './types.js'
import { assertCommand, assertPeer, assertPort, assertPositiveInteger, assertTarget, assertValue } from './validate.js'

/**
 * A DHT node: routes, answers the built-in commands, keeps its routing table healthy, finds
 * out its NAT, and runs your commands (`'request'`) and lookups (`query()`).
 */
export class DHT extends EventEmitter<DHTEvents> implements Replier {
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

  private readonly state: NodeState
  private readonly clock: Clock
  private readonly random: Random
  private readonly selfAddress = new SelfAddress((to, from) => this.network.sample(to, from))
  private readonly network: NetworkWatch
  private readonly joining: JoinHost
  private readonly tokens: Tokens
  private readonly lookups: Lookups
  private readonly inbox: Inbox
  private readonly bootstrapResolver: BootstrapResolver
  private readonly upkeep: Upkeep
  private readonly suspension: Suspension
  private readonly intern: Intern
  private readonly bootstrapping: Promise<void>
  private readonly healthWatch = new Health()

  constructor (opts: DHTOptions = {}) {
    super()
    checkOptions(opts)

    this.clock = opts.clock ?? systemClock
    this.random = opts.random ?? systemRandom
    this.bootstrapNodes = parseBootstrap(opts.bootstrap)
    this.bootstrapResolver = new BootstrapResolver(this.bootstrapNodes, (err) => this.emit('warning', err))
    this.intern = opts.intern ?? new Intern()
    this.state = new NodeState(new RoutingTable<NodeEntry>(ownId(randomBytes(this.random, 32)), { create: createNodeEntry }))
    this.tokens = new Tokens(this.random)
    this.inbox = new Inbox(this.inboxHost())
    this.io = new IO({
      ...(opts.socket !== undefined ? { socket: opts.socket } : {}),
      ...(opts.createSocket !== undefined ? { createSocket: opts.createSocket } : {}),
      ...(opts.maxWindow !== undefined ? { maxWindow: opts.maxWindow } : {}),
      ...(opts.rateLimit !== undefined ? { rateLimit: opts.rateLimit } : {}),
      ...(opts.requestTimeout !== undefined ? { timeout: opts.requestTimeout } : {}),
      // the built-in commands are answered at once and the same way every time
      dedupe: (req) => !BUILT_IN_COMMANDS.has(req.command),
      port: opts.bind ?? 0,
      host: opts.host ?? '0.0.0.0',
      clock: this.clock,
      random: this.random,
      intern: this.intern,
      onrequest: (req) => this.inbox.onrequest(req),
      onresponse: (reply) => this.inbox.onreply(reply),
      onwarning: (err) => this.emit('warning', err)
    })
    this.io.socket.on('listening', () => this.emit('listening'))
    // counted first, so made-up commands from peers never push them out of the counters
    for (const command of BUILT_IN_COMMANDS) this.io.stats.command(command)

    this.adaptive = typeof opts.ephemeral !== 'boolean' && opts.adaptive !== false
    this.upkeep = new Upkeep(this.upkeepHost())
    this.suspension = new Suspension(this.suspendHost())

    const self = this
    const host: QueryHost = {
      get id () { return self.table.id },
      get requestId () { return self.ephemeral ? null : self.table.id },
      closest: (target, n) => this.table.closest(target, n),
      bootstrapNodes: () => this.bootstrapResolver.resolve(),
      send: (m, o, handlers) => this.io.send(m, o, handlers),
      roundTrip: (peer) => this.io.roundTrip(peer),
      nodeId: (host, port) => this.intern.id(host, port),
      defer: (fn) => { this.clock.setTimeout(fn, 0) },
      clock: this.clock
    }
    this.lookups = new Lookups(host, this, {
      budget: this.io.maxWindow,
      max: opts.concurrency ?? this.table.k,
      inflightRequests: () => this.io.inflightRequests,
      started: () => this.upkeep.lookedUp()
    })

    this.network = new NetworkWatch(opts.networkInterfaces, {
      state: this.state,
      changed: (change) => this.onnetworkchange(change),
      warn: (err) => this.emit('warning', err)
    })

    for (const node of opts.nodes ?? []) this.addNode(node)

    this.joining = this.joinHost()
    this.bootstrapping = join(this.joining, opts.ephemeral === false)
    this.bootstrapping.catch(noop) // surfaced through ready(), never as an unhandled rejection
  }

  /** Our routing id, or null while ephemeral. */
  get id (): Uint8Array | null {
    return this.ephemeral ? null : this.table.id
  }

  /** The routing table; a new one, around the new id, when the node's id changes. */
  get table (): RoutingTable<NodeEntry> {
    return this.state.table
  }

  /** True while the node stays out of other nodes' routing tables. */
  get ephemeral (): boolean {
    return this.state.ephemeral
  }

  /** The routing table has been bootstrapped ('ready' was emitted). */
  get bootstrapped (): boolean {
    return this.state.bootstrapped
  }

  /** `destroy()` was called. */
  get destroyed (): boolean {
    return this.state.destroyed
  }

  /** True from {@link DHT.suspend} to the next {@link DHT.resume}. */
  get suspended (): boolean {
    return this.suspension.suspended
  }

  /**
   * Stops the node's timers and traffic, for an app going to the background: requests and
   * lookups in flight fail with `IOError` `SUSPENDED`, so do new ones, and requests that come
   * in are dropped unanswered, until {@link DHT.resume}. Emits 'suspend'. Resolves at once when
   * the node is suspended or destroyed already.
   */
  suspend (): Promise<void> {
    return this.suspension.suspend()
  }

  /**
   * Starts the node's timers and traffic again after {@link DHT.suspend} and emits 'resume';
   * then pings the routing table, drops the nodes that do not answer, samples our address
   * anew, and bootstraps again when fewer than half the table answered. Resolves when that is
   * done (or cut short by another suspend()); rejects with `DESTROYED` after destroy().
   */
  resume (): Promise<void> {
    return this.suspension.resume()
  }

  /** A snapshot of the node's counters: per command, totals, round trips, table size, lookups running. */
  get stats (): DHTStats {
    return snapshot(this.io.stats, { tableSize: this.table.size, lookups: this.lookups.running, inflightRequests: this.io.inflightRequests })
  }

  /** How the node's requests fare lately (see 'health'): `'online'`, `'degraded'` or `'offline'`. */
  get health (): DHTHealth {
    return this.healthWatch.state
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
    return this.selfAddress.sampled
  }

  /** Our public address and NAT type as the network sees us. */
  remoteAddress (minSamples?: number): RemoteAddress {
    return this.selfAddress.remoteAddress(this.ephemeral, minSamples)
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
    return this.lookups.width
  }

  /** Sets the width of a lookup that runs alone, from now on (a positive integer). */
  set concurrency (n: number) {
    assertPositiveInteger(n, 'concurrency')
    this.lookups.width = n
  }

  /** A lookup: streams the replies of the nodes ever closer to `target`. */
  query<T = DHTReply> (target: Uint8Array, command: string, value?: Uint8Array | null, opts: DHTQueryOptions<T> = {}): DHTQuery<T> {
    assertTarget(target)
    assertCommand(command)
    assertValue(value)
    checkQueryOptions(opts)
    return this.lookups.start<T>(target, command, value ?? null, opts, this.refusal())
  }

  /** Looks up a random id in the background to refresh the routing table. Throws DESTROYED after destroy(). */
  refresh (): void {
    this.assertOpen()
    const node = this.table.random(() => this.random.next())
    this.lookups.background(node !== null ? node.id : this.table.id, this.refusal())
  }

  /** The routing table's nodes as { host, port }. */
  toArray (): Peer[] {
    return this.table.toArray().map(({ host, port }) => ({ host, port }))
  }

  /** Adds a node to the routing table by address (its id is computed). Throws DESTROYED after destroy(). */
  addNode (node: Peer): void {
    assertPeer(node, 'node')
    this.assertOpen()
    this.insertNode({ id: this.intern.id(node.host, node.port), host: node.host, port: node.port, hostBits: parseIPv4(node.host)!, to: null })
  }

  /** Stops every timer, fails pending requests and lookups, closes the sockets. */
  async destroy (): Promise<void> {
    if (this.destroyed) return
    this.state.destroyed = true
    this.upkeep.stop()
    this.suspension.close()
    this.selfAddress.settle(false)
    const err = IOError.DESTROYED()
    this.lookups.stopAll(err)
    await this.io.destroy()
  }

  /** @internal Sends a reply to a request from the node's socket (or another one, without id). */
  sendReply (req: IncomingRequest, status: number, value: Uint8Array | null, target: Uint8Array | null, token: boolean, socket: UdpSocket = this.io.socket): void {
    const ephemeral = this.ephemeral || socket !== this.io.socket
    this.io.reply(req, {
      id: ephemeral ? null : this.table.id,
      token: !ephemeral && token ? this.tokens.create(req.from.host, req.from.port) : null,
      closerNodes: target !== null ? this.table.closest(target) : null,
      status,
      value
    }, socket)
  }

  // what a lookup started now ends with at once: nothing while the node runs
  private refusal (): Error | null {
    if (this.destroyed) return IOError.DESTROYED()
    return this.suspended ? IOError.SUSPENDED() : null
  }

  private insertNode (node: NodeInit): void {
    const result = this.table.add(node, this.upkeep.tick)
    if (result.type === 'added') this.emit('add-node', result.entry)
    else if (result.type === 'full' && this.bootstrapped) this.upkeep.offer(node, result.stalest)
  }

  private removeNode (node: NodeEntry): void {
    if (this.table.get(node.id) !== node) return
    this.table.remove(node.id)
    this.emit('remove-node', node)
  }

  // what taking in messages may see and do (see inbox.ts)
  private inboxHost (): InboxHost {
    return {
      state: this.state,
      tokens: this.tokens,
      selfAddress: this.selfAddress,
      tick: () => this.upkeep.tick,
      nodeId: (host, port) => this.intern.id(host, port),
      insertNode: (node) => this.insertNode(node),
      askedByEphemeral: () => this.upkeep.askedByEphemeral(),
      openSocket: () => this.io.openSocket(),
      sendReply: (req, status, value, target, token, socket) => this.sendReply(req, status, value, target, token, socket),
      emitRequest: (req) => this.emit('request', new DHTRequest(this, req))
    }
  }

  // what joining the network may see and do (see join.ts)
  private joinHost (): JoinHost {
    return {
      state: this.state,
      bootstrapNodes: this.bootstrapNodes,
      selfAddress: this.selfAddress,
      concurrency: () => this.concurrency,
      resumed: () => this.suspension.resumed(),
      lookup: (target, width, onreply) => this.lookups.background(target, this.refusal(), width, onreply),
      resolveBootstrapNodes: () => this.bootstrapResolver.resolve(),
      pingNat: (nodes, min) => this.requestAll(null, 'ping_nat', null, nodes, { min, max: 3 }),
      becomePersistent: (id) => {
        this.state.table = this.table.rekey(ownId(id)).table
        this.state.ephemeral = false
        this.emit('persistent')
      },
      deferPersistent: () => this.upkeep.deferPersistent(),
      becomeReady: async () => {
        this.state.bootstrapped = true
        this.selfAddress.settle(true)
        await this.io.bind()
        if (this.destroyed) throw IOError.DESTROYED()
        this.emit('ready')
        this.emit('bootstrap')
      },
      warn: (err) => this.emit('warning', err)
    }
  }

  // what the routing table's upkeep may see and do (see upkeep.ts)
  private upkeepHost (): UpkeepHost {
    return {
      state: this.state,
      clock: this.clock,
      random: this.random,
      adaptive: this.adaptive,
      inflightRequests: () => this.io.inflightRequests,
      ping: (node) => this.ping(node),
      refresh: () => this.refresh(),
      lookup: (target, onclose) => {
        const query = this.lookups.background(target, this.refusal())
        query.on('close', () => onclose(query.closestReplies))
      },
      resolveBootstrapNodes: () => this.bootstrapResolver.resolve(),
      tryPersistent: () => { tryPersistent(this.joining).catch(noop) },
      insertNode: (node) => this.insertNode(node),
      removeNode: (node) => this.removeNode(node),
      wokeUp: () => this.onwakeup(),
      ticked: () => {
        this.tokens.rotate()
        this.network.poll()
        this.checkHealth()
      }
    }
  }

  // once a tick: the requests that ended since the last, and how many timed out
  private checkHealth (): void {
    const previous = this.healthWatch.state
    const { repliesReceived, timeouts } = this.io.stats
    const state = this.healthWatch.updateTotals(repliesReceived + timeouts, timeouts)
    if (state !== null) this.emit('health', state, previous)
  }

  private onwakeup (): void {
    this.proveAgain()
    this.emit('wakeup')
    this.emit('wake-up')
  }

  // After a sleep, a suspension or a network change the node's address and NAT may have
  // changed: an adaptive node proves itself again before it is persistent.
  private proveAgain (): void {
    if (this.adaptive && !this.ephemeral) {
      this.state.ephemeral = true
      this.emit('ephemeral')
    }
  }

  // what suspending and resuming may see and do (see suspend.ts)
  private suspendHost (): SuspendHost {
    return {
      state: this.state,
      checkWidth: () => this.concurrency,
      requestTimeout: this.io.timeout,
      stop: () => {
        this.upkeep.suspend()
        const err = IOError.SUSPENDED()
        this.lookups.stopAll(err) // their requests give their window room back
        this.io.suspend() // fails the other requests
      },
      start: () => {
        this.io.resume()
        this.upkeep.resume()
        this.forgetOwnAddress()
        this.proveAgain()
      },
      ping: (node, timeout) => this.ping(node, { timeout }),
      removeNode: (node) => this.removeNode(node),
      bootstrap: () => this.query<never>(this.table.id, 'find_node', null, { map: () => null }).finished().catch(noop),
      emit: (event) => this.emit(event)
    }
  }

  // The network under the node changed (see network-change.ts): what it learned of its
  // address no longer holds, so it learns it again from scratch, every table node's next
  // message counting as a sample again; an adaptive node proves itself again before it is
  // persistent, as after a wake-up; and a refresh brings in replies from where it is now.
  private onnetworkchange (change: NetworkChange): void {
    this.forgetOwnAddress()
    if (this.adaptive) this.upkeep.deferPersistent()
    this.proveAgain()
    this.refresh()
    this.emit('network-change', change)
  }

  // What the node learned of its own address no longer holds: it learns it again from the
  // next messages. A known node samples our address only when it sees us somewhere new, so
  // where each saw us is forgotten too.
  private forgetOwnAddress (): void {
    this.selfAddress.reset()
    for (const node of this.table.toArray()) node.to = null
  }

  // what sends, binds or changes the table fails alike once the node is destroyed
  private assertOpen (): void {
    if (this.destroyed) throw IOError.DESTROYED()
  }
}

// An entry's id is one the intern handed out, or our own copy: a Buffer of its own, for an
// entry lives for minutes to hours, and a view into a datagram or into Node's buffer pool
// would keep all of it alive.
function createNodeEntry (node: NodeInit, tick: number): NodeEntry {
  return { id: node.id, host: node.host, port: node.port, hostBits: node.hostBits, to: node.to, added: tick, seen: tick, prev: null, next: null }
}

function noop (): void {}
