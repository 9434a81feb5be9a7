// A socket on a simulated host that records what it receives, and when.

import type { RemoteInfo, UdpSocket } from '@dht/io'
import type { SimHost, SimNetwork, SimSocket } from '@dht/sim'

export interface Listener {
  socket: UdpSocket
  port: number
  got: Array<{ data: string, from: RemoteInfo, at: number }>
}

/** A socket bound on `host` (`port` 0: any) that keeps every datagram it receives. */
export async function listen (net: SimNetwork, host: SimHost, port = 0): Promise<Listener> {
  const socket = host.createSocket()
  const got: Listener['got'] = []
  socket.on('message', (data, from) => got.push({ data: Buffer.from(data).toString(), from, at: net.clock.now() }))
  socket.bind(port)
  await net.clock.run(0)
  return { socket, port: socket.address().port, got }
}

/** The address of the host a listener's socket is on. */
export function hostOf (l: Listener): string {
  return (l.socket as SimSocket).host.address
}
