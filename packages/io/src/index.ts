/**
 * @packageDocumentation
 * The I/O of a dht-rpc node: a small UDP socket interface (a node:dgram socket satisfies it),
 * requests matched to replies by tid with re-sends and timeouts, the politeness window,
 * round-trip tokens, and the injectable clock and randomness that let the same code run on
 * real sockets or a simulated network.
 *
 * @example
 * ```ts
 * import { IO } from '@dht/io'
 *
 * const io = new IO({ onrequest: (req, io) => io.reply(req, { id: null, token: null, closerNodes: null, status: 0, value: req.value }) })
 * await io.bind()
 * const reply = await io.request({ to: { host: '127.0.0.1', port: 49737 }, id: null, token: null, target: null, command: 'ping', value: null })
 * ```
 */
export { IO } from './io.js'
export { DEFAULT_TIMEOUT } from './io-options.js'
export type { IOOptions, IOStats } from './io-options.js'
export { PendingRequest, MAX_SENDS } from './pending-request.js'
export type { RequestHandlers, RequestOptions } from './pending-request.js'
export type { IncomingReply, IncomingRequest, ReplyMessage, RequestMessage } from './messages.js'
export { IOError, isIOError } from './errors.js'
export type { IOErrorCode } from './errors.js'
export { Tokens } from './tokens.js'
export { DEFAULT_RATE_LIMIT, RateLimiter } from './rate-limit.js'
export type { RateLimitOptions } from './rate-limit.js'
export { systemClock } from './clock.js'
export type { Clock, TimerHandle } from './clock.js'
export { systemRandom, randomBytes, randomInt } from './random.js'
export type { Random } from './random.js'
export { createUdpSocket } from './udp.js'
export type { BoundAddress, RemoteInfo, SocketFactory, UdpSocket } from './socket.js'
export { CongestionWindow } from './congestion.js'
export { IOCounters, CommandCounters, RttSamples, MAX_COUNTED_COMMANDS, RTT_SAMPLES } from './stats.js'
export { RoundTrips, INITIAL_RTO, MIN_RTO, MAX_RTO, UNKNOWN_PEER_FACTOR } from './rtt.js'
export { ReplyCache, MAX_REMEMBERED, REMEMBER_MS } from './replies.js'
export type { Seen } from './replies.js'
export { isAbortSignal } from './signals.js'
