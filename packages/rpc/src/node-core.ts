// The parts of a DHT node and how they are wired: the IO, the routing table (in NodeState),
// the inbox, joining, the upkeep, suspending, the network watch and the lookups, each given
// a host that says what it may see and do (node-hosts.ts), and what the node does when they
// report. DHT (dht.ts) is the public side over this; this class is not exported.

import { IO, IOError, Tokens, randomBytes, systemClock, systemRandom } from '@dht/io'
import type { Clock, IncomingRequest, Random, UdpSocket } from '@dht/io'
import { RoutingTable } from '@dht/table'
import { Intern, ParsedPeer } from '@dht/wire'
import type { Peer } from '@dht/wire'
import { BootstrapResolver } from './bootstrap-nodes.js'
import type { BootstrapNode } from './bootstrap-nodes.js'
import type { DHT } from './dht.js'
import { Health } from './health.js'
import { ownId } from './ids.js'
import { BUILT_IN_COMMANDS, Inbox } from './inbox.js'
import { join } from './join.js'
import type { JoinHost } from './join.js'
import { Lookups } from './lookups.js'
import { NetworkWatch } from './network-change.js'
import type { NetworkChange } from './network-change.js'
import { NodeInboxHost, NodeJoinHost, NodeNetworkHost, NodeQueryHost, NodeSuspendHost, NodeUpkeepHost } from './node-hosts.js'
import { NodeState } from './node-state.js'
import type { Replier } from './request.js'
import { SelfAddress } from './self-address.js'
import { Suspension } from './suspend.js'
import { Upkeep } from './upkeep.js'
import type { NodeInit } from './upkeep.js'
import type { DHTOptions, NodeEntry } from './types.js'

/** The parts of one node, made and wired together; `dht` is told what happens (its events). */
export class NodeCore implements Replier {
  readonly state: NodeState
  readonly clock: Clock
  readonly random: Random
  readonly intern: Intern
  readonly io: IO
  readonly selfAddress = new SelfAddress((to, from) => this.network.sample(to, from))
  readonly lookups: Lookups
  readonly upkeep: Upkeep
  readonly suspension: Suspension
  readonly health = new Health()
  readonly bootstrapResolver: BootstrapResolver
  readonly dht: DHT
  readonly tokens: Tokens
  readonly joining: JoinHost
  private readonly inbox: Inbox
  private readonly network: NetworkWatch

  constructor (dht: DHT, opts: DHTOptions, bootstrapNodes: readonly BootstrapNode[]) {
    this.dht = dht
    this.clock = opts.clock ?? systemClock
    this.random = opts.random ?? systemRandom
    this.bootstrapResolver = new BootstrapResolver(bootstrapNodes, (err) => dht.emit('warning', err))
    this.intern = opts.intern ?? new Intern()
    this.state = new NodeState(new RoutingTable<NodeEntry>(ownId(randomBytes(this.random, 32)), { create: createNodeEntry }))
    this.tokens = new Tokens(this.random)
    this.inbox = new Inbox(new NodeInboxHost(this))
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
      onwarning: (err) => dht.emit('warning', err)
    })
    this.io.socket.on('listening', () => dht.emit('listening'))
    // counted first, so made-up commands from peers never push them out of the counters
    for (const command of BUILT_IN_COMMANDS) this.io.stats.command(command)

    this.upkeep = new Upkeep(new NodeUpkeepHost(this))
    this.suspension = new Suspension(new NodeSuspendHost(this))
    this.lookups = new Lookups(new NodeQueryHost(this), dht, {
      budget: this.io.maxWindow,
      max: opts.concurrency ?? this.state.table.k,
      inflightRequests: () => this.io.inflightRequests,
      started: () => this.upkeep.lookedUp()
    })
    this.network = new NetworkWatch(opts.networkInterfaces, new NodeNetworkHost(this))
    this.joining = new NodeJoinHost(this, bootstrapNodes)
  }

  /** Joins the network (see join.ts); resolves when the node is ready. */
  join (forcePersistent: boolean): Promise<void> {
    return join(this.joining, forcePersistent)
  }

  /** What a lookup started now ends with at once: nothing while the node runs. */
  refusal (): Error | null {
    if (this.state.destroyed) return IOError.DESTROYED()
    return this.suspension.suspended ? IOError.SUSPENDED() : null
  }

  insertNode (node: NodeInit): void {
    const result = this.state.table.add(node, this.upkeep.tick)
    if (result.type === 'added') this.dht.emit('add-node', result.entry)
    else if (result.type === 'full' && this.state.bootstrapped) this.upkeep.offer(node, result.stalest)
  }

  /** Sends a reply to a request from the node's socket (or another one, without id). */
  sendReply (req: IncomingRequest, status: number, value: Uint8Array | null, target: Uint8Array | null, token: boolean, socket: UdpSocket = this.io.socket): void {
    const ephemeral = this.state.ephemeral || socket !== this.io.socket
    this.io.reply(req, {
      id: ephemeral ? null : this.state.table.id,
      token: !ephemeral && token ? this.tokens.create(req.from.host, req.from.port) : null,
      closerNodes: target !== null ? this.state.table.closest(target) : null,
      status,
      value
    }, socket)
  }

  /** Stops the timers, fails the lookups and requests in flight, closes the sockets. */
  async destroy (): Promise<void> {
    this.state.destroyed = true
    this.upkeep.stop()
    this.suspension.close()
    this.selfAddress.settle(false)
    this.lookups.stopAll(IOError.DESTROYED())
    await this.io.destroy()
  }

  removeNode (node: NodeEntry): void {
    const table = this.state.table
    if (table.get(node.id) !== node) return
    table.remove(node.id)
    this.dht.emit('remove-node', node)
  }

  /** A tick's other periodic work: the round-trip tokens rotate, the network interfaces are read, the health is checked. */
  ticked (): void {
    this.tokens.rotate()
    this.network.poll()
    this.checkHealth()
  }

  /** The machine slept (see upkeep.ts). */
  wokeUp (): void {
    this.proveAgain()
    this.dht.emit('wakeup')
    this.dht.emit('wake-up')
  }

  // once a tick: the requests that ended since the last, and how many timed out
  private checkHealth (): void {
    const previous = this.health.state
    const { repliesReceived, timeouts } = this.io.stats
    const state = this.health.updateTotals(repliesReceived + timeouts, timeouts)
    if (state !== null) this.dht.emit('health', state, previous)
  }

  /**
   * After a sleep, a suspension or a network change the node's address and NAT may have
   * changed: an adaptive node proves itself again before it is persistent.
   */
  proveAgain (): void {
    if (this.dht.adaptive && !this.state.ephemeral) {
      this.state.ephemeral = true
      this.dht.emit('ephemeral')
    }
  }

  /**
   * The network under the node changed (see network-change.ts): what it learned of its
   * address no longer holds, so it learns it again from scratch, every table node's next
   * message counting as a sample again; an adaptive node proves itself again before it is
   * persistent, as after a wake-up; and a refresh brings in replies from where it is now.
   */
  networkChanged (change: NetworkChange): void {
    this.forgetOwnAddress()
    if (this.dht.adaptive) this.upkeep.deferPersistent()
    this.proveAgain()
    this.dht.refresh()
    this.dht.emit('network-change', change)
  }

  /**
   * What the node learned of its own address no longer holds: it learns it again from the
   * next messages. A known node samples our address only when it sees us somewhere new, so
   * where each saw us is forgotten too.
   */
  forgetOwnAddress (): void {
    this.selfAddress.reset()
    for (const node of this.state.table.toArray()) node.to = null
  }
}

// An entry's id is one the intern handed out, or our own copy: a Buffer of its own, for an
// entry lives for minutes to hours, and a view into a datagram or into Node's buffer pool
// would keep all of it alive. An entry is a ParsedPeer of @dht/wire: it is named in every
// reply it is among the closest for, and the encoder writes the host it parsed once here.
class RoutingEntry extends ParsedPeer implements NodeEntry {
  readonly id: Uint8Array
  to: Peer | null
  readonly added: number
  readonly seen: number
  readonly prev: NodeEntry | null = null
  readonly next: NodeEntry | null = null

  constructor (node: NodeInit, tick: number) {
    super(node.host, node.port)
    this.id = node.id
    this.to = node.to
    this.added = tick
    this.seen = tick
  }
}

function createNodeEntry (node: NodeInit, tick: number): NodeEntry {
  return new RoutingEntry(node, tick)
}
