// The wire test vectors of test-vectors/v5.json: what they are made of, and how to turn their
// JSON form into messages and back. The hex of every canonical vector is made by
// dht-rpc@5.0.0-rc.6's own codec, so the file records the reference's bytes, not ours.
import { createHash } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import type { Message, Peer, WireErrorCode } from '@dht/wire'
import { referenceEncode, referenceId } from './reference.js'
import type { ReferenceMessage } from './reference.js'

/** Where the vectors are published, relative to the compiled tests in dist-test/. */
export const VECTORS_FILE = fileURLToPath(new URL('../test-vectors/v5.json', import.meta.url))

/** A message as the JSON file spells it: bytes as lowercase hex, absent fields null. */
export type JsonMessage =
  | { type: 'request', tid: number, to: Peer, id: string | null, token: string | null, target: string | null, command: string, value: string | null }
  | { type: 'reply', tid: number, to: Peer, id: string | null, token: string | null, closerNodes: Peer[] | null, status: number, value: string | null }

/** A datagram that decodes to `message`. Unless `decodeOnly`, encoding `message` gives exactly `hex`. */
export interface ValidVector {
  name: string
  description: string
  hex: string
  message: JsonMessage
  /** Valid but not how an encoder writes it (unknown flag bits, trailing bytes, a longer uint, bytes that are not UTF-8). */
  decodeOnly?: true
}

/** A datagram that a decoder must reject; `error` is the code of @dht/wire's WireError. */
export interface InvalidVector {
  name: string
  description: string
  hex: string
  error: WireErrorCode
}

export type Vector = ValidVector | InvalidVector

export function isValid (v: Vector): v is ValidVector {
  return 'message' in v
}

/** The vectors as committed. */
export function readVectors (): Vector[] {
  return JSON.parse(readFileSync(VECTORS_FILE, 'utf8')) as Vector[]
}

/** The exact text the file must hold: indented JSON, one line per { host, port }. */
export function formatVectors (vectors: readonly Vector[]): string {
  const text = JSON.stringify(vectors, null, 2)
  return text.replace(/\{\n\s*("host": "[0-9.]+"),\n\s*("port": \d+)\n\s*\}/g, '{ $1, $2 }') + '\n'
}

export function toHex (bytes: Uint8Array | null): string | null {
  return bytes === null ? null : Buffer.from(bytes).toString('hex')
}

function fromHex (hex: string | null): Buffer | null {
  return hex === null ? null : Buffer.from(hex, 'hex')
}

/** A decoded message of ours, in the file's form. */
export function jsonOf (m: Message): JsonMessage {
  if (m.type === 'request') {
    return { type: 'request', tid: m.tid, to: { host: m.to.host, port: m.to.port }, id: toHex(m.id), token: toHex(m.token), target: toHex(m.target), command: m.command, value: toHex(m.value) }
  }
  const closerNodes = m.closerNodes === null ? null : m.closerNodes.map(({ host, port }) => ({ host, port }))
  return { type: 'reply', tid: m.tid, to: { host: m.to.host, port: m.to.port }, id: toHex(m.id), token: toHex(m.token), closerNodes, status: m.status, value: toHex(m.value) }
}

/** A message decoded by the reference codec, in the file's form. */
export function jsonOfReference (m: ReferenceMessage): JsonMessage {
  const to = { host: m.to.host, port: m.to.port }
  if (m.command !== null) {
    return { type: 'request', tid: m.tid, to, id: toHex(m.id), token: toHex(m.token), target: toHex(m.target), command: m.command, value: toHex(m.value) }
  }
  const closerNodes = m.closerNodes === null ? null : m.closerNodes.map(({ host, port }) => ({ host, port }))
  return { type: 'reply', tid: m.tid, to, id: toHex(m.id), token: toHex(m.token), closerNodes, status: m.status, value: toHex(m.value) }
}

/** The file's form as a message for our encoder. */
export function messageOf (j: JsonMessage): Message {
  if (j.type === 'request') {
    return { type: 'request', tid: j.tid, to: j.to, id: fromHex(j.id), token: fromHex(j.token), target: fromHex(j.target), command: j.command, value: fromHex(j.value) }
  }
  return { type: 'reply', tid: j.tid, to: j.to, id: fromHex(j.id), token: fromHex(j.token), closerNodes: j.closerNodes, status: j.status, value: fromHex(j.value) }
}

/** The file's form as a message for the reference encoder. */
export function referenceOf (j: JsonMessage): ReferenceMessage {
  const m = messageOf(j)
  return m.type === 'request'
    ? { version: 2, tid: m.tid, from: null, to: m.to, id: m.id, token: m.token, target: m.target, closerNodes: null, command: m.command, status: 0, value: m.value }
    : { version: 2, tid: m.tid, from: null, to: m.to, id: m.id, token: m.token, target: null, closerNodes: m.closerNodes === null ? null : [...m.closerNodes], command: null, status: m.status, value: m.value }
}

// Fixed inputs, so the file never changes unless the definitions below do.
const NODE = { host: '10.0.0.1', port: 49737 } // the sender
const US = { host: '192.0.2.10', port: 10001 } // the receiver, as the sender sees it
const NODE_ID = hex(referenceId(NODE.host, NODE.port))
const TOKEN = Buffer.from(Array.from({ length: 32 }, (_, i) => 0xa0 + (i & 0x0f))).toString('hex')
const KEY = createHash('sha256').update('hello world').digest('hex') // the README's key-value example
const HELLO = Buffer.from('hello world').toString('hex')
const CLOSER: Peer[] = [
  { host: '10.0.0.2', port: 49738 },
  { host: '172.16.5.4', port: 443 },
  { host: '203.0.113.77', port: 65535 }
]

function hex (bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('hex')
}

// the fields in the order they are on the wire
function request (tid: number, f: Partial<Omit<Extract<JsonMessage, { type: 'request' }>, 'type' | 'tid'>> & { command: string }): JsonMessage {
  return { type: 'request', tid, to: f.to ?? US, id: f.id ?? null, token: f.token ?? null, target: f.target ?? null, command: f.command, value: f.value ?? null }
}

function reply (tid: number, f: Partial<Omit<Extract<JsonMessage, { type: 'reply' }>, 'type' | 'tid'>>): JsonMessage {
  return { type: 'reply', tid, to: f.to ?? US, id: f.id ?? null, token: f.token ?? null, closerNodes: f.closerNodes ?? null, status: f.status ?? 0, value: f.value ?? null }
}

function canonical (name: string, description: string, message: JsonMessage): ValidVector {
  return { name, description, hex: Buffer.from(referenceEncode(referenceOf(message))).toString('hex'), message }
}

/** A vector with the datagram of `of` changed by `edit`, which still decodes to `message`. */
function decodeOnly (name: string, description: string, of: ValidVector, edit: (bytes: Buffer) => Buffer, message: JsonMessage = of.message): ValidVector {
  return { name, description, hex: edit(Buffer.from(of.hex, 'hex')).toString('hex'), message, decodeOnly: true }
}

function invalid (name: string, description: string, bytes: Uint8Array | readonly number[], error: WireErrorCode): InvalidVector {
  return { name, description, hex: Buffer.from(bytes).toString('hex'), error }
}

/** Every vector, in the order of the file. */
export function buildVectors (): Vector[] {
  const findNode = canonical('find_node request, ephemeral sender',
    'A lookup step from a node without an id (flags 0b1001: request, target). Every datagram starts with version 2, the flags, the tid (uint16 LE) and `to` (4 IPv4 bytes, port uint16 LE).',
    request(0x1234, { target: NODE_ID, command: 'find_node' }))
  const ping = canonical('ping request',
    'The smallest request: no id, no target, command "ping", a null value (length byte 0).',
    request(1, { command: 'ping' }))
  const findNodeReply = canonical('find_node reply with closer nodes',
    'A persistent node\'s answer to find_node (flags 0b1010: id, closerNodes): the uint count, then 6 bytes per node, then status 0 and a null value.',
    reply(0x1234, { id: NODE_ID, closerNodes: CLOSER }))
  const manyNodes: Peer[] = Array.from({ length: 253 }, (_, i) => ({ host: `10.${i}.${255 - i}.1`, port: 1024 + i * 251 }))

  const valid: ValidVector[] = [
    findNode,
    canonical('find_node request, persistent sender',
      'The same lookup from a persistent node: its 32-byte id follows `to` (flags 0b1011). The id is BLAKE2b-256 of the sender\'s IPv4 bytes and port (uint16 LE).',
      request(0x1235, { id: NODE_ID, target: NODE_ID, command: 'find_node' })),
    ping,
    canonical('ping request with a 32-byte value',
      'The largest ping a node answers: a ping whose value is longer than 32 bytes gets no reply.',
      request(2, { id: NODE_ID, command: 'ping', value: 'ff'.repeat(32) })),
    canonical('ping_nat request',
      'Asks the receiver to answer from a second socket, to learn whether unsolicited datagrams reach the sender.',
      request(3, { id: NODE_ID, command: 'ping_nat' })),
    canonical('commit request with token, as dht-rpc@5.0.0-rc.6 sends it',
      'The README\'s key-value store: command "values", target sha256(value), the round-trip token of the receiver\'s earlier reply, and no id (flags 0b1101).',
      request(4, { token: TOKEN, target: KEY, command: 'values', value: HELLO })),
    canonical('commit request with id and token',
      'A commit that also carries the sender\'s id (flags 0b1111: every request field).',
      request(5, { id: NODE_ID, token: TOKEN, target: KEY, command: 'values', value: HELLO })),
    findNodeReply,
    canonical('user reply with token and value',
      'A reply to a user command from a persistent node: id, token, 20 closer nodes, status 0 and the value (flags 0b1110).',
      reply(4, { id: NODE_ID, token: TOKEN, closerNodes: Array.from({ length: 20 }, (_, i) => ({ host: `10.1.${i}.${i + 1}`, port: 20000 + i })), value: HELLO })),
    canonical('ping reply',
      'Status 0 and the echoed (here null) value, with the replier\'s id and no token.',
      reply(1, { id: NODE_ID })),
    canonical('ping_nat reply',
      'Sent from the replier\'s second socket, so without an id: flags 0.',
      reply(3, {})),
    canonical('error status: UNKNOWN_COMMAND',
      'Status 1: no \'request\' listener handled the command. It still carries closer nodes for the target.',
      reply(6, { id: NODE_ID, closerNodes: CLOSER, status: 1 })),
    canonical('error status: application code',
      'req.error(42): an application-defined status, with the token and no value.',
      reply(7, { id: NODE_ID, token: TOKEN, status: 42 })),
    canonical('empty value',
      'The README\'s key-value store answering a read of a key it does not hold. An empty value is written exactly like null (length 0) and decodes as null; an empty closerNodes list is written like null too (no flag).',
      reply(8, { id: NODE_ID, token: TOKEN, closerNodes: CLOSER })),
    canonical('multi-byte lengths: 300-byte value',
      'A uint of 253 or more takes 3 bytes: 0xfd, then uint16 LE (here 0xfd 0x2c 0x01 for 300).',
      request(9, { command: 'put', value: '5a'.repeat(300) })),
    canonical('multi-byte lengths: 253-byte command',
      'The command is a uint byte length then UTF-8; 253 bytes is the first length written with 0xfd.',
      request(10, { command: 'c'.repeat(253) })),
    canonical('multi-byte lengths: 253 closer nodes',
      'A node count of 253 takes 3 bytes (0xfd 0xfd 0x00); nodes send at most 20, but a decoder takes any count that fits.',
      reply(11, { closerNodes: manyNodes })),
    canonical('multi-byte lengths: status 253',
      'The status is a uint: 253 is written 0xfd 0xfd 0x00.',
      reply(12, { status: 253 })),
    canonical('multi-byte lengths: status 65536',
      '0xfe then uint32 LE.',
      reply(13, { status: 65536 })),
    canonical('multi-byte lengths: status 2^32',
      '0xff then uint64 LE.',
      reply(14, { status: 2 ** 32 })),
    canonical('UTF-8 command',
      'Lengths are in bytes, not characters: "find_nöde ☃ 𝄞" is 20 bytes.',
      request(15, { command: 'find_nöde ☃ 𝄞' })),
    canonical('boundaries: tid 0, address 0.0.0.0:0',
      'The smallest tid, host and port.',
      request(0, { to: { host: '0.0.0.0', port: 0 }, command: 'ping' })),
    canonical('boundaries: tid 65535, address 255.255.255.255:65535',
      'The largest tid, host and port.',
      reply(0xffff, { to: { host: '255.255.255.255', port: 65535 } }))
  ]

  const decodeOnlyVectors: ValidVector[] = [
    decodeOnly('unknown flag bits',
      'Flag bits above 0b1000 mean nothing in v5 and are ignored (0x79 here: 0b1001 and three unknown bits).',
      findNode, (b) => { b[1] = b[1]! | 0x70; return b }),
    decodeOnly('bytes after the value',
      'Anything after the value is ignored.',
      ping, (b) => Buffer.concat([b, Buffer.from([1, 2, 3])])),
    decodeOnly('a longer uint than needed',
      'A uint may be written longer than needed: a value length of 0 as 0xfd 0x00 0x00 still means null.',
      ping, (b) => Buffer.concat([b.subarray(0, b.length - 1), Buffer.from([0xfd, 0, 0])])),
    decodeOnly('flags as a 3-byte uint',
      'The flags are a uint too (in practice one byte): 0xfd 0x0a 0x00 is flags 0b1010.',
      findNodeReply, (b) => Buffer.concat([b.subarray(0, 1), Buffer.from([0xfd, 0x0a, 0x00]), b.subarray(2)])),
    decodeOnly('command not valid UTF-8',
      'The command bytes 0x66 0x69 0xfe 0x6e 0x64 are not UTF-8: like any compact-encoding string they decode with U+FFFD in place of each invalid sequence ("fi", U+FFFD, "nd"), and a node answers the command (here UNKNOWN_COMMAND). Encoding that string writes U+FFFD as 0xef 0xbf 0xbd.',
      ping, () => Buffer.from([2, 0b0001, 0x34, 0x12, 192, 0, 2, 10, 0x11, 0x27, 5, 0x66, 0x69, 0xfe, 0x6e, 0x64, 0]),
      request(0x1234, { command: 'fi\ufffdnd' })),
    decodeOnly('closerNodes flag with a count of 0',
      'Encoders leave the flag off for an empty list, but a flagged count of 0 decodes as an empty list.',
      ping, () => Buffer.from([2, 0b1000, 1, 0, 192, 0, 2, 10, 0x11, 0x27, 0, 0, 0]),
      reply(1, { closerNodes: [] }))
  ]

  const header = [2, 0, 0x34, 0x12, 192, 0, 2, 10, 0x11, 0x27] // version, flags 0, tid, to
  const requestHeader = [2, 0b0001, ...header.slice(2)]
  const pingBytes = Buffer.from(ping.hex, 'hex')
  const invalidVectors: InvalidVector[] = [
    invalid('empty datagram', 'Nothing at all (nodes drop datagrams of one byte or less before decoding).', [], 'TRUNCATED'),
    invalid('version 1', 'Any first byte but 2 is another protocol version.', [1, ...pingBytes.subarray(1)], 'INVALID_VERSION'),
    invalid('version 3', 'Any first byte but 2 is another protocol version.', [3, ...pingBytes.subarray(1)], 'INVALID_VERSION'),
    invalid('only a version byte', 'The datagram ends before the flags.', [2], 'TRUNCATED'),
    invalid('flags cut short', 'The flags uint announces 2 more bytes (0xfd) and has one.', [2, 0xfd, 0x01], 'TRUNCATED'),
    invalid('header cut short', 'The datagram ends inside `to`.', header.slice(0, 7), 'TRUNCATED'),
    invalid('id cut short', 'The id flag is set and only 31 bytes follow.', [2, 0b0010, ...header.slice(2), ...new Array<number>(31).fill(7)], 'TRUNCATED'),
    invalid('token cut short', 'The token flag is set and only 16 bytes follow.', [2, 0b0101, ...header.slice(2), ...new Array<number>(16).fill(7)], 'TRUNCATED'),
    invalid('target cut short', 'A request with the target flag and only 10 bytes of target.', [2, 0b1001, ...header.slice(2), ...new Array<number>(10).fill(7)], 'TRUNCATED'),
    invalid('no status', 'A reply that ends after `to`.', header, 'TRUNCATED'),
    invalid('no value length', 'A request that ends after its command.', [...requestHeader, 4, 0x70, 0x69, 0x6e, 0x67], 'TRUNCATED'),
    invalid('command longer than the datagram', 'The command length (uint 1000) claims more bytes than remain.', [...requestHeader, 0xfd, 0xe8, 0x03, 0x61, 0x62, 0], 'INVALID_LENGTH'),
    invalid('value longer than the datagram', 'The value length (uint 2^31 - 1) claims more bytes than remain; a decoder checks before allocating.', [...header, 0, 0xfe, 0xff, 0xff, 0xff, 0x7f, 1, 2, 3], 'INVALID_LENGTH'),
    invalid('closer nodes beyond the datagram', 'A count of 2^32 - 1 nodes in a datagram of a few bytes.', [2, 0b1000, ...header.slice(2), 0xfe, 0xff, 0xff, 0xff, 0xff, 10, 0, 0, 1, 80, 0, 0, 0], 'INVALID_LENGTH'),
    invalid('closer nodes: one of two missing', 'A count of 2 and one node.', [2, 0b1000, ...header.slice(2), 2, 10, 0, 0, 1, 80, 0, 0, 0], 'INVALID_LENGTH')
  ]

  return [...valid, ...decodeOnlyVectors, ...invalidVectors]
}
