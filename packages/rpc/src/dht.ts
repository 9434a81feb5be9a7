import { EventEmitter } from 'node:events'
import sodium from 'sodium-native'
import { IO, IOError, Tokens, randomBytes, systemClock, systemRandom } from '@dht/io'
import type { Clock, IncomingReply, IncomingRequest, PendingRequest, Random, RateLimitOptions, RequestOptions as IORequestOptions, SocketFactory, TimerHandle, UdpSocket } from '@dht/io'
import { NAT_OPEN, NAT_PORT_CONSISTENT, NAT_PORT_INCREMENTING, NAT_PORT_RANDOMIZED, NAT_UNKNOWN, NatAnalyzer } from '@dht/nat'
import type { NatAnalysis, NatType } from '@dht/nat'
import { Query, settleAtLeast, WidthShare } from '@dht/query'
import type { QueryHost, QueryOptions } from '@dht/query'
import { RoutingTable, compareDistance } from '@dht/table'
import type { TableEntry } from '@dht/table'
import { Intern, id as nodeId } from '@dht/wire'
import type { Peer } from '@dht/wire'
import { parseBootstrap, resolveBootstrap } from './bootstrap-nodes.js'
import type { BootstrapNode, ResolvedNode } from './bootstrap-nodes.js'
import {
  FIREWALL_CHECK_NODES, MAX_PING_BYTES, MAX_REPINGS, MAX_REPING_QUEUE, MORE_PERSISTENT_TICKS, NAT_SAMPLES, OLD_NODE,
  PERSISTENT_TICKS, PING_SOME_EVERY, RECENT_NODE, REFRESH_TICKS, SLEEP_MS, TICK_MS
} from './constants.js'
import { DHTRequest } from './request.js'
import type { Replier } from './request.js'
import { DHTError } from './errors.js'
import { checkOptions, checkQueryOptions, checkRequestOptions } from './options.js'
import { assertCommand, assertCount, assertOptionalTarget, assertPeer, assertPeers, assertPort, assertPositiveInteger, assertTarget, assertValue } from './validate.js'

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

/** The options of {@link DHT.query}: `commit`, `nodes`, `map`, `concurrency`, `onreply`. */
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
  /** An adaptive node went back to ephemeral mode (after a wake-up). */
  ephemeral: []
  /** More than 15 s passed between two 5 s ticks: the machine slept (also emitted as 'wake-up'). */
  wakeup: []
  /** The same as 'wakeup'. */
  'wake-up': []
  /** A node entered the routing table. */
  'add-node': [node: NodeEntry]
  /** A node left the routing table. */
  'remove-node': [node: NodeEntry]
  /** An undecodable datagram, a socket error or a failed send, a bootstrap name that does not resolve, or no bootstrap node answering. */
  warning: [err: Error]
}

// Answered by the node itself, at once and the same way every time: a re-sent one is simply
// answered again (see the `dedupe` option of @dht/io)
const BUILT_IN_COMMANDS: ReadonlySet<string> = new Set(['ping', 'ping_nat', 'find_node'])

// Known id whose closest nodes now and then ping the bootstrap nodes, which are otherwise
// ephemeral and unseen by the network (the same id as dht-rpc: BLAKE2b-256('ping bootstrap')).
const PING_BOOTSTRAP = Buffer.allocUnsafe(32)
sodium.crypto_generichash(PING_BOOTSTRAP, Buffer.from('ping bootstrap'))

/**
 * A DHT node: routes, answers the built-in commands, keeps its routing table healthy, finds
 * out its NAT, and runs your commands (`'request'`) and lookups (`query()`).
 */
export class DHT extends EventEmitter<DHTEvents> implements Replier {
  /** The status of a successful reply. */
  static readonly OK = 0
  /** The status of a reply from a node that has no handler for the command. */
  static readonly UNKNOWN_COMMAND = 1
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
  /** The routing table; a new one, around the new id, when the node's id changes. */
  table: RoutingTable<NodeEntry>
  /** True while the node stays out of other nodes' routing tables. */
  ephemeral = true
  /** The node decides by itself when to become persistent (the `ephemeral` option was unset). */
  readonly adaptive: boolean
  /** The routing table has been bootstrapped ('ready' was emitted). */
  bootstrapped = false
  /** `destroy()` was called. */
  destroyed = false

  private readonly clock: Clock
  private readonly random: Random
  private readonly intern: Intern
  private readonly nat = new NatAnalyzer({ sampleSize: NAT_SAMPLES })
  private readonly tokens: Tokens
  private readonly forcePersistent: boolean
  private readonly queries = new Set<{ destroy (err: Error): void }>()
  private readonly widths: WidthShare
  private readonly host: QueryHost
  private readonly repingQueue: Array<{ node: NodeInit, stalest: NodeEntry }> = []
  private repinging = 0
  private natSocket: UdpSocket | null = null
  private lastSeenAs: Peer | null = null
  private unresolvedBootstrap = new Set<string>()
  private tick: number
  private refreshTicks: number
  private pingBootstrapTicks: number
  private persistentTicks: number
  private lastTick: number
  private readonly tickTimer: TimerHandle
  private resolveSampled: ((sampled: boolean) => void) | null = null
  private readonly sampled: Promise<boolean>
  private readonly bootstrapping: Promise<void>

  constructor (opts: DHTOptions = {}) {
    super()
    checkOptions(opts)

    this.clock = opts.clock ?? systemClock
    this.random = opts.random ?? systemRandom
    this.bootstrapNodes = parseBootstrap(opts.bootstrap)
    this.intern = opts.intern ?? new Intern()
    this.table = new RoutingTable<NodeEntry>(ownId(randomBytes(this.random, 32)), { create: createNodeEntry })
    this.tokens = new Tokens(this.random)
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
      onrequest: (req) => this.onrequest(req),
      onresponse: (reply, req) => this.onresponse(reply, req),
      onwarning: (err) => this.emit('warning', err)
    })
    this.io.socket.on('listening', () => this.emit('listening'))

    this.widths = new WidthShare({ budget: this.io.maxWindow, max: opts.concurrency ?? this.table.k })
    this.adaptive = typeof opts.ephemeral !== 'boolean' && opts.adaptive !== false
    this.forcePersistent = opts.ephemeral === false
    this.tick = this.randomOffset(100) // spread the nodes' tick phases
    this.refreshTicks = this.randomOffset(REFRESH_TICKS)
    this.pingBootstrapTicks = this.randomOffset(REFRESH_TICKS)
    this.persistentTicks = this.adaptive ? PERSISTENT_TICKS : 0
    this.lastTick = this.clock.now()
    this.tickTimer = this.clock.setInterval(() => this.ontick(), TICK_MS)
    this.sampled = new Promise((resolve) => { this.resolveSampled = resolve })

    const self = this
    this.host = {
      get id () { return self.table.id },
      get requestId () { return self.ephemeral ? null : self.table.id },
      closest: (target, n) => this.table.closest(target, n),
      bootstrapNodes: () => this.resolveBootstrapNodes(),
      send: (m, o, handlers) => this.io.send(m, o, handlers),
      roundTrip: (peer) => this.io.roundTrip(peer),
      nodeId: (host, port) => this.intern.id(host, port),
      defer: (fn) => { this.clock.setTimeout(fn, 0) },
      clock: this.clock
    }

    for (const node of opts.nodes ?? []) this.addNode(node)

    this.bootstrapping = this.bootstrap()
    this.bootstrapping.catch(noop) // surfaced through ready(), never as an unhandled rejection
  }

  /** Our routing id, or null while ephemeral. */
  get id (): Uint8Array | null {
    return this.ephemeral ? null : this.table.id
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
    return this.sampled
  }

  /** Our public address and NAT type as the network sees us. */
  remoteAddress (minSamples?: number): RemoteAddress {
    const result: NatAnalysis = this.nat.analyze(minSamples)
    const type = result.type === NAT_PORT_CONSISTENT && !this.ephemeral ? NAT_OPEN : result.type
    return { type, host: result.host, port: result.port }
  }

  /** Sends one request to `to` and resolves with the reply. */
  request (target: Uint8Array | null, command: string, value: Uint8Array | null | undefined, to: Peer, opts: RequestOptions = {}): Promise<DHTReply> {
    try {
      assertOptionalTarget(target)
      assertCommand(command)
      assertValue(value)
      assertPeer(to, 'to')
      checkRequestOptions(opts)
    } catch (err) {
      return Promise.reject(err)
    }
    const socket = opts.socket ?? this.io.socket
    const ioOpts: IORequestOptions = { socket, expectOk: opts.expectOk !== false, retry: opts.retry !== false }
    if (opts.timeout !== undefined) ioOpts.timeout = opts.timeout
    return this.io.request({
      to: { host: to.host, port: to.port },
      id: this.ephemeral || socket !== this.io.socket ? null : this.table.id,
      token: opts.token ?? null,
      target,
      command,
      value: value ?? null
    }, ioOpts)
  }

  /** `request(null, 'ping', null, to)`. */
  ping (to: Peer, opts: RequestOptions = {}): Promise<DHTReply> {
    return this.request(null, 'ping', null, to, opts)
  }

  /** Requests every node at once; resolves with the replies once `max` succeed or all settle, rejects when fewer than `min` can. */
  requestAll (target: Uint8Array | null, command: string, value: Uint8Array | null | undefined, nodes: readonly Peer[], opts: RequestAllOptions = {}): Promise<DHTReply[]> {
    try {
      assertOptionalTarget(target)
      assertCommand(command)
      assertValue(value)
      assertPeers(nodes, 'nodes')
      checkRequestOptions(opts)
      if (opts.min !== undefined) assertCount(opts.min, 'options.min')
      if (opts.max !== undefined) assertCount(opts.max, 'options.max')
      this.assertOpen()
    } catch (err) {
      return Promise.reject(err)
    }
    const min = opts.min ?? 1
    const max = opts.max ?? nodes.length
    if (nodes.length < min) return Promise.reject(DHTError.TOO_FEW_NODES(nodes.length, min))
    const { min: _min, max: _max, ...requestOpts } = opts
    return settleAtLeast(nodes.map((node) => this.request(target, command, value, node, requestOpts)), min, max)
  }

  /** The width of a lookup that runs alone (see {@link DHTOptions.concurrency}). */
  get concurrency (): number {
    return this.widths.max
  }

  /** Sets the width of a lookup that runs alone, from now on (a positive integer). */
  set concurrency (n: number) {
    assertPositiveInteger(n, 'concurrency')
    this.widths.configure({ max: n })
  }

  /** A lookup: streams the replies of the nodes ever closer to `target`. */
  query<T = DHTReply> (target: Uint8Array, command: string, value?: Uint8Array | null, opts: DHTQueryOptions<T> = {}): DHTQuery<T> {
    assertTarget(target)
    assertCommand(command)
    assertValue(value)
    checkQueryOptions(opts)
    this.refreshTicks = REFRESH_TICKS
    const shared = opts.concurrency === undefined
    const query = new Query<DHT, T>(this.host, target, command, value ?? null, shared ? { ...opts, concurrency: this.widths.width } : opts, this)
    if (this.destroyed) {
      query.destroy(IOError.DESTROYED())
      return query
    }
    this.queries.add(query)
    if (shared) this.widths.enter()
    query.on('close', () => {
      this.queries.delete(query)
      if (shared) this.widths.leave()
    })
    return query
  }

  /** Looks up a random id in the background to refresh the routing table. Throws DESTROYED after destroy(). */
  refresh (): void {
    this.assertOpen()
    const node = this.table.random(() => this.random.next())
    this.backgroundQuery(node !== null ? node.id : this.table.id)
  }

  /** The routing table's nodes as { host, port }. */
  toArray (): Peer[] {
    return this.table.toArray().map(({ host, port }) => ({ host, port }))
  }

  /** Adds a node to the routing table by address (its id is computed). Throws DESTROYED after destroy(). */
  addNode (node: Peer): void {
    assertPeer(node, 'node')
    this.assertOpen()
    this.insertNode({ id: this.intern.id(node.host, node.port), host: node.host, port: node.port, to: null })
  }

  /** Stops every timer, fails pending requests and lookups, closes the sockets. */
  async destroy (): Promise<void> {
    if (this.destroyed) return
    this.destroyed = true
    this.clock.clearInterval(this.tickTimer)
    this.resolveSampled?.(false)
    this.resolveSampled = null
    const err = IOError.DESTROYED()
    for (const query of [...this.queries]) query.destroy(err)
    this.queries.clear()
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

  private async bootstrap (): Promise<void> {
    await Promise.resolve() // let the caller attach listeners first
    const first = await this.bootstrapLookup(this.forcePersistent)
    if (first.successes === 0 && this.bootstrapNodes.length > 0) {
      this.emit('warning', DHTError.BOOTSTRAP_FAILED(this.bootstrapNodes))
    }
    if (this.forcePersistent && !this.bootstrapped) {
      // a new id needs its own neighbours; a node that stays ephemeral finishes the lookup it cut short
      if (await this.tryPersistent() || first.endedEarly) await this.bootstrapLookup(false)
    }
    if (this.destroyed) throw IOError.DESTROYED()
    if (this.bootstrapped) return
    this.bootstrapped = true
    this.resolveSampled?.(true)
    this.resolveSampled = null
    await this.io.bind()
    if (this.destroyed) throw IOError.DESTROYED()
    this.emit('ready')
    this.emit('bootstrap')
  }

  // A node that asked to be persistent looks up a random id first, only to learn its address
  // and a few nodes: once 3 or more samples agree on its address and it knows enough nodes
  // for the ping_nat check, that lookup has done its job and ends there (`endEarly`).
  private async bootstrapLookup (endEarly: boolean): Promise<{ successes: number, endedEarly: boolean }> {
    // a lookup that ends early asks no more nodes at once than it needs to hear from
    const width = endEarly ? Math.min(this.concurrency, FIREWALL_CHECK_NODES) : this.concurrency
    let endedEarly = false
    const query = this.backgroundQuery(this.table.id, width, endEarly
      ? () => {
          if (endedEarly || this.table.size < FIREWALL_CHECK_NODES) return
          if (this.nat.analyze().type !== NAT_PORT_CONSISTENT) return
          endedEarly = true
          query.destroy(ENDED_EARLY)
        }
      : undefined)
    await query.finished().catch(noop)
    if (this.destroyed) throw IOError.DESTROYED()
    return { successes: query.successes, endedEarly }
  }

  // A find_node lookup of the node's own (a refresh, a bootstrap): it runs to its end without
  // anyone reading it (finished() reads it), streams nothing, and keeps `width` requests in
  // flight only while the node has little else waiting on the network, a few otherwise.
  // `onreply` sees every answer as it arrives.
  private backgroundQuery (target: Uint8Array, width = this.concurrency, onreply?: (reply: DHTReply) => void): DHTQuery<never> {
    const background = Math.min(width, Math.max(2, Math.floor(this.concurrency / 8)))
    const query = this.query<never>(target, 'find_node', null, {
      concurrency: () => this.io.inflightRequests < 3 ? width : background,
      map: () => null,
      ...(onreply !== undefined ? { onreply } : {})
    })
    query.finished().catch(noop) // a destroyed node's lookups end with its error
    return query
  }

  private onrequest (req: IncomingRequest): void {
    if (req.token !== null && !this.tokens.verify(req.token, req.from.host, req.from.port)) req.token = null
    if (req.id !== null) this.addNodeFromMessage(req)
    else this.pingBootstrapTicks = REFRESH_TICKS // an ephemeral asker: likely sent our way by a bootstrap node

    switch (req.command) {
      case 'ping':
        if (req.value === null || req.value.byteLength <= MAX_PING_BYTES) this.sendReply(req, 0, req.value, null, false)
        return
      case 'ping_nat':
        this.natSocket ??= this.io.openSocket()
        this.sendReply(req, 0, null, null, false, this.natSocket)
        return
      case 'find_node':
        this.sendReply(req, 0, null, req.target, false)
        return
    }
    if (!this.emit('request', new DHTRequest(this, req))) {
      this.sendReply(req, DHT.UNKNOWN_COMMAND, null, req.target, false)
    }
  }

  private onresponse (reply: IncomingReply, _req: PendingRequest): void {
    if (reply.id !== null) this.addNodeFromMessage(reply)
    else if (this.nat.size < 3 && !this.nat.has(reply.from)) this.nat.add(reply.to, reply.from)
    if (this.resolveSampled !== null && this.nat.size >= 3) {
      this.resolveSampled(true)
      this.resolveSampled = null
    }
  }

  private addNodeFromMessage (m: IncomingRequest | IncomingReply): void {
    // an entry's id was checked against its address when it entered the table, so a message
    // from that address with that id needs no hashing: most messages come from known nodes
    const known = this.table.get(m.id!)
    if (known !== null && known.port === m.from.port && known.host === m.from.host) {
      // a known node re-samples only when it sees us at a new host, as dht-rpc does: with the
      // same samples, the same NAT decisions as the rest of the network
      if (known.to === null || known.to.host !== m.to.host) {
        known.to = this.seenAs(m.to)
        this.nat.add(m.to, m.from)
      }
      this.table.seen(known, this.tick)
      return
    }
    const id = this.intern.id(m.from.host, m.from.port)
    // an id that is not the hash of the sender's address is never trusted (nor routed to)
    if (known !== null || !equalIds(m.id!, id)) {
      m.id = null
      return
    }
    this.nat.add(m.to, m.from)
    this.insertNode({ id, host: m.from.host, port: m.from.port, to: this.seenAs(m.to) })
  }

  // Nearly every entry saw us at the same address: share one object rather than keep a copy each.
  private seenAs (to: Peer): Peer {
    const last = this.lastSeenAs
    if (last !== null && last.host === to.host && last.port === to.port) return last
    this.lastSeenAs = to
    return to
  }

  private insertNode (node: NodeInit): void {
    const result = this.table.add(node, this.tick)
    if (result.type === 'added') this.emit('add-node', result.entry)
    else if (result.type === 'full' && this.bootstrapped && this.repingQueue.length < MAX_REPING_QUEUE) {
      this.repingQueue.push({ node, stalest: result.stalest })
      this.repingMaybe()
    }
  }

  private removeNode (node: NodeEntry): void {
    if (this.table.get(node.id) !== node) return
    this.table.remove(node.id)
    this.emit('remove-node', node)
  }

  private repingMaybe (): void {
    while (this.repinging < MAX_REPINGS && this.repingQueue.length > 0) {
      const { node, stalest } = this.repingQueue.shift()!
      if (this.table.has(node.id) || this.table.get(stalest.id) !== stalest) continue
      if (stalest.seen === this.tick) continue
      // recently seen and long-lived: a stable node is worth more than a new one
      if (this.tick - stalest.seen < RECENT_NODE && this.tick - stalest.added > OLD_NODE) continue
      this.repingAndSwap(node, stalest)
    }
  }

  private repingAndSwap (node: NodeInit, stalest: NodeEntry): void {
    const lastSeen = stalest.seen
    this.repinging++
    const done = (alive: boolean): void => {
      this.repinging--
      if (!alive && !this.destroyed) {
        this.removeNode(stalest)
        this.insertNode(node)
      }
      this.repingMaybe()
    }
    this.ping(stalest).then(() => done(stalest.seen > lastSeen), () => done(false))
  }

  private pingSome (): void {
    let count = this.io.inflightRequests > 2 ? 3 : 5
    const oldest = this.table.oldest(count)
    if (oldest.length === 0) {
      this.refresh() // a tiny network: ask the bootstrap nodes again
      return
    }
    if (this.tick - oldest[0]!.seen < RECENT_NODE) count = 2
    for (const node of oldest.slice(0, count)) {
      if (node.seen === this.tick) continue
      const lastSeen = node.seen
      this.ping(node).then(
        () => { if (node.seen <= lastSeen) this.removeNode(node) }, // it answered without a valid id
        () => this.removeNode(node)
      )
    }
  }

  private pingSomeBootstrapNodes (): void {
    this.pingBootstrapTicks = REFRESH_TICKS
    const nearest = this.table.closest(PING_BOOTSTRAP, 1)
    if (nearest.length === 0 || compareDistance(PING_BOOTSTRAP, this.table.id, nearest[0]!.id) > 0) return
    const query = this.backgroundQuery(PING_BOOTSTRAP)
    query.on('close', () => {
      const replies = query.closestReplies
      if (replies.length === 0 || this.destroyed) return
      if (compareDistance(PING_BOOTSTRAP, this.table.id, replies[replies.length - 1]!.id!) > 0) return
      this.resolveBootstrapNodes().then((nodes) => {
        if (nodes.length === 0 || this.destroyed) return
        const node = nodes[Math.floor(this.random.next() * nodes.length)]!
        this.ping(node).catch(noop)
      }, noop)
    })
  }

  private ontick (): void {
    this.tokens.rotate()
    const now = this.clock.now()
    if (now - this.lastTick > SLEEP_MS) this.onwakeup()
    else this.tick++
    this.lastTick = now

    if (!this.bootstrapped || this.destroyed) return
    if (this.adaptive && this.ephemeral && --this.persistentTicks <= 0) this.tryPersistent().catch(noop)
    if ((this.tick & (PING_SOME_EVERY - 1)) === 0) this.pingSome()
    if (!this.ephemeral && --this.pingBootstrapTicks <= 0) this.pingSomeBootstrapNodes()
    if (((this.tick & 63) === 0 && this.table.size < this.table.k) || --this.refreshTicks <= 0) this.refresh()
  }

  private onwakeup (): void {
    this.tick += 2 * OLD_NODE // everything looks old now
    this.tick += PING_SOME_EVERY - (this.tick & (PING_SOME_EVERY - 1)) - 2 // pings start in two ticks
    this.persistentTicks = MORE_PERSISTENT_TICKS
    this.pingBootstrapTicks = REFRESH_TICKS
    this.refreshTicks = 1
    if (this.adaptive && !this.ephemeral) {
      this.ephemeral = true
      this.emit('ephemeral')
    }
    this.emit('wakeup')
    this.emit('wake-up')
  }

  private async tryPersistent (): Promise<boolean> {
    if (!this.ephemeral || this.destroyed) return false
    // one sample is enough here: the ping_nat check below confirms reachability
    const addr = this.remoteAddress(1)
    if ((addr.type !== NAT_PORT_CONSISTENT && addr.type !== NAT_OPEN) || addr.host === null) {
      this.persistentTicks = MORE_PERSISTENT_TICKS
      return false
    }
    if (await this.isFirewalled()) return false
    if (!this.ephemeral || this.destroyed) return false
    const id = this.intern.id(addr.host, addr.port)
    if (equalIds(this.table.id, id)) return false
    this.table = this.table.rekey(id).table
    this.ephemeral = false
    this.emit('persistent')
    return true
  }

  private async isFirewalled (): Promise<boolean> {
    const nodes: Peer[] = []
    for (const node of [...this.table.stalest()].reverse()) { // most recently seen first
      if (nodes.length === FIREWALL_CHECK_NODES) break
      nodes.push(node)
    }
    if (nodes.length < FIREWALL_CHECK_NODES) nodes.push(...await this.resolveBootstrapNodes())
    if (nodes.length === 0) return true
    try {
      await this.requestAll(null, 'ping_nat', null, nodes, { min: nodes.length >= FIREWALL_CHECK_NODES ? 3 : 1, max: 3 })
      return false
    } catch {
      return true
    }
  }

  // a name that does not resolve is told once, not at every lookup that needs the bootstrap
  // nodes, and again only if it resolved in between
  private async resolveBootstrapNodes (): Promise<ResolvedNode[]> {
    const failed = new Set<string>()
    const nodes = await resolveBootstrap(this.bootstrapNodes, (err, node) => {
      failed.add(node.host)
      if (!this.unresolvedBootstrap.has(node.host)) this.emit('warning', err)
    })
    this.unresolvedBootstrap = failed
    return nodes
  }

  // what sends, binds or changes the table fails alike once the node is destroyed
  private assertOpen (): void {
    if (this.destroyed) throw IOError.DESTROYED()
  }

  private randomOffset (n: number): number {
    return n - Math.floor(this.random.next() * 0.5 * n)
  }
}

// Its id is one the intern handed out: a Buffer of its own, for an entry lives for minutes to
// hours, and a view into a datagram or into Node's buffer pool would keep all of it alive.
type NodeInit = Pick<NodeEntry, 'id' | 'host' | 'port' | 'to'>

function createNodeEntry (node: NodeInit, tick: number): NodeEntry {
  return { id: node.id, host: node.host, port: node.port, to: node.to, added: tick, seen: tick, prev: null, next: null }
}

// a copy of a 32-byte id in memory of its own (see NodeInit)
function ownId (id: Uint8Array): Buffer {
  const copy = Buffer.alloc(32)
  copy.set(id)
  return copy
}

/** True when two ids hold the same bytes. */
function equalIds (a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false
  return true
}

// ends a bootstrap lookup that has done its job: one error for all, with no stack to capture
const ENDED_EARLY = new Error('The bootstrap lookup ended early')

function noop (): void {}
