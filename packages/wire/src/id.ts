import { allocUnsafe } from 'b4a'
import sodium from 'sodium-native'
import { assertPort, writeIPv4 } from './ipv4.js'

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
  address[4] = port & 0xff
  address[5] = port >>> 8
  sodium.crypto_generichash(out, address)
  return out
}
