import c from 'compact-encoding'
import { WireError } from './errors.js'
import { uintSize, writeUint } from './codec.js'
import type { Codec, State } from './codec.js'
import type { Intern } from './intern.js'

/** An IPv4 UDP endpoint. */
export interface Peer {
  /** A dotted-quad IPv4 address: `'127.0.0.1'`. */
  host: string
  /** A UDP port, 0 to 65535. */
  port: number
}

/**
 * A peer whose host is parsed once, when it is made: the encoders write its address from that
 * number and never read the host string again. An object that lives long and is encoded
 * often (a routing-table entry, named in every reply it is among the closest for) pays the
 * parse once, where reading a string that is out of the CPU cache costs more than the rest of
 * encoding the peer. The number is private to this package and made from the host, so the two
 * agree; `host` and `port` never change (they are read-only: never write them). A copy
 * (`{ ...peer }`) is a plain peer, parsed when it is encoded. Extend it to carry more fields,
 * as a routing-table entry does.
 */
export class ParsedPeer implements Peer {
  /** A dotted-quad IPv4 address. */
  readonly host: string
  /** A UDP port, 0 to 65535. */
  readonly port: number
  readonly #bits: number

  /** Throws a WireError (INVALID_ARGUMENT) for a host or port the encoders would refuse. */
  constructor (host: string, port: number) {
    const bits = parseIPv4(host)
    if (bits === null) throw hostError(host, 'host')
    assertPort(port)
    this.host = host
    this.port = port
    this.#bits = bits
  }

  /**
   * The host of any peer as {@link parseIPv4} gives it: a ParsedPeer's from the number it
   * keeps, any other's parsed from its host (null when that is no IPv4 address, or `peer`
   * no object).
   */
  static hostBitsOf (peer: Peer): number | null {
    if (typeof peer !== 'object' || peer === null) return null
    return #bits in peer ? peer.#bits : parseIPv4(peer.host)
  }
}

const DECIMAL: readonly string[] = Array.from({ length: 256 }, (_, i) => String(i))
// '0.' to '255.': a host is built in 3 string concatenations rather than 7.
const DECIMAL_DOT: readonly string[] = DECIMAL.map((d) => d + '.')
const SHORTEST_IPV4 = '0.0.0.0'.length
const LONGEST_IPV4 = '255.255.255.255'.length
const DOT = 46
const ZERO = 48

/**
 * Writes the 4 bytes of a dotted-quad IPv4 host at `offset`. Accepts exactly what
 * `net.isIPv4` accepts (no leading zeros, no whitespace); throws otherwise.
 */
export function writeIPv4 (buffer: Uint8Array, offset: number, host: string, field = 'host'): void {
  const ip = parseIPv4(host)
  if (ip === null) throw hostError(host, field)
  writeIPv4Bits(buffer, offset, ip)
}

/**
 * A dotted-quad IPv4 host as a signed 32-bit integer (the first byte in the top bits, so
 * addresses from 128.0.0.0 are negative), or null unless {@link writeIPv4} would accept it.
 * Signed, so that it stays a small integer and never allocates.
 */
export function parseIPv4 (host: unknown): number | null {
  // One pass over the characters (this runs for every peer of every message encoded)
  if (typeof host !== 'string') return null
  const len = host.length
  if (len < SHORTEST_IPV4 || len > LONGEST_IPV4) return null
  let ip = 0
  let dots = 0
  let n = 0 // the part being read
  let digits = 0 // and its digit count
  for (let i = 0; i < len; i++) {
    const c = host.charCodeAt(i)
    if (c === DOT) {
      if (digits === 0 || dots === 3) return null
      ip = (ip << 8) | n
      dots++
      n = 0
      digits = 0
    } else {
      const d = c - ZERO
      if (d < 0 || d > 9 || (digits === 1 && n === 0)) return null // not a digit, or a leading zero
      n = n * 10 + d
      digits++
      if (n > 255) return null
    }
  }
  return digits === 0 || dots !== 3 ? null : (ip << 8) | n
}

/** Writes the 4 bytes of an IPv4 address given as {@link parseIPv4} returns it. */
export function writeIPv4Bits (buffer: Uint8Array, offset: number, ip: number): void {
  buffer[offset] = ip >>> 24
  buffer[offset + 1] = (ip >>> 16) & 0xff
  buffer[offset + 2] = (ip >>> 8) & 0xff
  buffer[offset + 3] = ip & 0xff
}

/** Reads 4 bytes at `offset` as a dotted-quad string. The caller checks bounds. */
export function readIPv4 (buffer: Uint8Array, offset: number): string {
  return DECIMAL_DOT[buffer[offset]!]! + DECIMAL_DOT[buffer[offset + 1]!]! +
    DECIMAL_DOT[buffer[offset + 2]!]! + DECIMAL[buffer[offset + 3]!]!
}

/** True for a dotted-quad IPv4 string that {@link writeIPv4} accepts. */
export function isIPv4 (host: unknown): host is string {
  return parseIPv4(host) !== null
}

/** Throws unless `port` is an integer in 0..65535. */
export function assertPort (port: unknown, field = 'port'): asserts port is number {
  if (typeof port !== 'number' || !Number.isInteger(port) || port < 0 || port > 0xffff) {
    throw WireError.INVALID_ARGUMENT(field, 'an integer from 0 to 65535', port)
  }
}

/** 4 IPv4 bytes. */
export const ipv4: Codec<string> = {
  preencode (state) {
    state.end += 4
  },
  encode (state, host) {
    writeIPv4(state.buffer, state.start, host)
    state.start += 4
  },
  decode (state) {
    if (state.end - state.start < 4) throw WireError.TRUNCATED('an IPv4 address')
    const host = readIPv4(state.buffer, state.start)
    state.start += 4
    return host
  }
}

/** 4 IPv4 bytes and a uint16 little-endian port: 6 bytes. */
export const peer: Codec<Peer> = {
  preencode (state) {
    state.end += 6
  },
  encode (state, p) {
    state.start = writePeer(state.buffer, state.start, p, 'peer')
  },
  decode (state) {
    if (state.end - state.start < 6) throw WireError.TRUNCATED('a peer address')
    return readPeer(state, null)
  }
}

/**
 * A uint count followed by that many peers. Decoding checks the count against the bytes
 * left before allocating anything.
 */
export const peers: Codec<readonly Peer[]> = {
  preencode (state, list) {
    state.end += peersSize(list)
  },
  encode (state, list) {
    state.start = writePeers(state.buffer, state.start, list)
  },
  decode (state) {
    return readPeers(state, null)
  }
}

/** Decodes a list of peers, through `intern` when given (see {@link readPeer}). */
export function readPeers (state: State, intern: Intern | null): readonly Peer[] {
  const count = decodeUint(state, 'a peer count')
  const remaining = state.end - state.start
  if (count * 6 > remaining) throw WireError.INVALID_LENGTH('peer count', count * 6, remaining)
  const list: Peer[] = new Array(count)
  for (let i = 0; i < count; i++) list[i] = readPeer(state, intern)
  return list
}

/** Bytes of a list of peers: its uint count and 6 bytes a peer. */
export function peersSize (list: readonly Peer[]): number {
  return uintSize(list.length) + 6 * list.length
}

/** Writes a list of peers at `offset`; returns the offset after it. */
export function writePeers (buffer: Uint8Array, offset: number, list: readonly Peer[]): number {
  let s = writeUint(buffer, offset, list.length)
  for (let i = 0; i < list.length; i++) s = writePeer(buffer, s, list[i]!, 'peers', i)
  return s
}

/**
 * Writes a peer's 6 bytes at `offset`; returns the offset after them. `field` (with `index`,
 * for a list) names it in errors; the
 * name is only built when one is thrown, for this runs for every closer node of every reply.
 */
export function writePeer (buffer: Uint8Array, offset: number, p: Peer, field: string, index = -1): number {
  if (typeof p !== 'object' || p === null) throw WireError.INVALID_ARGUMENT(fieldName(field, index), 'a { host, port } object', p)
  const port = p.port
  if (typeof port !== 'number' || !Number.isInteger(port) || port < 0 || port > 0xffff) assertPort(port, fieldName(field, index) + '.port')
  const parsed = ParsedPeer.hostBitsOf(p)
  if (parsed === null) throw hostError(p.host, fieldName(field, index) + '.host')
  writeIPv4Bits(buffer, offset, parsed)
  buffer[offset + 4] = port & 0xff
  buffer[offset + 5] = port >>> 8
  return offset + 6
}

function fieldName (field: string, index: number): string {
  return index < 0 ? field : `${field}[${index}]`
}

/**
 * Reads 6 bytes as a frozen { host, port }: from `intern` when given, so that every message
 * naming the address while the intern holds it shares one object. The caller checks bounds.
 */
export function readPeer (state: State, intern: Intern | null): Peer {
  const s = state.start
  state.start = s + 6
  return intern === null ? newPeer(state.buffer, s) : intern.peerAt(state.buffer, s)
}

/**
 * A new frozen peer of the 6 bytes at `offset`. Frozen whether or not an intern shares it, so
 * that a decoded peer behaves the same either way.
 */
export function newPeer (buffer: Uint8Array, offset: number): Peer {
  return Object.freeze({ host: readIPv4(buffer, offset), port: buffer[offset + 4]! | (buffer[offset + 5]! << 8) })
}

/** The 4 IPv4 bytes at `offset`, as {@link parseIPv4} gives them. The caller checks bounds. */
export function readIPv4Bits (buffer: Uint8Array, offset: number): number {
  return (buffer[offset]! << 24) | (buffer[offset + 1]! << 16) | (buffer[offset + 2]! << 8) | buffer[offset + 3]!
}

/** compact-encoding's uint, failing with a {@link WireError} when the datagram ends inside it. */
export function decodeUint (state: State, field: string): number {
  try {
    return c.uint.decode(state)
  } catch {
    throw WireError.TRUNCATED(field)
  }
}

/** The error for a host that parseIPv4 refused. */
export function hostError (host: unknown, field: string): WireError {
  if (typeof host !== 'string') return WireError.INVALID_ARGUMENT(field, 'an IPv4 address string', host)
  return WireError.INVALID_ARGUMENT(field, 'a dotted-quad IPv4 address', host)
}

