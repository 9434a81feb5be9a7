import { EventEmitter } from 'node:events'
import type { BoundAddress, RemoteInfo, UdpSocket } from '@dht/io'
import type { SimHost } from './host.js'

type State = 'unbound' | 'bound' | 'closed'

/**
 * A UDP socket on a simulated host. It behaves as a node:dgram `udp4` socket does where a
 * node can tell: binding is reported with 'listening' (or 'error' with `EADDRINUSE`) after
 * the call returns, sending from an unbound socket binds it to a random port, datagrams to
 * a port nobody listens on vanish, and a closed socket throws on send.
 */
export class SimSocket extends EventEmitter implements UdpSocket {
  /** The host it is on. */
  readonly host: SimHost
  private state: State = 'unbound'
  private port = 0
  private boundAddress = '0.0.0.0'

  constructor (host: SimHost) {
    super()
    this.host = host
  }

  bind (port = 0, address = '0.0.0.0'): this {
    if (this.state === 'closed') throw socketError('ERR_SOCKET_DGRAM_NOT_RUNNING', 'Not running')
    if (this.state === 'bound') throw socketError('ERR_SOCKET_ALREADY_BOUND', 'Socket is already bound')
    if (address !== '0.0.0.0' && address !== this.host.address) {
      this.later(() => this.emit('error', socketError('EADDRNOTAVAIL', `bind EADDRNOTAVAIL ${address}:${port}`)))
      return this
    }
    const bound = this.host.bindPort(this, port)
    if (bound === null) {
      this.later(() => this.emit('error', socketError('EADDRINUSE', `bind EADDRINUSE ${address}:${port}`)))
      return this
    }
    this.state = 'bound'
    this.port = bound
    this.boundAddress = address
    this.later(() => { if (this.state === 'bound') this.emit('listening') })
    return this
  }

  send (message: Uint8Array, port: number, address: string, callback?: (err: Error | null) => void): void {
    if (this.state === 'closed') throw socketError('ERR_SOCKET_DGRAM_NOT_RUNNING', 'Not running')
    if (this.state === 'unbound') this.bind(0)
    this.host.send(this.port, message, port, address) // the network copies what it carries
    if (callback !== undefined) process.nextTick(callback, null)
  }

  address (): BoundAddress & {
    /** Always `'IPv4'`, as node:dgram says. */
    family: 'IPv4'
  } {
    if (this.state !== 'bound') throw socketError('EBADF', 'getsockname EBADF')
    return { address: this.boundAddress, family: 'IPv4', port: this.port }
  }

  close (callback?: () => void): this {
    if (this.state === 'closed') throw socketError('ERR_SOCKET_DGRAM_NOT_RUNNING', 'Not running')
    if (this.state === 'bound') this.host.unbindPort(this.port, this)
    this.state = 'closed'
    if (callback !== undefined) this.once('close', callback)
    process.nextTick(() => this.emit('close'))
    return this
  }

  /** @internal A datagram arrives from `from`. */
  receive (message: Buffer, from: RemoteInfo): void {
    if (this.state !== 'bound') return
    this.emit('message', message, { address: from.address, family: 'IPv4', port: from.port, size: message.byteLength })
  }

  // what node:dgram reports from libuv arrives on a later turn, never inside the call
  private later (fn: () => void): void {
    this.host.network.clock.setTimeout(fn, 0)
  }
}

function socketError (code: string, message: string): Error & { code: string } {
  return Object.assign(new Error(message), { code })
}
