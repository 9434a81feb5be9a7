import { EventEmitter } from 'node:events'
import type { BoundAddress, UdpSocket } from '@dht/io'

export interface FakeSocketOptions {
  /** bind() fails with this error (as an 'error' event, as node:dgram does). */
  bindError?: Error
  /** send() calls back with this error. */
  sendError?: Error
  /** send() throws this error. */
  sendThrows?: Error
}

/** A socket that fails where told to, and records what it was asked to send. */
export class FakeSocket extends EventEmitter implements UdpSocket {
  readonly sent: Array<{ message: Uint8Array, port: number, address: string }> = []
  closed = false
  private port: number | null = null
  private readonly opts: FakeSocketOptions

  constructor (opts: FakeSocketOptions = {}) {
    super()
    this.opts = opts
  }

  bind (port: number): this {
    queueMicrotask(() => {
      if (this.opts.bindError !== undefined) this.emit('error', this.opts.bindError)
      else {
        this.port = port === 0 ? 40000 : port
        this.emit('listening')
      }
    })
    return this
  }

  send (message: Uint8Array, port: number, address: string, callback?: (err: Error | null) => void): void {
    if (this.opts.sendThrows !== undefined) throw this.opts.sendThrows
    this.sent.push({ message, port, address })
    queueMicrotask(() => callback?.(this.opts.sendError ?? null))
  }

  address (): BoundAddress {
    if (this.port === null) throw new Error('Not bound')
    return { address: '127.0.0.1', port: this.port }
  }

  close (callback?: () => void): this {
    this.closed = true
    queueMicrotask(() => callback?.())
    return this
  }
}
