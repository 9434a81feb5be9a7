import { SimHost } from './host.js'
import type { SimNetwork } from './network.js'

/**
 * How a NAT picks the public port of an outgoing flow:
 * - `preserving`: the inside port when free, the same one for every destination (dht-rpc
 *   sees NAT_PORT_CONSISTENT; Linux MASQUERADE does this);
 * - `random`: a new random port for each destination (NAT_PORT_RANDOMIZED;
 *   MASQUERADE --random-fully);
 * - `incrementing`: the next port for each destination (NAT_PORT_INCREMENTING).
 */
export type PortMapping = 'preserving' | 'random' | 'incrementing'

/**
 * Who may send to a mapped port:
 * - `open`: anyone (a full-cone NAT);
 * - `firewall`: only the addresses and ports the inside socket has sent to, as a stateful
 *   firewall does; unsolicited datagrams are dropped.
 */
export type Filtering = 'open' | 'firewall'

/** The options of {@link SimNetwork.addRouter}. */
export interface NatOptions {
  /** How outgoing flows get their public port. @default 'preserving' */
  mapping?: PortMapping
  /** Who may send in through a mapped port. @default 'open' */
  filtering?: Filtering
  /** The router's public address. @default the network's next free one */
  address?: string
}

interface Mapping {
  host: SimHost
  port: number
  /** The remote `host:port`s the inside socket has sent to (kept only when filtering). */
  peers: Set<string> | null
}

const FIRST_PUBLIC_PORT = 1024

/**
 * A NAT router with one public address. Hosts behind it get private addresses; their
 * datagrams leave from the router's address and a mapped port, and only come back in
 * through a mapping. Mappings do not expire: a simulation is shorter than any NAT timeout
 * that matters to a DHT node, which talks to its peers every few seconds.
 */
export class NatRouter {
  /** The network it is on. */
  readonly network: SimNetwork
  #address: string
  /** How outgoing flows get their public port. */
  readonly mapping: PortMapping
  /** Who may send in through a mapped port. */
  readonly filtering: Filtering
  /** Where the router (and every host behind it) is on the latency plane. */
  readonly x: number
  /** See `x`. */
  readonly y: number
  private readonly hosts: SimHost[] = []
  private readonly outbound = new Map<string, Mapping & { publicPort: number }>()
  private readonly inbound = new Map<number, Mapping>()
  private nextPort = FIRST_PUBLIC_PORT

  constructor (network: SimNetwork, address: string, opts: NatOptions, x: number, y: number) {
    this.network = network
    this.#address = address
    this.mapping = opts.mapping ?? 'preserving'
    this.filtering = opts.filtering ?? 'open'
    this.x = x
    this.y = y
  }

  /** Its public address. */
  get address (): string {
    return this.#address
  }

  /**
   * Gives the router a new public address (`address`, or the network's next free one), as an
   * ISP does when it hands a home router another one: datagrams to the old address are
   * unroutable from now on, and every mapping is gone, since a router forgets its flows when
   * its address changes. The hosts behind it keep their private addresses; their next
   * datagrams leave from the new one. Returns the new address.
   */
  renumber (address?: string): string {
    this.#address = this.network.readdress(this, address)
    this.outbound.clear()
    this.inbound.clear()
    return this.#address
  }

  /** A new host behind this router, at the next private address. */
  addHost (): SimHost {
    const n = this.hosts.length + 2
    if (n > 65535) throw new RangeError('a simulated NAT router has room for 65,534 hosts')
    const host = new SimHost(this.network, `192.168.${n >> 8}.${n & 255}`, this, this.x, this.y)
    this.hosts.push(host)
    return host
  }

  /** Mappings made so far. */
  get mappings (): number {
    return this.inbound.size
  }

  /** @internal The public port a datagram from `host:port` to `to` leaves from (null: none free). */
  mapOutbound (host: SimHost, port: number, toAddress: string, toPort: number): number | null {
    const inside = `${host.address}:${port}`
    const key = this.mapping === 'preserving' ? inside : `${inside}>${toAddress}:${toPort}`
    let mapping = this.outbound.get(key)
    if (mapping === undefined) {
      const publicPort = this.pickPort(port)
      if (publicPort === null) return null
      mapping = { host, port, peers: this.filtering === 'firewall' ? new Set() : null, publicPort }
      this.outbound.set(key, mapping)
      this.inbound.set(publicPort, mapping)
    }
    mapping.peers?.add(`${toAddress}:${toPort}`)
    return mapping.publicPort
  }

  /** @internal A datagram reaches the router's public `port`: through a mapping, or dropped. */
  deliver (message: Buffer, fromAddress: string, fromPort: number, port: number): boolean {
    const mapping = this.inbound.get(port)
    if (mapping === undefined) return false
    if (mapping.peers !== null && !mapping.peers.has(`${fromAddress}:${fromPort}`)) return false
    return mapping.host.deliver(message, fromAddress, fromPort, mapping.port)
  }

  private pickPort (insidePort: number): number | null {
    if (this.mapping === 'preserving' && !this.inbound.has(insidePort)) return insidePort
    if (this.mapping === 'incrementing') {
      for (let i = 0; i < 65536 - FIRST_PUBLIC_PORT; i++) {
        const port = this.nextPort
        this.nextPort = port === 65535 ? FIRST_PUBLIC_PORT : port + 1
        if (!this.inbound.has(port)) return port
      }
      return null
    }
    const random = this.network.random
    for (let i = 0; i < 65536; i++) {
      const port = FIRST_PUBLIC_PORT + Math.floor(random.next() * (65536 - FIRST_PUBLIC_PORT))
      if (!this.inbound.has(port)) return port
    }
    return null
  }
}
