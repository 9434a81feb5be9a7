import dgram from 'node:dgram'
import { once } from 'node:events'
import { IO } from '@dht/io'
import type { IOOptions, IncomingRequest } from '@dht/io'
import type { Peer } from '@dht/wire'

export const LOOPBACK = '127.0.0.1'

/** An IO bound on loopback. */
export async function boundIO (opts: IOOptions = {}): Promise<{ io: IO, peer: Peer }> {
  const io = new IO({ host: LOOPBACK, ...opts })
  const port = await io.bind()
  return { io, peer: { host: LOOPBACK, port } }
}

/** An IO that answers every request with status 0 and its value echoed. */
export function echo (req: IncomingRequest, io: IO): void {
  io.reply(req, { id: null, token: null, closerNodes: null, status: 0, value: req.value })
}

/** A bare UDP socket that never answers and counts what it receives. */
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

/** Waits (in real time, briefly) until `predicate` holds. */
export async function until (predicate: () => boolean, ms = 10_000): Promise<void> {
  const end = Date.now() + ms
  while (!predicate()) {
    if (Date.now() > end) throw new Error('condition not reached in time')
    await new Promise((resolve) => setTimeout(resolve, 2))
  }
}

export function ping (to: Peer, value: Uint8Array | null = null): { to: Peer, id: null, token: null, target: null, command: string, value: Uint8Array | null } {
  return { to, id: null, token: null, target: null, command: 'ping', value }
}
