// What the nodes of one process may share while they encode and decode: one object per
// address they hear of (its decoded peer and its routing id), and the encoded form of the
// commands they use. A node hears of the same few thousand addresses again and again: a reply
// names up to 20 closer nodes, the replies to one lookup name the same nodes, and every
// datagram carries the node's own address. Without it, each of those is a new object (the
// largest share of what a node allocated) and each closer node's id a new BLAKE2b hash (the
// largest cost of taking in a reply after the decoding).
//
// Addresses go into a table of two-slot buckets, one bucket per hash of the address: a lookup
// is two multiplications and a few array reads, and the memory is fixed. The first slot of a
// bucket holds the address used last, so two busy addresses that hash alike (the nodes of one
// reply, say) both stay, where a single slot would make each push the other out at every
// message. The table is sized once, for the nodes that share it: nothing grows or empties it
// behind their back.

import { WireError } from './errors.js'
import { CommandTable } from './commands.js'
import { hashAddress, ID_BYTES } from './id.js'
import { assertPort, hostError, newPeer, parseIPv4, readIPv4Bits } from './ipv4.js'
import type { Peer } from './ipv4.js'

// log2 of the slots: 8 a node, for a node hears of a few addresses for each node of its
// process; at least enough for what one node alone hears of (its routing table and the
// nodes its lookups name), and at most enough for some 250,000 nodes.
const SLOT_BITS_PER_NODE = 3
const MIN_SLOT_BITS = 10
const MAX_SLOT_BITS = 21

/** The options of `new Intern()`. */
export interface InternOptions {
  /**
   * The nodes that will share it: it remembers 8 addresses a node, at least 1,024 and at most
   * 2^21 (some 16 bytes a slot, and the peers and ids that fill them). @default 1
   */
  nodes?: number
}

/**
 * Decoded peers, routing ids and encoded commands, shared by the nodes that are given the same
 * one. Equal values come back as the same object while it remembers them: a decoded peer is
 * a frozen `{ host, port }`, an id is a Buffer of its own (never write to either). What it
 * returns is always what decoding or hashing would give.
 */
export class Intern {
  /** Addresses it remembers at once. */
  readonly slots: number
  // turns a 32-bit hash into a bucket: its top bits
  readonly #shift: number
  readonly #ips: Int32Array
  // port of each slot; -1 (no port) marks an empty one
  readonly #ports: Int32Array
  readonly #peers: Array<Peer | undefined>
  readonly #ids: Array<Uint8Array | undefined>
  // the 6 bytes hashed into an id, and the hash before it is copied to the heap
  readonly #address = Buffer.allocUnsafeSlow(6)
  readonly #hashed = Buffer.allocUnsafeSlow(ID_BYTES)
  /** @internal The commands it has seen encoded (see commands.ts). */
  readonly commands = new CommandTable()

  constructor (opts: InternOptions = {}) {
    if (typeof opts !== 'object' || opts === null) throw WireError.INVALID_ARGUMENT('options', 'an object', opts)
    const nodes = opts.nodes === undefined ? 1 : opts.nodes
    if (typeof nodes !== 'number' || !Number.isSafeInteger(nodes) || nodes < 1) {
      throw WireError.INVALID_ARGUMENT('nodes', 'a positive integer', nodes)
    }
    const bits = Math.min(MAX_SLOT_BITS, Math.max(MIN_SLOT_BITS, Math.ceil(Math.log2(nodes)) + SLOT_BITS_PER_NODE))
    this.slots = 1 << bits
    this.#shift = 32 - (bits - 1) // two slots a bucket
    this.#ips = new Int32Array(this.slots)
    this.#ports = new Int32Array(this.slots).fill(-1)
    this.#peers = new Array<Peer | undefined>(this.slots).fill(undefined)
    this.#ids = new Array<Uint8Array | undefined>(this.slots).fill(undefined)
  }

  /**
   * `id(host, port)` of @dht/wire, the same Uint8Array for the same address while it is
   * remembered. A new id is a new array, so one handed out before never changes.
   */
  id (host: string, port: number): Uint8Array {
    const ip = parseIPv4(host)
    if (ip === null) throw hostError(host, 'host')
    assertPort(port)
    const slot = this.#claim(ip, port)
    const known = this.#ids[slot]
    if (known !== undefined) return known
    // A Buffer of 32 bytes lives on the JS heap, so an id keeps nothing else alive (a slice
    // of Node's pool or of a datagram would keep all of it). The hash is written to a
    // scratch buffer and copied: handing the id itself to the native hash would move its
    // bytes off the heap.
    const fresh = Buffer.alloc(ID_BYTES)
    fresh.set(hashAddress(ip, port, this.#address, this.#hashed))
    this.#ids[slot] = fresh
    return fresh
  }

  /** @internal The decoded peer of the 6 bytes at `offset`. The caller checks bounds. */
  peerAt (buffer: Uint8Array, offset: number): Peer {
    const port = buffer[offset + 4]! | (buffer[offset + 5]! << 8)
    const slot = this.#claim(readIPv4Bits(buffer, offset), port)
    const known = this.#peers[slot]
    if (known !== undefined) return known
    const peer = newPeer(buffer, offset)
    this.#peers[slot] = peer
    return peer
  }

  // The slot of ip:port, the first of its bucket: an address found in the second slot swaps
  // places with the first; a new one moves the first to the second, dropping what was there.
  #claim (ip: number, port: number): number {
    const first = (Math.imul(ip ^ Math.imul(port, 0x45d9f3b), 0x9e3779b1) >>> this.#shift) << 1
    const ips = this.#ips
    const ports = this.#ports
    if (ips[first] === ip && ports[first] === port) return first
    const second = first + 1
    const found = ips[second] === ip && ports[second] === port
    const peer = this.#peers[second]
    const id = this.#ids[second]
    ips[second] = ips[first]!
    ports[second] = ports[first]!
    this.#peers[second] = this.#peers[first]
    this.#ids[second] = this.#ids[first]
    ips[first] = ip
    ports[first] = port
    this.#peers[first] = found ? peer : undefined
    this.#ids[first] = found ? id : undefined
    return first
  }
}
