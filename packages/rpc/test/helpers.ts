import { createHash } from 'node:crypto'
import dgram from 'node:dgram'
import { once } from 'node:events'
import type { Peer } from '@dht/rpc'

export const LOOPBACK = '127.0.0.1'

/** A bare UDP socket that never answers and keeps what it receives. */
export async function silentPeer (): Promise<{ peer: Peer, received: Buffer[], close: () => Promise<void> }> {
  const socket = dgram.createSocket('udp4')
  const received: Buffer[] = []
  socket.on('message', (m) => received.push(m))
  socket.bind(0, LOOPBACK)
  await once(socket, 'listening')
  return {
    peer: { host: LOOPBACK, port: socket.address().port },
    received,
    close: () => new Promise((resolve) => socket.close(() => resolve()))
  }
}

/** Waits (briefly, in real time) until `predicate` holds. */
export async function until (predicate: () => boolean, ms = 5000): Promise<void> {
  const end = Date.now() + ms
  while (!predicate()) {
    if (Date.now() > end) throw new Error('condition not reached in time')
    await new Promise((resolve) => setTimeout(resolve, 5))
  }
}

export function sha256 (value: Uint8Array): Buffer {
  return createHash('sha256').update(value).digest()
}
