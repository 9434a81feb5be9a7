// Routing ids for the fake network. The real id is BLAKE2b-256 of the IPv4 bytes and the port
// (`id` of @dht/wire, which this package cannot import yet); a query only ever gets ids
// through QueryHost.nodeId, so any 32-byte hash of the address exercises it the same way.

import { createHash } from 'node:crypto'
import { compareDistance } from '@dht/table'

export function fakeId (host: string, port: number): Uint8Array {
  const parts = host.split('.').map(Number)
  if (parts.length !== 4 || parts.some((p) => !Number.isInteger(p) || p < 0 || p > 255)) {
    throw new TypeError(`not an IPv4 address: ${host}`)
  }
  const address = Uint8Array.from([...parts, port & 0xff, port >>> 8])
  return new Uint8Array(createHash('sha256').update(address).digest())
}

export function hex (id: Uint8Array): string {
  return Buffer.from(id).toString('hex')
}

/** `items` sorted by the distance of their id to `target`, nearest first (a copy). */
export function byDistance<N extends { id: Uint8Array }> (target: Uint8Array, items: readonly N[]): N[] {
  return [...items].sort((a, b) => compareDistance(target, a.id, b.id))
}
