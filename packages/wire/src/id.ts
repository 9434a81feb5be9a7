import { allocUnsafe } from 'b4a'
import sodium from 'sodium-native'
import { idCache } from './caches.js'
import { WireError } from './errors.js'
import { assertPort, parseIPv4, parsedHostOf, writeIPv4, writeIPv4Bits } from './ipv4.js'
import type { Peer } from './ipv4.js'

/** Bytes in a routing id, a token and a target. */
export const ID_BYTES = 32

const address = new Uint8Array(6)

/**
 * The routing id of a node at `host:port`: BLAKE2b-256 of the 4 IPv4 bytes and the port
 * as uint16 little-endian. Writes into `out` when given.
 */
export function id (host: string, port: number, out: Uint8Array = allocUnsafe(ID_BYTES)): Uint8Array {
  writeIPv4(address, 0, host)
  assertPort(port)
  return hashAddress(port, out)
}

// hashes `address`, whose host bytes are written, with `port`
function hashAddress (port: number, out: Uint8Array): Uint8Array {
  address[4] = port & 0xff
  address[5] = port >>> 8
  sodium.crypto_generichash(out, address)
  return out
}

// Ids by address come from a direct-mapped cache (idCache): a node's lookups hear of the same
// nodes again and again, and hashing each one anew was the largest cost of taking in a reply's
// closer nodes after the decoding. Each id is a Buffer of its own: one cut from Node's 8 KiB
// buffer pool would keep that whole pool alive while cached. A typed array of 32 bytes lives
// on the JS heap, so a miss allocates no memory outside it; the hash is written to a scratch
// buffer and copied, since handing the id itself to the native hash would move its bytes off
// the heap.
const hashed = Buffer.allocUnsafeSlow(ID_BYTES)

/**
 * {@link id}, from a process-wide cache: the same Uint8Array for the same address while it
 * stays cached. The result is shared: never write to it. A new id is a new array, so one handed
 * out before never changes.
 */
export function sharedId (host: string, port: number): Uint8Array {
  return sharedIdOf(parseIPv4(host), host, port)
}

/**
 * {@link sharedId} of a peer, without parsing its host when the peer keeps it parsed (a decoded
 * peer does: see parsedHostOf).
 */
export function sharedPeerId (peer: Peer): Uint8Array {
  if (typeof peer !== 'object' || peer === null) throw WireError.INVALID_ARGUMENT('peer', 'a { host, port } object', peer)
  return sharedIdOf(parsedHostOf(peer), peer.host, peer.port)
}

function sharedIdOf (bits: number | null, host: string, port: number): Uint8Array {
  if (bits === null) return id(host, port) // throws the error id() throws
  assertPort(port)
  const cached = idCache.get(bits, port)
  if (cached !== null) return cached
  writeIPv4Bits(address, 0, bits) // host and port are checked already: hash without parsing again
  const fresh = Buffer.alloc(ID_BYTES)
  fresh.set(hashAddress(port, hashed))
  idCache.set(bits, port, fresh)
  return fresh
}
