import dgram from 'node:dgram'
import DHTv6 from 'dht-rpc-v6'
import { CUSTOM_COMMAND_V6, CUSTOM_REPLY, CUSTOM_VALUE, HOST } from './types.js'
import type { BenchNode, Implementation, Lookup, Network, Peer } from './types.js'

const REQUEST_ID = 0b0011 // v6 wire: byte 0 is (type << 4) | version, a request is type 0

type Send = (this: unknown, ...args: unknown[]) => unknown
let packets = 0
let patched = false

// counts every datagram sent by udx-native sockets (trySend and send) of this process
function countUdxPackets (socket: DHTv6.UdxSocket): void {
  if (patched) return
  patched = true
  const proto = Object.getPrototypeOf(socket) as { trySend: Send, send: Send }
  const trySend = proto.trySend
  const send = proto.send
  proto.trySend = function (...args) { packets++; return trySend.apply(this, args) }
  proto.send = function (...args) { packets++; return send.apply(this, args) }
}

// counts the request datagrams one node's sockets send
function countRequests (dht: DHTv6): () => number {
  let n = 0
  for (const socket of [dht.io.serverSocket, dht.io.clientSocket]) {
    if (socket === null) continue
    const s = socket as unknown as { trySend: Send }
    const trySend = s.trySend
    s.trySend = function (...args) {
      if ((args[0] as Uint8Array)[0] === REQUEST_ID) n++
      return trySend.apply(this, args)
    }
  }
  return () => n
}

async function freePort (): Promise<number> {
  const s = dgram.createSocket('udp4')
  await new Promise<void>((resolve) => s.bind(0, HOST, resolve))
  const port = s.address().port
  await new Promise<void>((resolve) => s.close(resolve))
  return port
}

/**
 * dht-rpc@6.27.0 on udx-native: a bootstrap node made with `DHT.bootstrapper()` (v6's way:
 * it is persistent, so it is in routing tables) and persistent nodes (`ephemeral: false`).
 */
export const v6: Implementation = {
  key: 'v6',
  async start (): Promise<Network> {
    const all: DHTv6[] = []
    const nodes: BenchNode[] = []
    let commits = 0
    const port = await freePort()
    const first = DHTv6.bootstrapper(port, HOST, { host: HOST })
    all.push(first)
    await first.fullyBootstrapped()
    if (first.io.serverSocket === null || first.id === null) throw new Error('dht-rpc v6: the bootstrap node is not bound or not persistent')
    countUdxPackets(first.io.serverSocket)
    const firstId = first.id
    const bootstrap = [{ host: HOST, port }]
    const onrequest = (req: DHTv6.Request): void => {
      if (req.internal || req.command !== CUSTOM_COMMAND_V6) return
      if (req.token !== null) commits++ // v6 answers an invalid token itself, before this
      req.reply(CUSTOM_REPLY)
    }
    return {
      impl: 'v6',
      nodes,
      async join () {
        const dht = new DHTv6({ bootstrap, ephemeral: false, host: HOST })
        all.push(dht)
        dht.on('request', onrequest)
        await dht.fullyBootstrapped()
        const node = wrap(dht)
        nodes.push(node)
        return node
      },
      routingIds: () => [firstId, ...nodes.filter((n) => n.alive).map((n) => n.id)],
      packetsSent: () => packets,
      commitsReceived: () => commits,
      async destroy () {
        for (let i = all.length - 1; i >= 0; i--) await all[i]!.destroy()
      }
    }
  }
}

function wrap (dht: DHTv6): BenchNode {
  const addr = dht.address()
  if (addr === null || dht.id === null) throw new Error('dht-rpc v6: a joined node is not bound or not persistent')
  const requestsSent = countRequests(dht)
  const node: BenchNode = {
    peer: { host: HOST, port: addr.port },
    id: dht.id,
    alive: true,
    lookup (target, kind, opts = {}): Lookup {
      const o = { commit: opts.commit === true }
      const q = kind === 'find_node'
        ? dht.findNode(target, o)
        : dht.query({ target, command: CUSTOM_COMMAND_V6, value: CUSTOM_VALUE }, o)
      return {
        onReply: (fn) => { q.on('data', (reply) => fn(reply)) },
        finished: () => q.finished(),
        destroy: () => { q.destroy() },
        closestIds: () => q.closestReplies.map((r) => r.from.id).filter((id): id is Uint8Array => id !== null)
      }
    },
    request: (to: Peer) => dht.request({ command: CUSTOM_COMMAND_V6, value: CUSTOM_VALUE }, to),
    ping: (to: Peer) => dht.ping(to),
    requestsSent,
    inflight: () => dht.io.inflight.length,
    async destroy () {
      node.alive = false
      await dht.destroy()
    }
  }
  return node
}
