import type { SocketFactory } from '@dht/io'
import type { NatRouter } from './nat-router.js'
import type { SimNetwork } from './network.js'
import { SimSocket } from './socket.js'

const EPHEMERAL_PORTS = 16384 // 49152-65535, as most kernels pick them

/**
 * A simulated machine with one IPv4 address: public, or private behind a {@link NatRouter}.
 * Its `createSocket` fits the `createSocket` option of IO and of a DHT node.
 */
export class SimHost {
  /** The network it is on. */
  readonly network: SimNetwork
  /** Its IPv4 address: public, or private behind its router. */
  readonly address: string
  /** The NAT this host sits behind, or null for a public host. */
  readonly router: NatRouter | null
  /** Where the host is on the latency plane (a private host sits at its router). */
  readonly x: number
  /** See `x`. */
  readonly y: number
  /** Makes an unbound socket on this host (a {@link SimSocket}). */
  readonly createSocket: SocketFactory = () => new SimSocket(this)
  private readonly ports = new Map<number, SimSocket>()

  constructor (network: SimNetwork, address: string, router: NatRouter | null, x: number, y: number) {
    this.network = network
    this.address = address
    this.router = router
    this.x = x
    this.y = y
  }

  /** Sockets bound on this host. */
  get sockets (): number {
    return this.ports.size
  }

  /** @internal Reserves `port` (0: a random free one); null when it is taken. */
  bindPort (socket: SimSocket, port: number): number | null {
    if (port === 0) port = this.freePort()
    if (port === 0 || this.ports.has(port)) return null
    this.ports.set(port, socket)
    return port
  }

  /** @internal */
  unbindPort (port: number, socket: SimSocket): void {
    if (this.ports.get(port) === socket) this.ports.delete(port)
  }

  /** @internal Hands a datagram from a local socket to the network. */
  send (fromPort: number, message: Uint8Array, toPort: number, toAddress: string): void {
    this.network.route(this, fromPort, message, toPort, toAddress)
  }

  /** @internal A datagram reaches this host's `port`. */
  deliver (message: Buffer, fromAddress: string, fromPort: number, port: number): boolean {
    const socket = this.ports.get(port)
    if (socket === undefined) return false
    socket.receive(message, { address: fromAddress, port: fromPort })
    return true
  }

  // 0 when the range looks full: the bind then fails with EADDRINUSE, as it would for real
  private freePort (): number {
    const random = this.network.random
    for (let i = 0; i < 4 * EPHEMERAL_PORTS; i++) {
      const port = 49152 + Math.floor(random.next() * EPHEMERAL_PORTS)
      if (!this.ports.has(port)) return port
    }
    return 0
  }
}
