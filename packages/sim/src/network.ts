import type { Random } from '@dht/io'
import { CopySlab, Delivery } from './delivery.js'
import { SimHost } from './host.js'
import { ManualClock } from './manual-clock.js'
import { NatRouter } from './nat-router.js'
import type { NatOptions } from './nat-router.js'
import { FIRST_PUBLIC_ADDRESS, formatIPv4, ownerOf, placeOf } from './partition.js'
import type { RemoteDatagram, SimPartition } from './partition.js'
import { SeededRandom } from './seeded-random.js'

/** The one-way delays of a network, from the nearest hosts to the farthest. */
export interface LatencyRange {
  /** One-way delay between two hosts at the same place, in ms. @default 5 */
  min: number
  /** One-way delay between the two farthest hosts, in ms. @default 150 */
  max: number
}

/** The delay and loss of one link, set with {@link SimNetwork.setLink}. */
export interface LinkOptions {
  /** One-way delay in ms, both ways. */
  latency?: number
  /** Probability that a datagram is lost, 0 to 1. */
  loss?: number
}

/** The options of a {@link SimNetwork}, all optional. */
export interface SimNetworkOptions {
  /** The clock that carries every datagram; run it to move the network. @default a new ManualClock */
  clock?: ManualClock
  /** Placement, loss, jitter and random ports. @default new SeededRandom(1) */
  random?: Random
  /** Hosts sit at random places on a plane; a datagram's delay grows with the distance. */
  latency?: Partial<LatencyRange>
  /** Extra delay of each datagram, uniform in [0, jitter) ms. @default 0 */
  jitter?: number
  /** Probability that any datagram is lost, 0 to 1. @default 0 */
  loss?: number
  /**
   * Makes this network one share of a network split over several threads (see
   * {@link SimNetwork.takeOutbound}). Hosts then sit where their address puts them, not where
   * `random` does. @default the whole network
   */
  partition?: SimPartition
}

/** Counters of what the network carried. */
export interface SimNetworkStats {
  /** Datagrams handed to the network. */
  sent: number
  /** Datagrams that reached a socket. */
  delivered: number
  /** Lost on the way (the loss settings). */
  lost: number
  /** Sent to an address nobody has. */
  unroutable: number
  /** Reached a host or router but no socket: a closed port, no NAT mapping, or a firewall. */
  dropped: number
  /** Bytes of the datagrams handed to the network. */
  bytes: number
}

type Edge = SimHost | NatRouter

/**
 * An in-memory IPv4 network for simulations: public hosts, NAT routers with hosts behind
 * them, per-link latency and loss. Every datagram is a timer on one {@link ManualClock},
 * so a whole network runs in one process, repeatably, as fast as the CPU allows; run the
 * clock (`clock.run(ms)`, `clock.runUntil(promise)`) to move it.
 *
 * @example
 * ```ts
 * const net = new SimNetwork()
 * const a = new DHT({ createSocket: net.addHost().createSocket, clock: net.clock, random: net.random, bootstrap: false })
 * ```
 */
export class SimNetwork {
  /** The clock that carries every datagram: run it to move the network. */
  readonly clock: ManualClock
  /** The randomness of placement, loss, jitter and ports. */
  readonly random: Random
  /** Datagrams and bytes carried so far. */
  readonly stats: SimNetworkStats = { sent: 0, delivered: 0, lost: 0, unroutable: 0, dropped: 0, bytes: 0 }
  private readonly latency: LatencyRange
  private readonly jitter: number
  private readonly loss: number
  private readonly edges = new Map<string, Edge>()
  private readonly links = new Map<string, LinkOptions>()
  private nextAddress = FIRST_PUBLIC_ADDRESS
  private readonly partition: SimPartition | null
  private outbound: RemoteDatagram[] = []
  private readonly copies = new CopySlab()

  constructor (opts: SimNetworkOptions = {}) {
    this.clock = opts.clock ?? new ManualClock()
    this.random = opts.random ?? new SeededRandom(1)
    this.latency = { min: opts.latency?.min ?? 5, max: opts.latency?.max ?? 150 }
    this.jitter = opts.jitter ?? 0
    this.loss = opts.loss ?? 0
    if (!(this.latency.min >= 0 && this.latency.max >= this.latency.min)) throw new RangeError(`latency must have 0 <= min <= max, got ${this.latency.min}..${this.latency.max}`)
    assertProbability(this.loss, 'loss')
    if (!(this.jitter >= 0)) throw new RangeError(`jitter must be >= 0, got ${this.jitter}`)
    this.partition = opts.partition === undefined ? null : checkPartition(opts.partition)
    if (this.partition !== null) this.nextAddress += this.partition.index
  }

  /**
   * The least delay of any datagram between two hosts, in ms: partitions may run this far
   * apart, since nothing one sends can reach another sooner.
   */
  get lookahead (): number {
    let least = this.latency.min
    for (const link of this.links.values()) if (link.latency !== undefined) least = Math.min(least, link.latency)
    return Math.max(1, Math.round(least))
  }

  /**
   * The datagrams sent, since the last call, to hosts of other partitions: hand each to
   * {@link receiveRemote} of the partition that owns its `toAddress`.
   */
  takeOutbound (): RemoteDatagram[] {
    const out = this.outbound
    this.outbound = []
    return out
  }

  /** Schedules datagrams from other partitions; none may be due before now. */
  receiveRemote (datagrams: readonly RemoteDatagram[]): void {
    const now = this.clock.now()
    for (const d of datagrams) {
      if (!(d.at >= now)) throw new RangeError(`a datagram due at ${d.at} ms arrived at ${now} ms: partitions ran too far apart`)
      const target = this.edges.get(d.toAddress)
      if (target === undefined) {
        this.stats.unroutable++
        continue
      }
      // the bytes where they are, as a local delivery hands over the copy the sender's
      // socket made: no second copy of every datagram that crosses partitions. The price is
      // that a view into a larger buffer (a step's batch) keeps all of it alive while the
      // receiver holds a part (a decoded id, a token).
      const m = d.message
      this.clock.enqueueTimer(new Delivery(this.clock, d.at, this.stats, target, m.buffer as ArrayBuffer, m.byteOffset, m.byteLength, d.fromAddress, d.fromPort, d.toPort))
    }
  }

  /** A new public host, at `address` or the next free public address. */
  addHost (address?: string): SimHost {
    const claimed = this.claim(address)
    const place = this.place(claimed)
    const host = new SimHost(this, claimed, null, place.x, place.y)
    this.edges.set(host.address, host)
    return host
  }

  /** A new NAT router with a public address; add hosts behind it with `router.addHost()`. */
  addRouter (opts: NatOptions = {}): NatRouter {
    const claimed = this.claim(opts.address)
    const place = this.place(claimed)
    const router = new NatRouter(this, claimed, opts, place.x, place.y)
    this.edges.set(router.address, router)
    return router
  }

  /** @internal Moves `router` to a new public address (see {@link NatRouter.renumber}); returns it. */
  readdress (router: NatRouter, address?: string): string {
    const claimed = this.claim(address)
    this.edges.delete(router.address)
    this.edges.set(claimed, router)
    return claimed
  }

  /** Sets the delay and loss between two public addresses (hosts or routers), both ways. */
  setLink (a: string, b: string, opts: LinkOptions): void {
    if (opts.loss !== undefined) assertProbability(opts.loss, 'loss')
    if (opts.latency !== undefined && !(opts.latency >= 0)) throw new RangeError(`latency must be >= 0, got ${opts.latency}`)
    const key = linkKey(a, b)
    this.links.set(key, { ...this.links.get(key), ...opts })
  }

  /** @internal Carries a datagram from a host's socket towards `toAddress:toPort`. */
  route (from: SimHost, fromPort: number, message: Uint8Array, toPort: number, toAddress: string): void {
    this.stats.sent++
    this.stats.bytes += message.byteLength
    let source: Edge = from
    let sourcePort = fromPort
    if (from.router !== null) {
      const mapped = from.router.mapOutbound(from, fromPort, toAddress, toPort)
      if (mapped === null) {
        this.stats.dropped++
        return
      }
      source = from.router
      sourcePort = mapped
    }
    const target = this.edges.get(toAddress)
    const remote = target === undefined && this.isRemote(toAddress)
    if (target === undefined && !remote) {
      this.stats.unroutable++
      return
    }
    const link = this.links.size > 0 ? this.links.get(linkKey(source.address, toAddress)) : undefined
    const loss = link?.loss ?? this.loss
    if (loss > 0 && this.random.next() < loss) {
      this.stats.lost++
      return
    }
    let delay = link?.latency ?? this.delay(source, target ?? placeOf(toAddress, this.partition!.placementSeed))
    if (this.jitter > 0) delay += this.random.next() * this.jitter
    const fromAddress = source.address
    // whole milliseconds: datagrams due at the same instant run as one batch of the clock
    const ms = Math.max(1, Math.round(delay))
    // the sender may change its buffer once send() returns, as with a real socket: a copy goes
    const offset = this.copies.copy(message)
    const bytes = this.copies.buffer
    if (target === undefined) {
      this.outbound.push({ at: this.clock.now() + ms, message: new Uint8Array(bytes, offset, message.byteLength), fromAddress, fromPort: sourcePort, toAddress, toPort })
      return
    }
    this.clock.enqueueTimer(new Delivery(this.clock, this.clock.now() + ms, this.stats, target, bytes, offset, message.byteLength, fromAddress, sourcePort, toPort))
  }

  // a public address another partition owns
  private isRemote (address: string): boolean {
    if (this.partition === null) return false
    const owner = ownerOf(address, this.partition.count)
    return owner !== -1 && owner !== this.partition.index
  }

  private place (address: string): { x: number, y: number } {
    if (this.partition !== null) return placeOf(address, this.partition.placementSeed)
    return { x: this.random.next(), y: this.random.next() }
  }

  private delay (a: { x: number, y: number }, b: { x: number, y: number }): number {
    const dx = a.x - b.x
    const dy = a.y - b.y
    return this.latency.min + (this.latency.max - this.latency.min) * Math.sqrt((dx * dx + dy * dy) / 2)
  }

  private claim (address: string | undefined): string {
    const step = this.partition?.count ?? 1
    if (address === undefined) {
      do {
        address = formatIPv4(this.nextAddress)
        this.nextAddress += step
      } while (this.edges.has(address))
    } else if (this.partition !== null && ownerOf(address, this.partition.count) !== this.partition.index) {
      throw new Error(`address ${address} is not one of partition ${this.partition.index}'s: its number counted from 20.0.0.1 must be ${this.partition.index} modulo ${this.partition.count}`)
    } else if (!/^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.test(address) || address.split('.').some((part) => Number(part) > 255)) {
      throw new TypeError(`address must be a dotted IPv4 address, got ${JSON.stringify(address)}`)
    }
    if (this.edges.has(address)) throw new Error(`address ${address} is already taken on this network`)
    return address
  }
}

function linkKey (a: string, b: string): string {
  return a < b ? `${a}|${b}` : `${b}|${a}`
}

function checkPartition (p: SimPartition): SimPartition {
  if (!Number.isInteger(p.count) || p.count < 1) throw new RangeError(`partition.count must be a positive integer, got ${p.count}`)
  if (!Number.isInteger(p.index) || p.index < 0 || p.index >= p.count) throw new RangeError(`partition.index must be an integer in [0, ${p.count}), got ${p.index}`)
  if (!Number.isInteger(p.placementSeed)) throw new RangeError(`partition.placementSeed must be an integer, got ${p.placementSeed}`)
  return { ...p }
}

function assertProbability (p: number, name: string): void {
  if (!(p >= 0 && p <= 1)) throw new RangeError(`${name} must be a probability between 0 and 1, got ${p}`)
}
