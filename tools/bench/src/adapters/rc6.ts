import dgram from 'node:dgram'
import ReferenceDHT from 'dht-rpc'
import { countRequests, dgramPacketsSent } from './dgram-count.js'
import { CUSTOM_COMMAND, CUSTOM_REPLY, CUSTOM_VALUE, HOST, isV5Request, lookupOf } from './types.js'
import type { BenchNode, Implementation, Lookup, Network, Peer } from './types.js'

// dht-rpc rc.6 binds its socket to every interface; this one binds to loopback instead
function loopbackSocket (): dgram.Socket {
  const socket = dgram.createSocket('udp4')
  const bind = socket.bind.bind(socket) as (port: number, address: string) => dgram.Socket
  socket.bind = ((port: number) => bind(port, HOST)) as typeof socket.bind
  return socket
}

/** dht-rpc@5.0.0-rc.6: a bootstrap node (ephemeral) and persistent nodes, as its own tests make them. */
export const rc6: Implementation = {
  key: 'rc6',
  async start (): Promise<Network> {
    dgramPacketsSent()
    const all: ReferenceDHT[] = []
    const nodes: BenchNode[] = []
    let commits = 0
    const first = new ReferenceDHT({ bootstrap: [], ephemeral: true, socket: loopbackSocket() })
    all.push(first)
    const bootstrap = [`${HOST}:${await first.bind(0)}`]
    const onrequest = (req: ReferenceDHT.Request): void => {
      if (req.command !== CUSTOM_COMMAND) return
      if (req.token !== null) commits++ // rc.6 clears a token that is not valid
      req.reply(CUSTOM_REPLY)
    }
    return {
      impl: 'rc6',
      nodes,
      async join () {
        const dht = new ReferenceDHT({ bootstrap, ephemeral: false, socket: loopbackSocket() })
        all.push(dht)
        dht.on('request', onrequest)
        await dht.ready()
        const node = wrap(dht)
        nodes.push(node)
        return node
      },
      routingIds: () => nodes.filter((n) => n.alive).map((n) => n.id),
      packetsSent: dgramPacketsSent,
      commitsReceived: () => commits,
      async destroy () {
        for (let i = all.length - 1; i >= 0; i--) all[i]!.destroy()
      }
    }
  }
}

function wrap (dht: ReferenceDHT): BenchNode {
  if (dht.id === null) throw new Error('dht-rpc rc.6: a joined node is not persistent')
  const requestsSent = countRequests(dht.rpc.socket, isV5Request)
  const node: BenchNode = {
    peer: { host: HOST, port: dht.address().port },
    id: dht.id,
    alive: true,
    lookup (target, kind, opts = {}): Lookup {
      const q = kind === 'find_node'
        ? dht.query(target, 'find_node', null, { commit: opts.commit === true })
        : dht.query(target, CUSTOM_COMMAND, CUSTOM_VALUE, { commit: opts.commit === true })
      return lookupOf(q)
    },
    request: (to: Peer) => dht.request(null, CUSTOM_COMMAND, CUSTOM_VALUE, to),
    ping: (to: Peer) => dht.ping(to),
    requestsSent,
    inflight: () => dht.rpc.inflightRequests,
    async destroy () {
      node.alive = false
      dht.destroy()
    }
  }
  return node
}
