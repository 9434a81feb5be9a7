// A small simulated network for tests: an ephemeral bootstrap node on port 10001 and nodes
// with `ephemeral: false` that join through it one after another, each on its own host.
// They do not read the machine's network interfaces, which a simulated host does not have.

import { SimNetwork } from '@dht/sim'
import type { SimHost, SimNetworkOptions } from '@dht/sim'
import type { UdpSocket } from '@dht/io'
import { decode } from '@dht/wire'
import { DHT } from '@dht/rpc'
import type { DHTOptions, Peer } from '@dht/rpc'

export const MINUTE = 60_000

export interface World {
  net: SimNetwork
  nodes: DHT[]
  /** Where each of `nodes` is reached (its host's address and its port). */
  peers: Peer[]
  bootstrap: Peer[]
}

/**
 * Joins `size` nodes (the bootstrap node included) on a network made with `opts` (or on that
 * network); the joining nodes also get `nodeOpts`.
 */
export async function world (size: number, opts: SimNetworkOptions | SimNetwork = { latency: { min: 5, max: 60 } }, nodeOpts: DHTOptions = {}): Promise<World> {
  const net = opts instanceof SimNetwork ? opts : new SimNetwork(opts)
  const first = net.addHost()
  const nodes = [new DHT({ createSocket: first.createSocket, clock: net.clock, random: net.random, bootstrap: false, ephemeral: true, bind: 10001, networkInterfaces: false })]
  const bootstrap = [{ host: first.address, port: 10001 }]
  const peers = [...bootstrap]
  await net.clock.runUntil(nodes[0]!.ready(), MINUTE)
  for (let i = 1; i < size; i++) {
    const host = net.addHost()
    const node = new DHT({ createSocket: host.createSocket, clock: net.clock, random: net.random, bootstrap, ephemeral: false, networkInterfaces: false, ...nodeOpts })
    await net.clock.runUntil(node.ready(), MINUTE)
    nodes.push(node)
    peers.push({ host: host.address, port: node.address()!.port })
  }
  return { net, nodes, peers, bootstrap }
}

/** A request a tapped node sent. */
export interface SentRequest {
  at: number
  command: string
  target: Uint8Array | null
  to: Peer
}

/** A socket factory for `host` that records every request the node sends through it. */
export function tapRequests (net: SimNetwork, host: SimHost): { createSocket: () => UdpSocket, sent: SentRequest[] } {
  const sent: SentRequest[] = []
  const createSocket = (): UdpSocket => {
    const socket = host.createSocket()
    const send = socket.send.bind(socket)
    socket.send = (message, port, address, callback) => {
      const m = decode(message)
      if (m.type === 'request') sent.push({ at: net.clock.now(), command: m.command, target: m.target, to: { host: address, port } })
      send(message, port, address, callback)
    }
    return socket
  }
  return { createSocket, sent }
}
