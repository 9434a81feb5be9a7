import type { Random } from '../random.js'
import { SimHost } from './host.js'
import { ManualClock } from './manual-clock.js'
import { NatRouter } from './nat-router.js'
import type { NatOptions } from './nat-router.js'
import { SeededRandom } from './seeded-random.js'

export interface LatencyRange {
  /** One-way delay between two hosts at the same place, in ms. @default 5 */
  min: number
  /** One-way delay between the two farthest hosts, in ms. @default 150 */
  max: number
}

export interface LinkOptions {
  /** One-way delay in ms, both ways. */
  latency?: number
  /** Probability that a datagram is lost, 0 to 1. */
  loss?: number
}

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

const FIRST_PUBLIC_ADDRESS = (20 << 24) + 1 // 20.0.0.1: simulated public hosts count up from here

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
  readonly clock: ManualClock
  readonly random: Random
  readonly stats: SimNetworkStats = { sent: 0, delivered: 0, lost: 0, unroutable: 0, dropped: 0, bytes: 0 }
  private readonly latency: LatencyRange
  private readonly jitter: number
  private readonly loss: number
  private readonly edges = new Map<string, Edge>()
  private readonly links = new Map<string, LinkOptions>()
  private nextAddress = FIRST_PUBLIC_ADDRESS

  constructor (opts: SimNetworkOptions = {}) {
    this.clock = opts.clock ?? new ManualClock()
    this.random = opts.random ?? new SeededRandom(1)
    this.latency = { min: opts.latency?.min ?? 5, max: opts.latency?.max ?? 150 }
    this.jitter = opts.jitter ?? 0
    this.loss = opts.loss ?? 0
    if (!(this.latency.min >= 0 && this.latency.max >= this.latency.min)) throw new RangeError(`latency must have 0 <= min <= max, got ${this.latency.min}..${this.latency.max}`)
    assertProbability(this.loss, 'loss')
    if (!(this.jitter >= 0)) throw new RangeError(`jitter must be >= 0, got ${this.jitter}`)
  }

  /** A new public host, at `address` or the next free public address. */
  addHost (address?: string): SimHost {
    const host = new SimHost(this, this.claim(address), null, this.random.next(), this.random.next())
    this.edges.set(host.address, host)
    return host
  }

  /** A new NAT router with a public address; add hosts behind it with `router.addHost()`. */
  addRouter (opts: NatOptions = {}): NatRouter {
    const router = new NatRouter(this, this.claim(opts.address), opts, this.random.next(), this.random.next())
    this.edges.set(router.address, router)
    return router
  }

  /** Sets the delay and loss between two public addresses (hosts or routers), both ways. */
  setLink (a: string, b: string, opts: LinkOptions): void {
    if (opts.loss !== undefined) assertProbability(opts.loss, 'loss')
    if (opts.latency !== undefined && !(opts.latency >= 0)) throw new RangeError(`latency must be >= 0, got ${opts.latency}`)
    const key = linkKey(a, b)
    this.links.set(key, { ...this.links.get(key), ...opts })
  }

  /** @internal Carries a datagram from a host's socket towards `toAddress:toPort`. */
  route (from: SimHost, fromPort: number, message: Buffer, toPort: number, toAddress: string): void {
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
    if (target === undefined) {
      this.stats.unroutable++
      return
    }
    const link = this.links.size > 0 ? this.links.get(linkKey(source.address, toAddress)) : undefined
    const loss = link?.loss ?? this.loss
    if (loss > 0 && this.random.next() < loss) {
      this.stats.lost++
      return
    }
    let delay = link?.latency ?? this.delay(source, target)
    if (this.jitter > 0) delay += this.random.next() * this.jitter
    const fromAddress = source.address
    // whole milliseconds: datagrams due at the same instant run as one batch of the clock
    this.clock.setTimeout(() => {
      if (target.deliver(message, fromAddress, sourcePort, toPort)) this.stats.delivered++
      else this.stats.dropped++
    }, Math.max(1, Math.round(delay)))
  }

  private delay (a: Edge, b: Edge): number {
    const dx = a.x - b.x
    const dy = a.y - b.y
    return this.latency.min + (this.latency.max - this.latency.min) * Math.sqrt((dx * dx + dy * dy) / 2)
  }

  private claim (address: string | undefined): string {
    if (address === undefined) {
      do address = formatIPv4(this.nextAddress++)
      while (this.edges.has(address))
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

function formatIPv4 (n: number): string {
  return `${(n >>> 24) & 255}.${(n >>> 16) & 255}.${(n >>> 8) & 255}.${n & 255}`
}

function assertProbability (p: number, name: string): void {
  if (!(p >= 0 && p <= 1)) throw new RangeError(`${name} must be a probability between 0 and 1, got ${p}`)
}
