// The small network of the timing checks, for @dht/rpc and dht-rpc rc.6 alike: a bootstrap node,
// persistent nodes that answer the command 'slow-<ms>' after <ms>, and an ephemeral client that
// asks. What is measured is what a user of each would see.

import dgram from 'node:dgram'
import { once } from 'node:events'
import ReferenceDHT from 'dht-rpc'
import { DHT } from '@dht/rpc'
import { countRequests } from '../adapters/dgram-count.js'
import { HOST, isV5Request } from '../adapters/types.js'
import type { Peer } from '../adapters/types.js'

export interface Reply { from: Peer }

export interface TimingNet {
  readonly label: string
  /** Every persistent node, by address. */
  readonly peers: Peer[]
  /** Handler runs so far, network-wide. */
  handlerRuns (): number
  /** Request datagrams the client has sent so far. */
  clientRequests (): number
  /** The client's lookup of `target` with `command`; resolves with the replies it streamed. */
  query (target: Uint8Array, command: string, nodes?: Peer[]): Promise<Reply[]>
  request (command: string, to: Peer): Promise<unknown>
  refresh (): void
  tableSize (): number
  destroy (): Promise<void>
}

function delayOf (command: string): number | null {
  const ms = Number(command.replace(/^slow-/, ''))
  return command.startsWith('slow-') && Number.isInteger(ms) ? ms : null
}

export async function oursNet (size: number): Promise<TimingNet> {
  let runs = 0
  const boot = new DHT({ ephemeral: true, bootstrap: false, host: HOST })
  const bootstrap = [{ host: HOST, port: await boot.bind() }]
  const nodes: DHT[] = []
  for (let i = 0; i < size; i++) {
    const node = new DHT({ ephemeral: false, bootstrap, host: HOST })
    node.on('request', (req) => {
      const delay = delayOf(req.command)
      if (delay === null) return
      runs++
      setTimeout(() => { req.reply(Buffer.from('ok')) }, delay)
    })
    await node.ready()
    nodes.push(node)
  }
  const client = new DHT({ ephemeral: true, bootstrap, host: HOST })
  await client.ready()
  const requests = countRequests(client.io.socket as unknown as dgram.Socket, isV5Request)
  return {
    label: '@dht/rpc',
    peers: nodes.map((n) => ({ host: HOST, port: n.address()!.port })),
    handlerRuns: () => runs,
    clientRequests: requests,
    async query (target, command, seeds) {
      const replies: Reply[] = []
      const q = client.query(target, command, null, seeds === undefined ? {} : { nodes: seeds })
      for await (const reply of q) replies.push(reply)
      return replies
    },
    request: (command, to) => client.request(null, command, null, to),
    refresh: () => { client.refresh() },
    tableSize: () => client.table.size,
    async destroy () {
      for (const node of [client, ...nodes, boot]) await node.destroy()
    }
  }
}

export async function rc6Net (size: number): Promise<TimingNet> {
  let runs = 0
  const socket = (): dgram.Socket => {
    const s = dgram.createSocket('udp4')
    const bind = s.bind.bind(s) as (port: number, address: string) => dgram.Socket
    s.bind = ((port: number) => bind(port, HOST)) as typeof s.bind
    return s
  }
  const boot = new ReferenceDHT({ bootstrap: [], ephemeral: true, socket: socket() })
  const bootstrap = [`${HOST}:${await boot.bind(0)}`]
  const nodes: ReferenceDHT[] = []
  for (let i = 0; i < size; i++) {
    const node = new ReferenceDHT({ bootstrap, ephemeral: false, socket: socket() })
    node.on('request', (req) => {
      const delay = delayOf(req.command)
      if (delay === null) return
      runs++
      setTimeout(() => { req.reply(Buffer.from('ok')) }, delay)
    })
    await node.ready()
    nodes.push(node)
  }
  const client = new ReferenceDHT({ bootstrap, ephemeral: true, socket: socket() })
  await client.ready()
  const requests = countRequests(client.rpc.socket, isV5Request)
  return {
    label: 'dht-rpc 5.0.0-rc.6',
    peers: nodes.map((n) => ({ host: HOST, port: n.address().port })),
    handlerRuns: () => runs,
    clientRequests: requests,
    async query (target, command, seeds) {
      const replies: Reply[] = []
      const q = client.query(target, command, null, seeds === undefined ? {} : { nodes: seeds })
      q.on('data', (reply) => { replies.push(reply) })
      await q.finished()
      return replies
    },
    request: (command, to) => client.request(null, command, null, to),
    refresh: () => { client.refresh() },
    tableSize: () => client.table.size,
    async destroy () {
      for (const node of [client, ...nodes, boot]) node.destroy()
    }
  }
}

/** A UDP socket that never answers and counts what it receives. */
export async function silentPeer (): Promise<{ peer: Peer, received: () => number, close: () => void }> {
  const s = dgram.createSocket('udp4')
  let received = 0
  s.on('message', () => { received++ })
  s.bind(0, HOST)
  await once(s, 'listening')
  return { peer: { host: HOST, port: s.address().port }, received: () => received, close: () => { s.close() } }
}
