// The options and counters of an IO.

import { Intern, describeValue } from '@dht/wire'
import type { Clock } from './clock.js'
import { IOError } from './errors.js'
import type { IO } from './io.js'
import type { IncomingReply, IncomingRequest } from './messages.js'
import type { PendingRequest } from './pending-request.js'
import type { Random } from './random.js'
import type { RateLimitOptions } from './rate-limit.js'
import type { SocketFactory, UdpSocket } from './socket.js'

/**
 * How long a request waits for its reply, from its first send, before it fails: the reply time
 * includes the remote handler's work, so this is of the order of dht-rpc 5's 6 to 9 s and
 * dht-rpc 6's 4 s, whatever the round trip.
 */
export const DEFAULT_TIMEOUT = 6000

/** The options of an {@link IO}, all optional. */
export interface IOOptions {
  /** Use this socket instead of creating one. It is closed on destroy. */
  socket?: UdpSocket
  /** Makes sockets: the node's own when none is given, and extra ones on request. */
  createSocket?: SocketFactory
  /** Time and timers. @default systemClock */
  clock?: Clock
  /** Randomness, for the first tid. @default systemRandom */
  random?: Random
  /** The preferred port; a taken one falls back to a random port. @default 0 */
  port?: number
  /** The address to bind. @default '0.0.0.0' */
  host?: string
  /** Requests sent per 750 ms slot. @default 80 */
  maxWindow?: number
  /**
   * How long a request waits for its reply, from its first send, before it fails with
   * `REQUEST_TIMEOUT`: long enough for a handler that reads a disk or asks another peer.
   * The re-sends go out sooner, each after the peer's round-trip estimate. @default 6000
   */
  timeout?: number
  /**
   * Which received requests run their handler once: a re-send (same sender, tid and bytes) of
   * one still being handled is dropped, and a re-send of one answered gets the same reply
   * again, for up to 15 s. `false`: every datagram reaches `onrequest`.
   * @default every request
   */
  dedupe?: ((req: IncomingRequest) => boolean) | false
  /** Requests accepted per source host; more are dropped unread. `false`: no limit. @default 1000 per 1000 ms, bursts of 1000 */
  rateLimit?: RateLimitOptions | false
  /**
   * What datagrams are decoded and encoded through (see @dht/wire's Intern): the decoded
   * peers and commands it remembers are shared with every IO given the same one. Give the
   * IOs of one process one Intern sized for them all. @default a new Intern, this IO's own
   */
  intern?: Intern
  /** Every request received (that `dedupe` lets through); answer it with `io.reply(req, …)`. */
  onrequest? (req: IncomingRequest, io: IO): void
  /** Every reply that matched a request, before the request settles. */
  onresponse? (reply: IncomingReply, req: PendingRequest): void
  /** Datagrams that failed to decode, socket errors and send failures. */
  onwarning? (err: Error): void
}

/** Counters of an {@link IO}, from its creation. */
export interface IOStats {
  /** Requests sent, each counted once however often it was re-sent. */
  requestsSent: number
  /** Re-sends of requests that were not answered in time. */
  resends: number
  /** Requests that failed with `REQUEST_TIMEOUT`. */
  timeouts: number
  /** Replies that matched a request in flight. */
  repliesReceived: number
  /** Requests handed to `onrequest` (re-sends it drops are counted in `duplicates`). */
  requestsReceived: number
  /** Replies sent. */
  repliesSent: number
  /** Datagrams that did not decode. */
  invalidDatagrams: number
  /** Requests dropped unread because their source host was over the rate limit. */
  rateLimited: number
  /** Re-sent requests not handed to `onrequest` again: dropped while handled, or answered with the reply already sent. */
  duplicates: number
  /** Bytes of the datagrams sent. */
  bytesOut: number
  /** Bytes of the datagrams received. */
  bytesIn: number
}

/** `ms` if it is a positive number of ms; else an INVALID_ARGUMENT error naming `name`. */
export function checkTimeout (ms: unknown, name: string): number {
  if (typeof ms !== 'number' || !Number.isFinite(ms) || ms <= 0) throw IOError.INVALID_ARGUMENT(`${name} must be a positive number of ms, got ${describeValue(ms)}`)
  return ms
}

/** The `intern` option, checked: an Intern of @dht/wire. */
export function checkIntern (intern: unknown): Intern {
  if (!(intern instanceof Intern)) throw IOError.INVALID_ARGUMENT(`intern must be an Intern of @dht/wire, got ${describeValue(intern)}`)
  return intern
}
