// A bare UDP socket on loopback that speaks through dht-rpc@5.0.0-rc.6's codec: it keeps every
// datagram it receives and sends whatever bytes it is given.
import dgram from 'node:dgram'
import { once } from 'node:events'
import type { Peer } from '@dht/rpc'
import { until } from '../helpers.js'
import { LOOPBACK } from './network.js'
import { referenceDecode, referenceEncode } from './reference.js'
import type { RefMessage } from './reference.js'

export interface Received {
  /** The datagram exactly as it arrived. */
  bytes: Buffer
  from: Peer
}

export class RawPeer {
  readonly received: Received[] = []
  readonly peer: Peer
  private readonly socket: dgram.Socket

  private constructor (socket: dgram.Socket) {
    this.socket = socket
    this.peer = { host: LOOPBACK, port: socket.address().port }
    socket.on('message', (bytes, rinfo) => this.received.push({ bytes, from: { host: rinfo.address, port: rinfo.port } }))
  }

  static async create (): Promise<RawPeer> {
    const socket = dgram.createSocket('udp4')
    socket.bind(0, LOOPBACK)
    await once(socket, 'listening')
    return new RawPeer(socket)
  }

  /** Sends raw bytes. */
  async sendBytes (bytes: Uint8Array, to: Peer): Promise<void> {
    await new Promise<void>((resolve, reject) => this.socket.send(bytes, to.port, to.host, (err) => err ? reject(err) : resolve()))
  }

  /** Sends a message encoded by the reference codec; unset fields are null (status 0). */
  async send (m: Partial<Omit<RefMessage, 'version' | 'from'>> & { tid: number, to: Peer }, to: Peer = m.to): Promise<Buffer> {
    const bytes = referenceEncode({ id: null, token: null, target: null, closerNodes: null, command: null, status: 0, value: null, ...m })
    await this.sendBytes(bytes, to)
    return bytes
  }

  /** Waits for the first datagram after `skip` that `match`es (decoded with the reference codec), and removes it. */
  async next (match: (m: RefMessage, r: Received) => boolean = () => true): Promise<{ m: RefMessage, bytes: Buffer, from: Peer }> {
    let found = -1
    await until(() => {
      found = this.received.findIndex((r) => match(referenceDecode(r.bytes), r))
      return found !== -1
    })
    const [r] = this.received.splice(found, 1)
    return { m: referenceDecode(r!.bytes), bytes: r!.bytes, from: r!.from }
  }

  async close (): Promise<void> {
    await new Promise<void>((resolve) => this.socket.close(() => resolve()))
  }
}
