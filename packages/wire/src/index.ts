/**
 * @packageDocumentation
 * The dht-rpc v5 wire format: one UDP datagram per request or reply, IPv4 peers, and the
 * routing id of a node. Interoperates byte for byte with dht-rpc@5.0.0-rc.6.
 *
 * @example
 * ```ts
 * import { encodeRequest, decode, id } from '@dht/wire'
 *
 * const datagram = encodeRequest({
 *   tid: 1, to: { host: '127.0.0.1', port: 49737 }, id: null, token: null,
 *   target: id('127.0.0.1', 49737), command: 'find_node', value: null
 * })
 * const m = decode(datagram) // { type: 'request', tid: 1, command: 'find_node', ... }
 * ```
 *
 * Nothing is kept between calls: what the nodes of a process share (decoded peers, ids,
 * encoded commands) is an {@link Intern} they are given, `decode(datagram, intern)`.
 */
export { WireError, isWireError } from './errors.js'
export { describeValue } from './describe.js'
export type { WireErrorCode } from './errors.js'
export { decodeState, encodeExact } from './codec.js'
export type { Codec, State } from './codec.js'
export { ipv4, peer, peers, isIPv4, parseIPv4, readIPv4, writeIPv4, assertPort, ParsedPeer } from './ipv4.js'
export type { Peer } from './ipv4.js'
export {
  VERSION, IS_REQUEST, HAS_ID, HAS_TOKEN, HAS_ROUTE,
  request, reply, message, encodeRequest, encodeReply, decode
} from './message.js'
export type { Request, Reply, DecodedRequest, DecodedReply, Message } from './message.js'
export { id, equalIds, ID_BYTES } from './id.js'
export { Intern } from './intern.js'
export type { InternOptions } from './intern.js'
