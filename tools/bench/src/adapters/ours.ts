import { DHT, Intern, sharedNetworkInterfaces } from '@dht/rpc'
import type { DHTRequest } from '@dht/rpc'
import { countRequests, dgramPacketsSent } from './dgram-count.js'
import { CUSTOM_COMMAND, CUSTOM_REPLY, CUSTOM_VALUE, HOST, isV5Request, lookupOf } from './types.js'
import type { BenchNode, Implementation, Lookup, Network, Peer } from './types.js'

/**
 * @dht/rpc: a bootstrap node (ephemeral, as its testnet makes it) and persistent nodes. They
 * all run in this process, so they share one Intern sized for them and one reading of the
 * network interfaces a second, as a testnet's nodes do (each node reads them on each tick:
 * 1,000 nodes alone would read the same interfaces 200 times a second).
 */
export const ours: Implementation = {
  key: 'ours',
  async start (size): Promise<Network> {
    dgramPacketsSent()
    const shared = { intern: new Intern({ nodes: size + 1 }), networkInterfaces: sharedNetworkInterfaces() }
    const all: DHT[] = []
    const nodes: BenchNode[] = []
    let commits = 0
    const first = new DHT({ ephemeral: true, bootstrap: false, host: HOST, ...shared })
    all.push(first)
    const bootstrap = [{ host: HOST, port: await first.bind() }]
    const onrequest = (req: DHTRequest): void => {
      if (req.command !== CUSTOM_COMMAND) return
      if (req.commit) commits++
      req.reply(CUSTOM_REPLY)
    }
    return {
      impl: 'ours',
      nodes,
      async join () {
        const dht = new DHT({ ephemeral: false, bootstrap, host: HOST, ...shared })
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
        for (let i = all.length - 1; i >= 0; i--) await all[i]!.destroy()
      }
    }
  }
}

function wrap (dht: DHT): BenchNode {
  const addr = dht.address()
  if (addr === null || dht.id === null) throw new Error('@dht/rpc: a joined node is not bound or not persistent')
  const requestsSent = countRequests(dht.io.socket, isV5Request)
  const node: BenchNode = {
    peer: { host: HOST, port: addr.port },
    id: dht.id,
    alive: true,
    lookup (target, kind, opts = {}): Lookup {
      const q = kind === 'find_node'
        ? dht.query(target, 'find_node', null, opts.commit === true ? { commit: true } : {})
        : dht.query(target, CUSTOM_COMMAND, CUSTOM_VALUE, opts.commit === true ? { commit: true } : {})
      return lookupOf(q)
    },
    request: (to: Peer) => dht.request(null, CUSTOM_COMMAND, CUSTOM_VALUE, to),
    ping: (to: Peer) => dht.ping(to),
    requestsSent,
    inflight: () => dht.io.inflightRequests,
    async destroy () {
      node.alive = false
      await dht.destroy()
    }
  }
  return node
}
