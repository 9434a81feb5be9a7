import type { IncomingRequest, UdpSocket } from '@dht/io'
import type { Peer } from '@dht/wire'
import { invalidArgument } from './errors.js'
import { assertValue } from './validate.js'

/** The options of {@link DHTRequest.reply} and {@link DHTRequest.error}. */
export interface ReplyOptions {
  /** Include the nodes closest to the request's target. @default true */
  closerNodes?: boolean
  /** Include a round-trip token (persistent nodes only). @default true */
  token?: boolean
  /** Send from this socket instead of the node's own. */
  socket?: UdpSocket
}

/** @internal What a {@link DHTRequest} needs from its node. */
export interface Replier {
  sendReply (req: IncomingRequest, status: number, value: Uint8Array | null, target: Uint8Array | null, token: boolean, socket: UdpSocket | undefined): void
}

/** A request received from another node: the argument of the 'request' event. */
export class DHTRequest {
  /** The transaction id: the reply carries it back. */
  readonly tid: number
  /** Who sent it. */
  readonly from: Peer
  /** Our address as the sender saw it. */
  readonly to: Peer
  /** The sender's routing id, or null (ephemeral sender, or one whose id did not verify). */
  readonly id: Buffer | null
  /** A round-trip token that we handed to this sender, or null when absent or invalid. */
  readonly token: Buffer | null
  /** The 32-byte key the request is about, or null. */
  readonly target: Buffer | null
  /** The command, for example `'values'`: the built-in ones are answered by the node. */
  readonly command: string
  /** The payload, or null (an empty one arrives as null). */
  readonly value: Buffer | null
  private readonly node: Replier
  private readonly message: IncomingRequest

  constructor (node: Replier, m: IncomingRequest) {
    this.node = node
    this.message = m
    this.tid = m.tid
    this.from = m.from
    this.to = m.to
    this.id = m.id
    this.token = m.token
    this.target = m.target
    this.command = m.command
    this.value = m.value
  }

  /** True when the sender proved its address with a valid token: it may change state. */
  get commit (): boolean {
    return this.token !== null
  }

  /** Replies with status 0 (OK). */
  reply (value: Uint8Array | null = null, opts: ReplyOptions = {}): void {
    assertValue(value)
    this.send(0, value ?? null, opts)
  }

  /** Replies with an application error code (1 is UNKNOWN_COMMAND; 0 is OK). */
  error (code: number, opts: ReplyOptions = {}): void {
    if (!Number.isSafeInteger(code) || code < 0) throw invalidArgument('code', 'a non-negative integer', code)
    this.send(code, null, opts)
  }

  private send (status: number, value: Uint8Array | null, opts: ReplyOptions): void {
    const target = opts.closerNodes === false ? null : this.target
    this.node.sendReply(this.message, status, value, target, opts.token !== false, opts.socket)
  }
}
