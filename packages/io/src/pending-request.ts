// A request the IO sends: its options, what it calls back, and its state while it waits for a
// reply (sends so far, the current wait, the window slot that counted it).

import type { TimerHandle } from './clock.js'
import { IOError } from './errors.js'
import type { IO } from './io.js'
import type { IncomingReply, RequestMessage } from './messages.js'
import type { UdpSocket } from './socket.js'
import type { CommandCounters } from './stats.js'
import type { Peer } from '@dht/wire'

/** Sends of a request that gets no reply: one send and three re-sends, as dht-rpc v5. */
export const MAX_SENDS = 4

/** The options of one request ({@link IO.request}, {@link IO.send}). */
export interface RequestOptions {
  /** Re-send up to 3 times when no reply comes. @default true */
  retry?: boolean
  /**
   * Fail with `REQUEST_TIMEOUT` when no reply came this many ms after the first send (the
   * re-sends go out before then). @default the IO's `timeout`
   */
  timeout?: number
  /** Fail with `REQUEST_FAILED` on a non-zero status. @default true */
  expectOk?: boolean
  /** Send from this socket instead of the node's own. */
  socket?: UdpSocket
  /**
   * Aborting it cancels the request, as `cancel()` does: nothing more is sent and its room in
   * the window is given back. {@link IO.request} rejects with `signal.reason`, as fetch does;
   * {@link IO.send} calls `onerror` with a `REQUEST_CANCELLED` IOError whose `cause` is
   * `signal.reason`. A signal that has already aborted fails the request without sending it.
   */
  signal?: AbortSignal
}

/** What {@link IO.send} calls as its request goes: one of `onreply` or `onerror`, once. */
export interface RequestHandlers {
  /** The reply came (with status 0, unless `expectOk` is false). */
  onreply (reply: IncomingReply): void
  /** The request failed: timed out, a non-zero status, cancelled (or aborted by its signal), or the IO was destroyed. */
  onerror (err: IOError): void
  /** Called before each re-send with the number of sends so far. */
  onresend? (sends: number): void
}

/** One request in flight or waiting for room in the window. */
export class PendingRequest {
  /** The transaction id its reply carries back. */
  readonly tid: number
  /** Where it is sent. */
  readonly to: Peer
  /** The command it sends. */
  readonly command: string
  /** Sends so far. */
  sends = 0
  /** When the last send happened, by the IO's clock. */
  sentAt = 0
  /** When the first send happened: the request fails `timeout` ms later. */
  firstSentAt = 0
  /** ms from the first send to `REQUEST_TIMEOUT`. */
  readonly timeout: number
  /** When the current wait for a reply ends. */
  dueAt = 0
  /** The current wait was extended once because its timer fired late. */
  extended = false
  /** The window slot that counted the last send: its reply gives that send back. */
  sentInSlot = 0
  /** The encoded datagram, sent again as it is on a re-send. */
  readonly buffer: Uint8Array
  /** The socket it is sent from. */
  readonly socket: UdpSocket
  /** A reply with a non-zero status fails it with `REQUEST_FAILED`. */
  readonly expectOk: boolean
  /** Sends before it times out: 1 without retries, else {@link MAX_SENDS}. */
  readonly maxSends: number
  /** It has succeeded or failed; nothing more happens to it. */
  settled = false
  /** The timer of the current wait for a reply, or null. */
  timer: TimerHandle = null
  /** The signal that aborts it, or null. */
  readonly signal: AbortSignal | null
  /** @internal The counters of its command (see {@link IO.stats}), found once when it is made. */
  readonly counters: CommandCounters
  private readonly io: IO
  private readonly handlers: RequestHandlers

  constructor (io: IO, tid: number, m: RequestMessage, buffer: Uint8Array, socket: UdpSocket, opts: RequestOptions | undefined, handlers: RequestHandlers) {
    this.io = io
    this.tid = tid
    this.to = m.to
    this.command = m.command
    this.counters = io.stats.command(m.command)
    this.buffer = buffer
    this.socket = socket
    this.expectOk = opts?.expectOk !== false
    this.maxSends = opts?.retry === false ? 1 : MAX_SENDS
    this.timeout = opts?.timeout ?? io.timeout
    this.signal = opts?.signal ?? null
    this.handlers = handlers
  }

  /** Stops re-sending and fails with `REQUEST_CANCELLED`. A late reply is ignored. */
  cancel (err: IOError = IOError.REQUEST_CANCELLED()): void {
    this.io.abandon(this, err)
  }

  /** @internal */
  deliver (reply: IncomingReply | null, err: IOError | null): void {
    if (err !== null) this.handlers.onerror(err)
    else if (reply !== null) this.handlers.onreply(reply)
  }

  /** @internal */
  resent (): void {
    this.handlers.onresend?.(this.sends)
  }
}
