import { allocUnsafe } from 'b4a'
import sodium from 'sodium-native'
import { assertPort, writeIPv4, writeIPv4Bits } from './ipv4.js'

/** Bytes in a routing id, a token and a target. */
export const ID_BYTES = 32

/**
 * The routing id of a node at `host:port`: BLAKE2b-256 of the 4 IPv4 bytes and the port
 * as uint16 little-endian. Writes into `out` when given.
 */
export function id (host: string, port: number, out: Uint8Array = allocUnsafe(ID_BYTES)): Uint8Array {
  const address = allocUnsafe(6)
  writeIPv4(address, 0, host)
  assertPort(port)
  return hashAddressOf(address, port, out)
}

/**
 * {@link id} of an address whose host is parsed and port checked already: hashes the 6 bytes
 * of `ip` (as parseIPv4 gives it) and `port`, written to `scratch`, into `out`.
 */
export function hashAddress (ip: number, port: number, scratch: Uint8Array, out: Uint8Array): Uint8Array {
  writeIPv4Bits(scratch, 0, ip)
  return hashAddressOf(scratch, port, out)
}

/** True when two ids (or tokens, or targets) hold the same bytes. */
export function equalIds (a: Uint8Array, b: Uint8Array): boolean {
  if (a.byteLength !== b.byteLength) return false
  for (let i = 0; i < a.byteLength; i++) if (a[i] !== b[i]) return false
  return true
}

function hashAddressOf (address: Uint8Array, port: number, out: Uint8Array): Uint8Array {
  address[4] = port & 0xff
  address[5] = port >>> 8
  sodium.crypto_generichash(out, address)
  return out
}
