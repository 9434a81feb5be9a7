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
 */
export { WireError, isWireError } from './errors.js'
export type { WireErrorCode } from './errors.js'
export { decodeState, encodeExact } from './codec.js'
export type { Codec, State } from './codec.js'
export { ipv4, peer, peers, isIPv4, parseIPv4, parsedHostOf, readIPv4, writeIPv4, assertPort, PARSED_HOST } from './ipv4.js'
export type { Peer, ParsedPeer } from './ipv4.js'
export {
  VERSION, IS_REQUEST, HAS_ID, HAS_TOKEN, HAS_ROUTE,
  request, reply, message, encodeRequest, encodeReply, decode
} from './message.js'
export type { Request, Reply, DecodedRequest, DecodedReply, Message } from './message.js'
export { id, sharedId, sharedPeerId, ID_BYTES } from './id.js'
export { sizeCachesForNodes } from './caches.js'
