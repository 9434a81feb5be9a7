// What each part of a node may see and do (the hosts of inbox.ts, join.ts, upkeep.ts,
// suspend.ts, network-change.ts and @dht/query), as small classes over the node's core.
// Classes, not object literals of closures: their methods live once on the prototype, so a
// host costs every node one small object (a simulation runs 100,000 nodes in one process),
// and an object literal with a getter is kept by V8 as a dictionary, several times larger.

import { IOError } from '@dht/io'
import type { Clock, IncomingRequest, Random, RequestHandlers, RequestMessage, RequestOptions as IORequestOptions, Tokens, UdpSocket } from '@dht/io'
import type { QueryHost, QueryNode, QueryRequest } from '@dht/query'
import type { Peer } from '@dht/wire'
import type { BootstrapNode } from './bootstrap-nodes.js'
import type { InboxHost } from './inbox.js'
import { tryPersistent } from './join.js'
import type { JoinHost } from './join.js'
import { ownId } from './ids.js'
import type { NetworkChange, NetworkWatchHost } from './network-change.js'
import type { NodeCore } from './node-core.js'
import type { NodeState } from './node-state.js'
import { DHTRequest } from './request.js'
import type { SelfAddress } from './self-address.js'
import type { SuspendHost } from './suspend.js'
import type { NodeInit, UpkeepHost } from './upkeep.js'
import type { DHTQuery, NodeEntry } from './types.js'

/** What taking in messages may see and do (see inbox.ts). */
export class NodeInboxHost implements InboxHost {
  readonly #core: NodeCore
  constructor (core: NodeCore) { this.#core = core }
  get state (): NodeState { return this.#core.state }
  get tokens (): Tokens { return this.#core.tokens }
  get selfAddress (): SelfAddress { return this.#core.selfAddress }
  tick (): number { return this.#core.upkeep.tick }
  nodeId (host: string, port: number): Uint8Array { return this.#core.intern.id(host, port) }
  insertNode (node: NodeInit): void { this.#core.insertNode(node) }
  askedByEphemeral (): void { this.#core.upkeep.askedByEphemeral() }
  openSocket (): UdpSocket { return this.#core.io.openSocket() }
  sendReply (req: IncomingRequest, status: number, value: Uint8Array | null, target: Uint8Array | null, token: boolean, socket?: UdpSocket): void {
    this.#core.sendReply(req, status, value, target, token, socket)
  }

  emitRequest (req: IncomingRequest): boolean { return this.#core.dht.emit('request', new DHTRequest(this.#core, req)) }
}

/** What joining the network may see and do (see join.ts). */
export class NodeJoinHost implements JoinHost {
  readonly #core: NodeCore
  readonly bootstrapNodes: readonly BootstrapNode[]
  constructor (core: NodeCore, bootstrapNodes: readonly BootstrapNode[]) {
    this.#core = core
    this.bootstrapNodes = bootstrapNodes
  }

  get state (): NodeState { return this.#core.state }
  get selfAddress (): SelfAddress { return this.#core.selfAddress }
  concurrency (): number { return this.#core.lookups.width }
  resumed (): Promise<void> { return this.#core.suspension.resumed() }
  lookup (target: Uint8Array, width: number, onreply?: () => void): DHTQuery<never> {
    return this.#core.lookups.background(target, this.#core.refusal(), width, onreply)
  }

  resolveBootstrapNodes (): Promise<Peer[]> { return this.#core.bootstrapResolver.resolve() }
  pingNat (nodes: Peer[], min: number): Promise<unknown> {
    return this.#core.dht.requestAll(null, 'ping_nat', null, nodes, { min, max: 3 })
  }

  becomePersistent (id: Uint8Array): void {
    const state = this.#core.state
    state.table = state.table.rekey(ownId(id)).table
    state.ephemeral = false
    this.#core.dht.emit('persistent')
  }

  deferPersistent (): void { this.#core.upkeep.deferPersistent() }
  async becomeReady (): Promise<void> {
    const core = this.#core
    core.state.bootstrapped = true
    core.selfAddress.settle(true)
    await core.io.bind()
    if (core.state.destroyed) throw IOError.DESTROYED()
    core.dht.emit('ready')
    core.dht.emit('bootstrap')
  }

  warn (err: Error): void { this.#core.dht.emit('warning', err) }
}

/** What the routing table's upkeep may see and do (see upkeep.ts). */
export class NodeUpkeepHost implements UpkeepHost {
  readonly #core: NodeCore
  constructor (core: NodeCore) { this.#core = core }
  get state (): NodeState { return this.#core.state }
  get clock (): Clock { return this.#core.clock }
  get random (): Random { return this.#core.random }
  get adaptive (): boolean { return this.#core.dht.adaptive }
  inflightRequests (): number { return this.#core.io.inflightRequests }
  ping (node: Peer): Promise<unknown> { return this.#core.dht.ping(node) }
  refresh (): void { this.#core.dht.refresh() }
  lookup (target: Uint8Array, onclose: (closest: ReadonlyArray<{ id: Uint8Array | null }>) => void): void {
    const query = this.#core.lookups.background(target, this.#core.refusal())
    query.on('close', () => onclose(query.closestReplies))
  }

  resolveBootstrapNodes (): Promise<Peer[]> { return this.#core.bootstrapResolver.resolve() }
  tryPersistent (): void { tryPersistent(this.#core.joining).catch(noop) }
  insertNode (node: NodeInit): void { this.#core.insertNode(node) }
  removeNode (node: NodeEntry): void { this.#core.removeNode(node) }
  wokeUp (): void { this.#core.wokeUp() }
  ticked (): void { this.#core.ticked() }
}

/** What suspending and resuming may see and do (see suspend.ts). */
export class NodeSuspendHost implements SuspendHost {
  readonly #core: NodeCore
  constructor (core: NodeCore) { this.#core = core }
  get state (): NodeState { return this.#core.state }
  get requestTimeout (): number { return this.#core.io.timeout }
  checkWidth (): number { return this.#core.lookups.width }
  stop (): void {
    const core = this.#core
    core.upkeep.suspend()
    core.lookups.stopAll(IOError.SUSPENDED()) // their requests give their window room back
    core.io.suspend() // fails the other requests
  }

  start (): void {
    const core = this.#core
    core.io.resume()
    core.upkeep.resume()
    core.forgetOwnAddress()
    core.proveAgain()
  }

  ping (node: Peer, timeout: number): Promise<{ id: Uint8Array | null }> { return this.#core.dht.ping(node, { timeout }) }
  removeNode (node: NodeEntry): void { this.#core.removeNode(node) }
  bootstrap (): Promise<void> {
    return this.#core.dht.query<never>(this.#core.state.table.id, 'find_node', null, { map: () => null }).finished().catch(noop)
  }

  emit (event: 'suspend' | 'resume'): void { this.#core.dht.emit(event) }
}

/** What watching the network may see and do (see network-change.ts). */
export class NodeNetworkHost implements NetworkWatchHost {
  readonly #core: NodeCore
  constructor (core: NodeCore) { this.#core = core }
  get state (): NodeState { return this.#core.state }
  changed (change: NetworkChange): void { this.#core.networkChanged(change) }
  warn (err: Error): void { this.#core.dht.emit('warning', err) }
}

/** What the lookups may see and do (see @dht/query's QueryHost). */
export class NodeQueryHost implements QueryHost {
  readonly #core: NodeCore
  constructor (core: NodeCore) { this.#core = core }
  get id (): Uint8Array { return this.#core.state.table.id }
  get requestId (): Uint8Array | null { return this.#core.state.ephemeral ? null : this.#core.state.table.id }
  get clock (): Clock { return this.#core.clock }
  closest (target: Uint8Array, n: number): readonly QueryNode[] { return this.#core.state.table.closest(target, n) }
  bootstrapNodes (): Promise<readonly QueryNode[]> { return this.#core.bootstrapResolver.resolve() }
  send (m: RequestMessage, opts: IORequestOptions | undefined, handlers: RequestHandlers): QueryRequest { return this.#core.io.send(m, opts, handlers) }
  roundTrip (peer: Peer): number | null { return this.#core.io.roundTrip(peer) }
  nodeId (host: string, port: number): Uint8Array { return this.#core.intern.id(host, port) }
  defer (fn: () => void): void { this.#core.clock.setTimeout(fn, 0) }
}

function noop (): void {}
