// The routing table's upkeep: a tick every 5 s that pings the stalest entries, refreshes the
// table with a lookup when the node has been idle, pings the bootstrap nodes from the nodes
// closest to a known id, lets an adaptive node try to go persistent, and notices when the
// machine slept. It stops while the node is suspended and starts again, aged, on resume.
// Every countdown lives here and changes only through the methods below, so what resets one
// is named where it happens.

import { isIOError } from '@dht/io'
import type { Clock, Random, TimerHandle } from '@dht/io'
import { compareDistance } from '@dht/table'
import type { Peer } from '@dht/wire'
import sodium from 'sodium-native'
import {
  MAX_REPINGS, MAX_REPING_QUEUE, MORE_PERSISTENT_TICKS, OLD_NODE, PERSISTENT_TICKS, PING_SOME_EVERY, RECENT_NODE,
  REFRESH_TICKS, SLEEP_MS, TICK_MS
} from './constants.js'
import type { NodeEntry } from './types.js'
import type { NodeState } from './node-state.js'

/** A node to add to the table: an entry before the table stamps it. */
export type NodeInit = Pick<NodeEntry, 'id' | 'host' | 'port' | 'to'>

/** What the upkeep needs from its node. */
export interface UpkeepHost {
  readonly clock: Clock
  readonly random: Random
  /** The node decides by itself when to go persistent. */
  readonly adaptive: boolean
  /** The node's table and flags, read as they are now. */
  readonly state: NodeState
  /** Requests in flight on the node's socket. */
  inflightRequests (): number
  ping (node: Peer): Promise<unknown>
  /** A background find_node lookup of a random id near the node's (refresh()). */
  refresh (): void
  /** A background find_node lookup of `target`; `onclose` sees the replies closest to it. */
  lookup (target: Uint8Array, onclose: (closest: ReadonlyArray<{ id: Uint8Array | null }>) => void): void
  resolveBootstrapNodes (): Promise<Peer[]>
  /** Tries to leave ephemeral mode; calls {@link Upkeep.deferPersistent} when it cannot yet. */
  tryPersistent (): void
  insertNode (node: NodeInit): void
  removeNode (node: NodeEntry): void
  /** The machine slept: the node's own part (an adaptive node goes back to ephemeral, events). */
  wokeUp (): void
  /** A tick's other periodic work (the round-trip tokens rotate, the network interfaces are read). */
  ticked (): void
}

// Known id whose closest nodes now and then ping the bootstrap nodes, which are otherwise
// ephemeral and unseen by the network (the same id as dht-rpc: BLAKE2b-256('ping bootstrap')).
const PING_BOOTSTRAP = Buffer.allocUnsafe(32)
sodium.crypto_generichash(PING_BOOTSTRAP, Buffer.from('ping bootstrap'))

/** The tick, its countdowns, and the pings that keep a routing table alive. */
export class Upkeep {
  readonly #host: UpkeepHost
  // ticks since start: table entries record when they were added and last seen in ticks
  #tick: number
  // countdowns in ticks, each started at a random offset so that nodes started together
  // do not act in step
  #refreshIn: number
  #pingBootstrapIn: number
  #persistentIn: number
  #lastTick: number
  // null while stopped (suspended or destroyed)
  #timer: TimerHandle | null
  // full buckets' stalest entries to ping, each with the node that replaces it if it is gone
  readonly #repingQueue: Array<{ node: NodeInit, stalest: NodeEntry }> = []
  #repinging = 0

  constructor (host: UpkeepHost) {
    this.#host = host
    this.#tick = this.#randomOffset(100)
    this.#refreshIn = this.#randomOffset(REFRESH_TICKS)
    this.#pingBootstrapIn = this.#randomOffset(REFRESH_TICKS)
    this.#persistentIn = host.adaptive ? PERSISTENT_TICKS : 0
    this.#lastTick = host.clock.now()
    this.#timer = host.clock.setInterval(() => this.#ontick(), TICK_MS)
  }

  /** The current tick, for the table's added/seen stamps. */
  get tick (): number {
    return this.#tick
  }

  /** A lookup ran: the table was just refreshed, so the idle refresh waits a full period. */
  lookedUp (): void {
    this.#refreshIn = REFRESH_TICKS
  }

  /** An ephemeral node asked us, likely sent our way by a bootstrap node: no need to ping them soon. */
  askedByEphemeral (): void {
    this.#pingBootstrapIn = REFRESH_TICKS
  }

  /** Going persistent failed (NAT or firewall): try again after a longer wait. */
  deferPersistent (): void {
    this.#persistentIn = MORE_PERSISTENT_TICKS
  }

  /**
   * `node` found its bucket full: ping the bucket's stalest entry, and swap `node` in if it
   * does not answer (a bounded queue, a few pings at once).
   */
  offer (node: NodeInit, stalest: NodeEntry): void {
    if (this.#timer === null || this.#repingQueue.length >= MAX_REPING_QUEUE) return
    this.#repingQueue.push({ node, stalest })
    this.#repingMaybe()
  }

  /** Stops the tick. */
  stop (): void {
    if (this.#timer !== null) this.#host.clock.clearInterval(this.#timer)
    this.#timer = null
  }

  /** Stops the tick and forgets the pings it meant to send, until {@link resume}. */
  suspend (): void {
    this.stop()
    this.#repingQueue.length = 0
  }

  /**
   * Starts the tick again after {@link suspend}. The time suspended is not a sleep, but the
   * table has aged as much: everything looks old, the stalest entries are pinged soon and the
   * table is refreshed at the next tick, as after a wake-up.
   */
  resume (): void {
    if (this.#timer !== null) return
    this.#lastTick = this.#host.clock.now()
    this.#timer = this.#host.clock.setInterval(() => this.#ontick(), TICK_MS)
    this.#age()
  }

  // one tick of upkeep, every 5 s
  #ontick (): void {
    const host = this.#host
    host.ticked()
    const now = host.clock.now()
    if (now - this.#lastTick > SLEEP_MS) this.#onwakeup()
    else this.#tick++
    this.#lastTick = now

    if (!host.state.bootstrapped || host.state.destroyed) return
    if (host.adaptive && host.state.ephemeral && --this.#persistentIn <= 0) host.tryPersistent()
    if ((this.#tick & (PING_SOME_EVERY - 1)) === 0) this.#pingSome()
    if (!host.state.ephemeral && --this.#pingBootstrapIn <= 0) this.#pingSomeBootstrapNodes()
    if (((this.#tick & 63) === 0 && host.state.table.size < host.state.table.k) || --this.#refreshIn <= 0) host.refresh()
  }

  #onwakeup (): void {
    this.#age()
    this.#host.wokeUp()
  }

  // time passed unseen: the table's entries and the node's address may be out of date
  #age (): void {
    this.#tick += 2 * OLD_NODE // everything looks old now
    this.#tick += PING_SOME_EVERY - (this.#tick & (PING_SOME_EVERY - 1)) - 2 // pings start in two ticks
    this.#persistentIn = MORE_PERSISTENT_TICKS
    this.#pingBootstrapIn = REFRESH_TICKS
    this.#refreshIn = 1
  }

  // The stalest entries are pinged, and dropped when they do not answer (or answer without a
  // valid id); a table that is empty asks the bootstrap nodes again.
  #pingSome (): void {
    const host = this.#host
    let count = host.inflightRequests() > 2 ? 3 : 5
    const oldest = host.state.table.oldest(count)
    if (oldest.length === 0) {
      host.refresh()
      return
    }
    if (this.#tick - oldest[0]!.seen < RECENT_NODE) count = 2
    for (const node of oldest.slice(0, count)) {
      if (node.seen === this.#tick) continue
      const lastSeen = node.seen
      host.ping(node).then(
        () => { if (node.seen <= lastSeen) host.removeNode(node) },
        (err: unknown) => { if (!cutShort(err)) host.removeNode(node) }
      )
    }
  }

  // A persistent node among the closest to PING_BOOTSTRAP looks it up, and if it is still
  // among the closest then, pings one bootstrap node: so bootstrap nodes see traffic from the
  // network and stay reachable through their NATs.
  #pingSomeBootstrapNodes (): void {
    const host = this.#host
    this.#pingBootstrapIn = REFRESH_TICKS
    const nearest = host.state.table.closest(PING_BOOTSTRAP, 1)
    if (nearest.length === 0 || compareDistance(PING_BOOTSTRAP, host.state.table.id, nearest[0]!.id) > 0) return
    host.lookup(PING_BOOTSTRAP, (replies) => {
      if (replies.length === 0 || host.state.destroyed) return
      if (compareDistance(PING_BOOTSTRAP, host.state.table.id, replies[replies.length - 1]!.id!) > 0) return
      host.resolveBootstrapNodes().then((nodes) => {
        if (nodes.length === 0 || host.state.destroyed) return
        const node = nodes[Math.floor(host.random.next() * nodes.length)]!
        host.ping(node).catch(noop)
      }, noop)
    })
  }

  #repingMaybe (): void {
    const host = this.#host
    while (this.#repinging < MAX_REPINGS && this.#repingQueue.length > 0) {
      const { node, stalest } = this.#repingQueue.shift()!
      if (host.state.table.has(node.id) || host.state.table.get(stalest.id) !== stalest) continue
      if (stalest.seen === this.#tick) continue
      // recently seen and long-lived: a stable node is worth more than a new one
      if (this.#tick - stalest.seen < RECENT_NODE && this.#tick - stalest.added > OLD_NODE) continue
      this.#repingAndSwap(node, stalest)
    }
  }

  #repingAndSwap (node: NodeInit, stalest: NodeEntry): void {
    const host = this.#host
    const lastSeen = stalest.seen
    this.#repinging++
    const done = (alive: boolean): void => {
      this.#repinging--
      if (!alive && !host.state.destroyed) {
        host.removeNode(stalest)
        host.insertNode(node)
      }
      this.#repingMaybe()
    }
    host.ping(stalest).then(() => done(stalest.seen > lastSeen), (err: unknown) => done(cutShort(err)))
  }

  #randomOffset (n: number): number {
    return n - Math.floor(this.#host.random.next() * 0.5 * n)
  }
}

// A ping that suspend() cut short says nothing about the node: it stays in the table.
function cutShort (err: unknown): boolean {
  return isIOError(err, 'SUSPENDED')
}

function noop (): void {}
