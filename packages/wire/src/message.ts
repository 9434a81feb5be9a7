import { WireError } from './errors.js'
import { decodeUint, peersSize, readPeer, readPeers, writePeer, writePeers } from './ipv4.js'
import { commandSize, decodeCommand, writeCommand } from './commands.js'
import type { Intern } from './intern.js'
import type { Peer } from './ipv4.js'
import { allocUnsafe } from 'b4a'
import { Buffer } from 'node:buffer'
import { uintSize, writeUint } from './codec.js'
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
    state.end += requestSize(m, null)
  },
  encode (state, m) {
    state.start = writeRequest(state.buffer, state.start, m, null)
  },
  decode (state) {
    const m = decodeFrom(state)
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
    const m = decodeFrom(state)
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
  decode: decodeFrom
}

/**
 * Encodes a request into one buffer of exactly its size. With an `intern`, a command it has
 * seen before is copied rather than encoded again.
 */
export function encodeRequest (m: Request, intern?: Intern): Uint8Array {
  const through = intern ?? null
  const buffer = allocUnsafe(requestSize(m, through))
  writeRequest(buffer, 0, m, through)
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

function requestSize (m: Request, intern: Intern | null): number {
  checkCommon(m)
  if (typeof m.command !== 'string' || m.command.length === 0) {
    throw WireError.INVALID_ARGUMENT('command', 'a non-empty string', m.command)
  }
  checkFixed32('target', m.target)
  return HEADER_BYTES + fixedBytes(m.id) + fixedBytes(m.token) + fixedBytes(m.target) +
    commandSize(m.command, intern === null ? null : intern.commands) + valueSize(m.value)
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

function writeRequest (b: Uint8Array, offset: number, m: Request, intern: Intern | null): number {
  const flags = IS_REQUEST |
    (m.id !== null ? HAS_ID : 0) |
    (m.token !== null ? HAS_TOKEN : 0) |
    (m.target !== null ? HAS_ROUTE : 0)
  let s = writeHeader(b, offset, flags, m)
  if (m.target !== null) s = writeFixed32(b, s, m.target)
  s = writeCommand(b, s, m.command, intern === null ? null : intern.commands)
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
 * v5 message. Unknown flag bits and bytes after the value are ignored, as v5 nodes do. With an
 * `intern`, its peers and known command come from it (see {@link Intern}).
 */
export function decode (datagram: Uint8Array, intern?: Intern): Message {
  return decodeMessage(new Reader(datagram, 0, datagram.byteLength, intern ?? null))
}

// the codecs' decode: a state of the caller's, advanced past the message
function decodeFrom (state: State): Message {
  const reader = new Reader(state.buffer, state.start, state.end, null)
  const m = decodeMessage(reader)
  state.start = reader.start
  return m
}

/**
 * A datagram being decoded: a compact-encoding state, and what decoding reads once per
 * datagram. Its views are made with Buffer.from(arrayBuffer, offset, length), the Buffer's
 * arrayBuffer and byteOffset read here: node's Buffer#subarray reads both (slow getters) for
 * every view, and a message has up to four.
 */
class Reader implements State {
  start: number
  end: number
  readonly buffer: Uint8Array
  /** The Buffer's memory, or null when the datagram is not a Buffer. */
  readonly arrayBuffer: ArrayBufferLike | null
  readonly byteOffset: number
  readonly intern: Intern | null

  constructor (buffer: Uint8Array, start: number, end: number, intern: Intern | null) {
    this.start = start
    this.end = end
    this.buffer = buffer
    this.arrayBuffer = buffer instanceof Buffer ? buffer.buffer : null
    this.byteOffset = buffer.byteOffset
    this.intern = intern
  }
}

function decodeMessage (r: Reader): Message {
  const b = r.buffer
  if (r.start >= r.end) throw WireError.TRUNCATED('the version')
  const version = b[r.start++]
  if (version !== VERSION) throw WireError.INVALID_VERSION(version)

  const flags = decodeUint(r, 'the flags')
  if (r.end - r.start < 8) throw WireError.TRUNCATED('the header')
  const tid = b[r.start]! | (b[r.start + 1]! << 8)
  r.start += 2
  const to = readPeer(r, r.intern)
  const id = (flags & HAS_ID) !== 0 ? decodeFixed32(r, 'the id') : null
  const token = (flags & HAS_TOKEN) !== 0 ? decodeFixed32(r, 'the token') : null

  if ((flags & IS_REQUEST) !== 0) {
    const target = (flags & HAS_ROUTE) !== 0 ? decodeFixed32(r, 'the target') : null
    const command = decodeCommand(r, decodeLength(r, 'the command'), r.intern?.commands ?? null)
    const value = decodeBuffer(r, 'the value')
    return { type: 'request', tid, to, id, token, target, command, value }
  }

  const closerNodes = (flags & HAS_ROUTE) !== 0 ? readPeers(r, r.intern) : null
  const status = decodeUint(r, 'the status')
  const value = decodeBuffer(r, 'the value')
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

function decodeFixed32 (r: Reader, field: string): Uint8Array {
  if (r.end - r.start < 32) throw WireError.TRUNCATED(field)
  return decodeView(r, 32)
}

function decodeLength (r: Reader, field: string): number {
  const length = decodeUint(r, field)
  const remaining = r.end - r.start
  if (length > remaining) throw WireError.INVALID_LENGTH(field, length, remaining)
  return length
}

function decodeBuffer (r: Reader, field: string): Uint8Array | null {
  const length = decodeLength(r, field)
  if (length === 0) return null
  return decodeView(r, length)
}

/** The next `length` bytes as a view, of the same class `subarray` gives. */
function decodeView (r: Reader, length: number): Uint8Array {
  const start = r.start
  r.start = start + length
  if (r.arrayBuffer !== null) return Buffer.from(r.arrayBuffer, r.byteOffset + start, length)
  return r.buffer.subarray(start, start + length)
}
