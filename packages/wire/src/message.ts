import c from 'compact-encoding'
import { WireError, isWireError } from './errors.js'
import { decodeUint, peers, readOwnAddress, writePeer } from './ipv4.js'
import { decodeCommand, encodeCommand, preencodeCommand } from './command-cache.js'
import type { Peer } from './ipv4.js'
import { allocUnsafe } from 'b4a'
import { decodeState } from './codec.js'
import type { Codec, State } from './codec.js'

/** The protocol version byte every v5 datagram starts with. */
export const VERSION = 2

export const IS_REQUEST = 0b0001
export const HAS_ID = 0b0010
export const HAS_TOKEN = 0b0100
/** On a request: a target follows. On a reply: closerNodes follow. */
export const HAS_ROUTE = 0b1000

/** version, flags, tid and `to`: the bytes every message has, plus the value's length byte. */
const FIXED_BYTES = 1 + 1 + 2 + 6 + 1

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
  tid: number
  to: Peer
  id: Uint8Array | null
  token: Uint8Array | null
  /** Nodes closer to the request's target. An empty list is sent as, and decodes as, `null`. */
  closerNodes: readonly Peer[] | null
  /** 0 is OK, 1 is UNKNOWN_COMMAND; applications define the rest. */
  status: number
  value: Uint8Array | null
}

export type DecodedRequest = Request & { type: 'request' }
export type DecodedReply = Reply & { type: 'reply' }
/** A decoded datagram. Its ids, token, target and value are views into the datagram. */
export type Message = DecodedRequest | DecodedReply

/** The request codec, in the compact-encoding contract. */
export const request: Codec<Request> = {
  preencode (state, m) {
    checkCommon(m)
    if (typeof m.command !== 'string' || m.command.length === 0) {
      throw WireError.INVALID_ARGUMENT('command', 'a non-empty string', m.command)
    }
    checkFixed32('target', m.target)
    state.end += FIXED_BYTES - 1 + fixedBytes(m.id) + fixedBytes(m.token) + fixedBytes(m.target)
    preencodeCommand(state, m.command)
    c.buffer.preencode(state, m.value)
  },
  encode (state, m) {
    const flags = IS_REQUEST |
      (m.id !== null ? HAS_ID : 0) |
      (m.token !== null ? HAS_TOKEN : 0) |
      (m.target !== null ? HAS_ROUTE : 0)
    encodeHeader(state, flags, m)
    if (m.target !== null) encodeFixed32(state, m.target)
    encodeCommand(state, m.command)
    c.buffer.encode(state, m.value)
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
    checkCommon(m)
    const status = m.status
    if (typeof status !== 'number' || !Number.isSafeInteger(status) || status < 0) {
      throw WireError.INVALID_ARGUMENT('status', 'a non-negative integer', status)
    }
    const nodes = m.closerNodes
    if (nodes !== null && !Array.isArray(nodes)) {
      throw WireError.INVALID_ARGUMENT('closerNodes', 'an array of { host, port } or null', nodes)
    }
    state.end += FIXED_BYTES - 1 + fixedBytes(m.id) + fixedBytes(m.token)
    if (nodes !== null && nodes.length > 0) peers.preencode(state, nodes)
    c.uint.preencode(state, status)
    c.buffer.preencode(state, m.value)
  },
  encode (state, m) {
    const nodes = m.closerNodes
    const hasNodes = nodes !== null && nodes.length > 0
    const flags = (m.id !== null ? HAS_ID : 0) |
      (m.token !== null ? HAS_TOKEN : 0) |
      (hasNodes ? HAS_ROUTE : 0)
    encodeHeader(state, flags, m)
    if (hasNodes) peers.encode(state, nodes)
    c.uint.encode(state, m.status)
    c.buffer.encode(state, m.value)
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
  // Spelled out rather than encodeExact(request, m): monomorphic calls are measurably faster here.
  const state: State = { start: 0, end: 0, buffer: EMPTY }
  request.preencode(state, m)
  state.buffer = allocUnsafe(state.end)
  request.encode(state, m)
  return state.buffer
}

/** Encodes a reply into one buffer of exactly its size. */
export function encodeReply (m: Reply): Uint8Array {
  const state: State = { start: 0, end: 0, buffer: EMPTY }
  reply.preencode(state, m)
  state.buffer = allocUnsafe(state.end)
  reply.encode(state, m)
  return state.buffer
}

const EMPTY = new Uint8Array(0)

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
  const to = readOwnAddress(state)
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

function encodeHeader (state: State, flags: number, m: Request | Reply): void {
  const b = state.buffer
  b[state.start++] = VERSION
  b[state.start++] = flags
  c.uint16.encode(state, m.tid)
  writePeer(state, m.to, 'to')
  if (m.id !== null) encodeFixed32(state, m.id)
  if (m.token !== null) encodeFixed32(state, m.token)
}

// A plain loop beats TypedArray#set (which c.fixed32 uses) for 32 bytes by about 2x.
function encodeFixed32 (state: State, bytes: Uint8Array): void {
  const b = state.buffer
  const s = state.start
  for (let i = 0; i < 32; i++) b[s + i] = bytes[i]!
  state.start = s + 32
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
  return c.fixed32.decode(state)
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
  return state.buffer.subarray(state.start, (state.start += length))
}

function decodeString (state: State, field: string): string {
  return decodeCommand(state, decodeLength(state, field))
}
