import { IS_REQUEST, Intern, decode, encodeReply, encodeRequest, isWireError } from '@dht/wire'
import type { Peer } from '@dht/wire'
import { systemClock } from './clock.js'
import type { Clock } from './clock.js'
import { IOError, isIOError } from './errors.js'
import { systemRandom, randomInt } from './random.js'
import type { Random } from './random.js'
import { DEFAULT_RATE_LIMIT, RateLimiter, rateLimitKey } from './rate-limit.js'
import { ReplyCache } from './replies.js'
import { RoundTrips } from './rtt.js'
import { IOCounters } from './stats.js'
import type { CommandCounters } from './stats.js'
import { bindSocket, closeSocket } from './socket.js'
import { SendQueue } from './send-queue.js'
import type { RemoteInfo, SocketFactory, UdpSocket } from './socket.js'
import { DEFAULT_TIMEOUT, checkIntern, checkTimeout } from './io-options.js'
import type { IOOptions } from './io-options.js'
import type { IncomingReply, IncomingRequest, ReplyMessage, RequestMessage } from './messages.js'
import { MAX_SENDS, PendingRequest } from './pending-request.js'
import type { RequestHandlers, RequestOptions } from './pending-request.js'
import { SignalWatch, checkSignal } from './signals.js'
import { createUdpSocket } from './udp.js'

// each re-send waits 1.5 times as long as the one before: on a network of near peers the last
// of them goes out within a second, so a lookup gives up a dead node that soon
const BACKOFF = 1.5
const DEFAULT_MAX_WINDOW = 80 // requests per slot, as dht-rpc v5
const LATE_TIMER_MS = 50 // a re-send timer this late means the event loop was blocked, not the peer slow

/**
 * The socket side of a node: sends requests and matches their replies by tid, re-sends and
 * times out, keeps the politeness window, and hands every incoming message up with its
 * `from` (and its `to`, our address as the sender saw it).
 */
export class IO {
  /** The node's socket: requests go out and replies come in there. */
  readonly socket: UdpSocket
  /** The clock of every timer of this IO. */
  readonly clock: Clock
  /** Its randomness. */
  readonly random: Random
  /** Makes the extra sockets of {@link IO.openSocket}. */
  readonly createSocket: SocketFactory
  /** What it has sent and received so far, per command, and the round trips of its latest replies. */
  readonly stats = new IOCounters()

  /** The default wait for a reply, from the first send, before `REQUEST_TIMEOUT`. */
  readonly timeout: number

  /** `destroy()` was called. */
  destroyed = false
  /** `suspend()` was called, and `resume()` not since: nothing goes out, nothing is taken in. */
  suspended = false
  private readonly preferredPort: number
  private readonly host: string
  private readonly inflight = new Map<number, PendingRequest>()
  private readonly queue: SendQueue<PendingRequest>
  private readonly roundTrips = new RoundTrips()
  private readonly replies = new ReplyCache()
  private readonly dedupe: ((req: IncomingRequest) => boolean) | null
  private readonly rateLimiter: RateLimiter | null
  private readonly onrequest: (req: IncomingRequest, io: IO) => void
  private readonly onresponse: (reply: IncomingReply, req: PendingRequest) => void
  private readonly onwarning: (err: Error) => void
  private tid: number
  private binding: Promise<number> | null = null
  private bound = false
  private readonly extraSockets = new Set<UdpSocket>()
  private readonly intern: Intern
  private readonly signals = new SignalWatch<PendingRequest>((reqs, reason) => this.abort(reqs, reason))

  constructor (opts: IOOptions = {}) {
    this.clock = opts.clock ?? systemClock
    this.random = opts.random ?? systemRandom
    // before the socket is made: bad options throw without leaving one behind
    this.rateLimiter = opts.rateLimit === false ? null : new RateLimiter(opts.rateLimit ?? DEFAULT_RATE_LIMIT, this.clock)
    this.intern = opts.intern === undefined ? new Intern() : checkIntern(opts.intern)
    this.createSocket = opts.createSocket ?? createUdpSocket
    this.socket = opts.socket ?? this.createSocket()
    this.preferredPort = opts.port ?? 0
    this.host = opts.host ?? '0.0.0.0'
    const running = (): boolean => !this.destroyed && !this.suspended
    this.queue = new SendQueue<PendingRequest>(opts.maxWindow ?? DEFAULT_MAX_WINDOW, this.clock, (req) => this.transmit(req, true), running, () => running() && this.bound)
    this.timeout = opts.timeout === undefined ? DEFAULT_TIMEOUT : checkTimeout(opts.timeout, 'timeout')
    this.dedupe = opts.dedupe === false ? null : opts.dedupe ?? always
    this.onrequest = opts.onrequest ?? noop
    this.onresponse = opts.onresponse ?? noop
    this.onwarning = opts.onwarning ?? noop
    this.tid = randomInt(this.random, 0x10000)
    this.listen(this.socket)
  }

  /** Requests sent and not yet answered, failed or cancelled (waiting ones included). */
  get inflightRequests (): number {
    return this.inflight.size
  }

  /** Requests the politeness window lets out per slot (twice that over its four slots). */
  get maxWindow (): number {
    return this.queue.maxWindow
  }

  /** The smoothed round trip to `peer` in ms, or null when none was measured (or it was forgotten). */
  roundTrip (peer: Peer): number | null {
    return this.roundTrips.smoothed(peer)
  }

  /** Binds the node's socket, falling back to a random port when `port` is taken. */
  bind (port = this.preferredPort): Promise<number> {
    if (this.binding !== null) return this.binding
    this.binding = bindSocket(this.socket, port, this.host, () => this.destroyed, () => IOError.DESTROYED()).then((bound) => {
      this.bound = true
      this.queue.flush()
      return bound
    })
    return this.binding
  }

  /** The bound address of the node's socket, or null before it is bound. */
  address (): Peer | null {
    try {
      const a = this.socket.address()
      // node:dgram answers 0.0.0.0:0 after a failed bind, where it would otherwise throw
      return a.port === 0 ? null : { host: a.address, port: a.port }
    } catch {
      return null
    }
  }

  /** Sends a request; the handlers are called exactly once, unless it is cancelled first. */
  send (m: RequestMessage, opts: RequestOptions | undefined, handlers: RequestHandlers): PendingRequest {
    if (opts?.timeout !== undefined) checkTimeout(opts.timeout, 'timeout')
    if (opts?.signal !== undefined) checkSignal(opts.signal, 'signal')
    const tid = this.nextTid()
    const buffer = encodeRequest({ tid, to: m.to, id: m.id, token: m.token, target: m.target, command: m.command, value: m.value }, this.intern)
    const req = new PendingRequest(this, tid, m, buffer, opts?.socket ?? this.socket, opts, handlers)
    if (req.signal?.aborted === true) {
      // as fetch does: nothing is sent, and the request never counts as in flight
      this.settle(req, IOError.REQUEST_CANCELLED(req.signal.reason))
      return req
    }
    this.inflight.set(tid, req)
    if (this.destroyed || this.suspended) {
      this.settle(req, this.destroyed ? IOError.DESTROYED() : IOError.SUSPENDED())
      return req
    }
    // watched before it can be sent, so that whatever settles it, however soon, unwatches it
    if (req.signal !== null) this.signals.watch(req.signal, req)
    if (!this.bound && req.socket === this.socket) {
      this.bind().catch((err: Error) => this.failUnbound(err))
      this.queue.enqueue(req)
      return req
    }
    this.transmit(req)
    return req
  }

  /** Sends a request and resolves with its reply; rejects with `signal.reason` when its signal aborts it. */
  request (m: RequestMessage, opts?: RequestOptions): Promise<IncomingReply> {
    return new Promise((resolve, reject) => {
      const signal = opts?.signal
      // nothing else can cancel a request nobody outside holds, so a cancel here is the signal's
      const onerror = signal === undefined ? reject : (err: IOError) => reject(isIOError(err, 'REQUEST_CANCELLED') && signal.aborted ? signal.reason : err)
      this.send(m, opts, { onreply: resolve, onerror })
    })
  }

  /** Replies to `req` (from `socket`, the node's own by default). */
  reply (req: IncomingRequest, m: ReplyMessage, socket: UdpSocket = this.socket): void {
    if (this.destroyed) return
    const buffer = encodeReply({ tid: req.tid, to: req.from, id: m.id, token: m.token, closerNodes: m.closerNodes, status: m.status, value: m.value })
    if (this.replies.size > 0) this.replies.answered(req.from, req.tid, buffer, socket)
    if (this.suspended) return // not sent, but kept: the sender's re-send after the resume gets it
    const counters = this.stats.command(req.command)
    counters.repliesSent++
    counters.bytesOut += buffer.byteLength
    this.sendDatagram(socket, buffer, req.from)
  }

  /** A new socket from the factory, listened on by this IO and closed with it. */
  openSocket (): UdpSocket {
    const socket = this.createSocket()
    this.extraSockets.add(socket)
    this.listen(socket)
    return socket
  }

  /**
   * Stops the traffic until {@link resume}: every pending request fails with `SUSPENDED`, the
   * window's timer stops, new requests fail with `SUSPENDED` at once, and nothing is sent or
   * taken in (incoming datagrams are dropped unread). The sockets stay bound.
   */
  suspend (): void {
    if (this.suspended || this.destroyed) return
    this.suspended = true
    const err = IOError.SUSPENDED()
    for (const req of [...this.inflight.values()]) this.settle(req, err)
    // none of the sends counted now will be answered
    this.queue.stop(true)
  }

  /** Sends and takes in again after {@link suspend}, with an empty window. */
  resume (): void {
    this.suspended = false
  }

  /** Fails every pending request with `DESTROYED`, stops every timer and closes the sockets. */
  destroy (): Promise<void> {
    if (this.destroyed) return Promise.resolve()
    this.destroyed = true
    for (const req of [...this.inflight.values()]) this.settle(req, IOError.DESTROYED())
    this.queue.stop(false)
    this.replies.clear()
    const closing = [this.socket, ...this.extraSockets].map((socket) => closeSocket(socket))
    this.extraSockets.clear()
    return Promise.all(closing).then(noop)
  }

  /**
   * @internal A cancelled request sends nothing more, so its last send gives its room in the
   * window back as a reply would; otherwise every lookup that gives up on dead nodes would
   * leave their sends counted for up to 3 s, and back-to-back lookups would queue behind them.
   */
  abandon (req: PendingRequest, err: IOError): void {
    if (req.settled) return
    if (req.sends > 0) this.queue.release(req.sentInSlot)
    this.settle(req, err)
    this.queue.flushSoon()
  }

  /** @internal Ends a request once: clears its timer and calls its handler. */
  settle (req: PendingRequest, err: IOError | null, reply: IncomingReply | null = null): void {
    if (req.settled) return
    req.settled = true
    if (req.timer !== null) this.clock.clearTimeout(req.timer)
    req.timer = null
    if (this.inflight.get(req.tid) === req) this.inflight.delete(req.tid)
    if (req.signal !== null) this.signals.unwatch(req.signal, req)
    req.deliver(reply, err)
  }

  // an abort is a cancel of every request waiting on the signal, with one error for them all
  private abort (reqs: readonly PendingRequest[], reason: unknown): void {
    const err = IOError.REQUEST_CANCELLED(reason)
    for (const req of reqs) this.abandon(req, err)
  }

  private listen (socket: UdpSocket): void {
    socket.on('message', (message, rinfo) => this.onmessage(socket, message, rinfo))
    socket.on('error', (err) => this.onwarning(err))
  }

  private onmessage (socket: UdpSocket, buffer: Uint8Array, rinfo: RemoteInfo): void {
    if (this.destroyed || this.suspended || rinfo.port === 0 || buffer.byteLength <= 1) return
    // before decoding, so a flood costs little; replies are never limited
    if (this.rateLimiter !== null && socket === this.socket && isRequestDatagram(buffer) && !this.rateLimiter.allow(rateLimitKey(rinfo))) {
      this.stats.rateLimitedDatagram(buffer)
      return
    }
    if (!(buffer instanceof Buffer)) buffer = Buffer.from(buffer.buffer, buffer.byteOffset, buffer.byteLength)
    let m
    try {
      m = decode(buffer, this.intern)
    } catch (err) {
      if (!isWireError(err)) throw err
      this.stats.invalidDatagrams++
      this.stats.strayBytesIn += buffer.byteLength
      this.onwarning(err)
      return
    }
    const from = { host: rinfo.address, port: rinfo.port }
    if (m.type === 'request') {
      if (socket !== this.socket) { // extra sockets only send
        this.stats.strayBytesIn += buffer.byteLength
        return
      }
      const req = m as IncomingRequest
      req.from = from
      const counters = this.stats.command(req.command)
      counters.bytesIn += buffer.byteLength
      if (this.dedupe !== null && this.dedupe(req) && this.isDuplicate(req, buffer, counters)) return
      counters.requestsReceived++
      this.onrequest(req, this)
      return
    }
    const req = this.inflight.get(m.tid)
    if (req === undefined || req.sends === 0) {
      this.stats.strayBytesIn += buffer.byteLength
      return
    }
    const reply = m as IncomingReply
    reply.from = from
    if (reply.id !== null && (req.to.port !== from.port || req.to.host !== from.host)) reply.id = null
    req.counters.repliesReceived++
    req.counters.bytesIn += buffer.byteLength
    if (req.sends === 1) {
      const rtt = this.clock.now() - req.sentAt
      this.roundTrips.sample(req.to, rtt)
      this.stats.rtt.add(rtt)
    }
    this.queue.release(req.sentInSlot)
    this.onresponse(reply, req)
    if (reply.status === 0 || !req.expectOk) this.settle(req, null, reply)
    else this.settle(req, IOError.REQUEST_FAILED(req.command, reply.status))
    this.queue.flush()
  }

  // The socket will never be bound: what waits for it would wait forever.
  private failUnbound (err: Error): void {
    const failure = IOError.BIND_FAILED(err)
    for (const req of this.queue.drain()) {
      if (req.socket === this.socket) this.settle(req, failure)
      else if (!req.settled) this.queue.enqueue(req)
    }
  }

  private nextTid (): number {
    for (let i = 0; i < 0x10000; i++) {
      const tid = this.tid
      this.tid = (this.tid + 1) & 0xffff
      if (!this.inflight.has(tid)) return tid
    }
    throw IOError.INVALID_ARGUMENT('all 65536 tids are in flight')
  }

  // `queued`: the request comes from the front of the waiting queue (see SendQueue.admits)
  private transmit (req: PendingRequest, queued = false): void {
    if (!this.queue.admits(queued)) {
      this.queue.enqueue(req)
      return
    }
    req.sentInSlot = this.queue.take()
    req.sends++
    req.sentAt = this.clock.now()
    if (req.sends === 1) {
      req.firstSentAt = req.sentAt
      req.counters.requestsSent++
    } else {
      req.counters.resends++
    }
    req.counters.bytesOut += req.buffer.byteLength
    this.sendDatagram(req.socket, req.buffer, req.to)
    const wait = this.waitAfterSend(req)
    req.dueAt = req.sentAt + wait
    req.extended = false
    req.timer = this.clock.setTimeout(() => this.ontimeout(req), wait)
  }

  // The re-sends go out after the peer's round-trip estimate, backing off each time, but at most
  // timeout / 4 apart so that all fit well inside the timeout; after the last send, the wait
  // runs to the timeout: a reply that takes long because the handler does is still taken. (A
  // last send that waited for room in the window past the timeout still gets one gap.)
  private waitAfterSend (req: PendingRequest): number {
    const gap = Math.min(this.roundTrips.rto(req.to) * BACKOFF ** (req.sends - 1), req.timeout / MAX_SENDS)
    if (req.sends < req.maxSends) return gap
    return Math.max(gap, req.firstSentAt + req.timeout - req.sentAt)
  }

  // A request seen before from the same sender with the same tid and bytes: dropped while its
  // handler runs, answered again with the same reply once it has replied.
  private isDuplicate (req: IncomingRequest, datagram: Uint8Array, counters: CommandCounters): boolean {
    const seen = this.replies.check(req.from, req.tid, datagram, this.clock.now())
    if (seen.type === 'new') return false
    this.stats.duplicates++
    if (seen.type === 'answered') {
      counters.bytesOut += seen.reply.byteLength
      this.sendDatagram(seen.socket, seen.reply, req.from)
    }
    return true
  }

  private ontimeout (req: PendingRequest): void {
    req.timer = null
    if (req.settled) return
    if (!req.extended && this.clock.now() - req.dueAt > LATE_TIMER_MS) {
      // after a blocked event loop, node runs due timers before it reads the socket (and an
      // in-process peer has not even answered yet): wait once more before calling it a loss
      const wait = this.roundTrips.rto(req.to)
      req.extended = true
      req.dueAt = this.clock.now() + wait
      req.timer = this.clock.setTimeout(() => this.ontimeout(req), wait)
      return
    }
    if (req.sends >= req.maxSends) {
      req.counters.timeouts++
      this.settle(req, IOError.REQUEST_TIMEOUT(req.command, req.to.host, req.to.port, req.sends, this.clock.now() - req.firstSentAt))
      return
    }
    req.resent()
    if (!req.settled) this.transmit(req)
  }

  private sendDatagram (socket: UdpSocket, buffer: Uint8Array, to: Peer): void {
    if (this.destroyed || this.suspended) return
    try {
      socket.send(buffer, to.port, to.host, (err) => {
        if (err !== null && err !== undefined) this.onwarning(err)
      })
    } catch (err) {
      this.onwarning(err as Error)
    }
  }
}

// The request bit of the flags, a compact-encoding uint: one byte below 0xfd, else its low
// byte follows the prefix.
function isRequestDatagram (buffer: Uint8Array): boolean {
  const flags = buffer[1]!
  return ((flags < 0xfd ? flags : buffer[2] ?? 0) & IS_REQUEST) !== 0
}

function noop (): void {}

function always (): boolean {
  return true
}
