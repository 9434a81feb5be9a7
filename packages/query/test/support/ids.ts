// Routing ids for the fake network: the real ones, as a query computes them for closerNodes.
import { compareDistance } from '@dht/table'
import { id } from '@dht/wire'

export function fakeId (host: string, port: number): Uint8Array {
  return id(host, port)
}

export function hex (id: Uint8Array): string {
  return Buffer.from(id).toString('hex')
}

/** `items` sorted by the distance of their id to `target`, nearest first (a copy). */
export function byDistance<N extends { id: Uint8Array }> (target: Uint8Array, items: readonly N[]): N[] {
  return [...items].sort((a, b) => compareDistance(target, a.id, b.id))
}
