import { WireError } from './errors.js'
import { decodeUint, peers, peersSize, readPeer, writePeer, writePeers } from './ipv4.js'
import { commandSize, decodeCommand, writeCommand } from './command-cache.js'
import type { Peer } from './ipv4.js'
import { allocUnsafe } from 'b4a'
import { Buffer } from 'node:buffer'
import { decodeState, uintSize, writeUint } from './codec.js'
import type { Codec, State } from './codec.js'

/** The protocol version byte every v5 datagram starts with. */
export const VERSION = 2

/** Flags bit: the message is a request (else a reply). */
export const IS_REQUEST = 0b0001
/** Flags bit: the sender's id follows. */
export const HAS_ID = 0b0010
/** Flags bit: a round-trip token follows. */
export const HAS_TOKEN = 0b0100
/** On a request: a target follows. On a reply: closerNodes follow. */
export const HAS_ROUTE = 0b1000

/** version, flags, tid and `to`: the bytes every message starts with. */
const HEADER_BYTES = 1 + 1 + 2 + 6

/** A request as sent on the wire. Absent optional fields are `null`. */
export interface Request {
  /** 16-bit transaction id; the reply carries it back. */
  tid: number
  /** The address the datagram is sent to, as the sender sees it. */
  to: Peer
  /** The sender's routing id; only persistent nodes send one. */
  id: Uint8Array | null
  /** A round-trip token the receiver handed out earlier. */
  token: Uint8Array | null
  /** The 32-byte key the request is about. */
  target: Uint8Array | null
  /** The RPC name, for example `find_node`. */
  command: string
  /** The payload. An empty value is sent as, and decodes as, `null`. */
  value: Uint8Array | null
}

/** A reply as sent on the wire. Absent optional fields are `null`. */
export interface Reply {
  /** The transaction id of the request it answers. */
  tid: number
  /** The address the request came from, as the replier sees it. */
  to: Peer
  /** The replier's routing id; only persistent nodes send one. */
  id: Uint8Array | null
  /** A round-trip token for the requester to send back later (to prove its address). */
  token: Uint8Array | null
  /** Nodes closer to the request's target. An empty list is sent as, and decodes as, `null`. */
  closerNodes: readonly Peer[] | null
  /** 0 is OK, 1 is UNKNOWN_COMMAND; applications define the rest. */
  status: number
  /** The payload. An empty value is sent as, and decodes as, `null`. */
  value: Uint8Array | null
}

/** A request as {@link decode} returns it. */
export type DecodedRequest = Request & {
  /** Tells a request from a reply. */
  type: 'request'
}
/** A reply as {@link decode} returns it. */
export type DecodedReply = Reply & {
  /** Tells a reply from a request. */
  type: 'reply'
}
/** A decoded datagram. Its ids, token, target and value are views into the datagram. */
export type Message = DecodedRequest | DecodedReply

/** The request codec, in the compact-encoding contract. */
export const request: Codec<Request> = {
  preencode (state, m) {
    state.end += requestSize(m)
  },
  encode (state, m) {
    state.start = writeRequest(state.buffer, state.start, m)
  },
  decode (state) {
    const m = decodeMessage(state)
    if (m.type !== 'request') throw new WireError('INVALID_ARGUMENT', 'expected a request, got a reply')
    return m
  }
}

/** The reply codec, in the compact-encoding contract. */
export const reply: Codec<Reply> = {
  preencode (state, m) {
    state.end += replySize(m)
  },
  encode (state, m) {
    state.start = writeReply(state.buffer, state.start, m)
  },
  decode (state) {
    const m = decodeMessage(state)
    if (m.type !== 'reply') throw new WireError('INVALID_ARGUMENT', 'expected a reply, got a request')
    return m
  }
}

/** Either message, told apart on decode by the request flag and on encode by `type`. */
export const message: Codec<Message> = {
  preencode (state, m) {
    if (m.type === 'request') request.preencode(state, m)
    else reply.preencode(state, m)
  },
  encode (state, m) {
    if (m.type === 'request') request.encode(state, m)
    else reply.encode(state, m)
  },
  decode: decodeMessage
}

/** Encodes a request into one buffer of exactly its size. */
export function encodeRequest (m: Request): Uint8Array {
  const buffer = allocUnsafe(requestSize(m))
  writeRequest(buffer, 0, m)
  return buffer
}

/** Encodes a reply into one buffer of exactly its size. */
export function encodeReply (m: Reply): Uint8Array {
  const buffer = allocUnsafe(replySize(m))
  writeReply(buffer, 0, m)
  return buffer
}

// Encoding is a size pass that checks the fields, then a write pass that keeps its offset in a
// local rather than in a compact-encoding state (measurably faster). Hosts and ports are
// checked while they are written, as writing parses them anyway.

function requestSize (m: Request): number {
  checkCommon(m)
  if (typeof m.command !== 'string' || m.command.length === 0) {
    throw WireError.INVALID_ARGUMENT('command', 'a non-empty string', m.command)
  }
  checkFixed32('target', m.target)
  return HEADER_BYTES + fixedBytes(m.id) + fixedBytes(m.token) + fixedBytes(m.target) +
    commandSize(m.command) + valueSize(m.value)
}

function replySize (m: Reply): number {
  checkCommon(m)
  const status = m.status
  if (typeof status !== 'number' || !Number.isSafeInteger(status) || status < 0) {
    throw WireError.INVALID_ARGUMENT('status', 'a non-negative integer', status)
  }
  const nodes = m.closerNodes
  if (nodes !== null && !Array.isArray(nodes)) {
    throw WireError.INVALID_ARGUMENT('closerNodes', 'an array of { host, port } or null', nodes)
  }
  return HEADER_BYTES + fixedBytes(m.id) + fixedBytes(m.token) +
    (nodes !== null && nodes.length > 0 ? peersSize(nodes) : 0) + uintSize(status) + valueSize(m.value)
}

function writeRequest (b: Uint8Array, offset: number, m: Request): number {
  const flags = IS_REQUEST |
    (m.id !== null ? HAS_ID : 0) |
    (m.token !== null ? HAS_TOKEN : 0) |
    (m.target !== null ? HAS_ROUTE : 0)
  let s = writeHeader(b, offset, flags, m)
  if (m.target !== null) s = writeFixed32(b, s, m.target)
  s = writeCommand(b, s, m.command)
  return writeValue(b, s, m.value)
}

function writeReply (b: Uint8Array, offset: number, m: Reply): number {
  const nodes = m.closerNodes
  const hasNodes = nodes !== null && nodes.length > 0
  const flags = (m.id !== null ? HAS_ID : 0) |
    (m.token !== null ? HAS_TOKEN : 0) |
    (hasNodes ? HAS_ROUTE : 0)
  let s = writeHeader(b, offset, flags, m)
  if (hasNodes) s = writePeers(b, s, nodes)
  s = writeUint(b, s, m.status)
  return writeValue(b, s, m.value)
}

function writeHeader (b: Uint8Array, offset: number, flags: number, m: Request | Reply): number {
  b[offset] = VERSION
  b[offset + 1] = flags
  b[offset + 2] = m.tid & 0xff
  b[offset + 3] = m.tid >>> 8
  let s = writePeer(b, offset + 4, m.to, 'to')
  if (m.id !== null) s = writeFixed32(b, s, m.id)
  if (m.token !== null) s = writeFixed32(b, s, m.token)
  return s
}

function writeFixed32 (b: Uint8Array, offset: number, bytes: Uint8Array): number {
  b.set(bytes, offset)
  return offset + 32
}

/** A compact-encoding buffer: null and empty are both a zero length. */
function valueSize (value: Uint8Array | null): number {
  return value === null ? 1 : uintSize(value.byteLength) + value.byteLength
}

function writeValue (b: Uint8Array, offset: number, value: Uint8Array | null): number {
  if (value === null) return writeUint(b, offset, 0)
  const s = writeUint(b, offset, value.byteLength)
  b.set(value, s)
  return s + value.byteLength
}

/**
 * Decodes one datagram. Throws a {@link WireError} (and nothing else) when it is not a valid
 * v5 message. Unknown flag bits and bytes after the value are ignored, as v5 nodes do.
 */
export function decode (datagram: Uint8Array): Message {
  return decodeMessage(decodeState(datagram))
}

function decodeMessage (state: State): Message {
  const b = state.buffer
  if (state.start >= state.end) throw WireError.TRUNCATED('the version')
  const version = b[state.start++]
  if (version !== VERSION) throw WireError.INVALID_VERSION(version)

  const flags = decodeUint(state, 'the flags')
  if (state.end - state.start < 8) throw WireError.TRUNCATED('the header')
  const tid = b[state.start]! | (b[state.start + 1]! << 8)
  state.start += 2
  const to = readPeer(state)
  const id = (flags & HAS_ID) !== 0 ? decodeFixed32(state, 'the id') : null
  const token = (flags & HAS_TOKEN) !== 0 ? decodeFixed32(state, 'the token') : null

  if ((flags & IS_REQUEST) !== 0) {
    const target = (flags & HAS_ROUTE) !== 0 ? decodeFixed32(state, 'the target') : null
    const command = decodeString(state, 'the command')
    const value = decodeBuffer(state, 'the value')
    return { type: 'request', tid, to, id, token, target, command, value }
  }

  const closerNodes = (flags & HAS_ROUTE) !== 0 ? decodePeers(state) : null
  const status = decodeUint(state, 'the status')
  const value = decodeBuffer(state, 'the value')
  return { type: 'reply', tid, to, id, token, closerNodes, status, value }
}

function checkCommon (m: Request | Reply): void {
  if (typeof m !== 'object' || m === null) throw WireError.INVALID_ARGUMENT('message', 'an object', m)
  const tid = m.tid
  if (typeof tid !== 'number' || !Number.isInteger(tid) || tid < 0 || tid > 0xffff) {
    throw WireError.INVALID_ARGUMENT('tid', 'an integer from 0 to 65535', tid)
  }
  checkFixed32('id', m.id)
  checkFixed32('token', m.token)
  const value = m.value
  if (value !== null && !(value instanceof Uint8Array)) {
    throw WireError.INVALID_ARGUMENT('value', 'a Uint8Array or null', value)
  }
}

function checkFixed32 (field: string, value: unknown): void {
  if (value !== null && (!(value instanceof Uint8Array) || value.byteLength !== 32)) {
    throw WireError.INVALID_ARGUMENT(field, 'a 32-byte Uint8Array or null', value)
  }
}

function fixedBytes (value: Uint8Array | null): number {
  return value === null ? 0 : 32
}

function decodeFixed32 (state: State, field: string): Uint8Array {
  if (state.end - state.start < 32) throw WireError.TRUNCATED(field)
  return decodeView(state, 32)
}

function decodePeers (state: State): readonly Peer[] {
  return peers.decode(state)
}

function decodeLength (state: State, field: string): number {
  const length = decodeUint(state, field)
  const remaining = state.end - state.start
  if (length > remaining) throw WireError.INVALID_LENGTH(field, length, remaining)
  return length
}

function decodeBuffer (state: State, field: string): Uint8Array | null {
  const length = decodeLength(state, field)
  if (length === 0) return null
  return decodeView(state, length)
}

/**
 * The next `length` bytes as a view, of the same class `subarray` gives. A Buffer's views are
 * made with Buffer.from(arrayBuffer, offset, length), its arrayBuffer and byteOffset read once
 * per datagram: node's Buffer#subarray reads both (slow getters) for every view, and a message
 * has up to four.
 */
function decodeView (state: State, length: number): Uint8Array {
  const b = state.buffer
  const start = state.start
  state.start = start + length
  if (b !== viewSource) setViewSource(b)
  if (viewArrayBuffer !== null) return Buffer.from(viewArrayBuffer, viewOffset + start, length)
  return b.subarray(start, start + length)
}

// The datagram decodeView read last, and its arrayBuffer and offset (null unless a Buffer).
let viewSource: Uint8Array | null = null
let viewArrayBuffer: ArrayBufferLike | null = null
let viewOffset = 0

function setViewSource (b: Uint8Array): void {
  viewSource = b
  viewArrayBuffer = b instanceof Buffer ? b.buffer : null
  viewOffset = b.byteOffset
}

function decodeString (state: State, field: string): string {
  return decodeCommand(state, decodeLength(state, field))
}
