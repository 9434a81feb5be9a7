// ping_nat and NAT sampling across implementations: each side's firewall check passes with
// only the other side's nodes as helpers, and our remoteAddress() comes from what
// dht-rpc@5.0.0-rc.6 nodes report seeing us at.
import test from 'node:test'
import assert from 'node:assert/strict'
import dgram from 'node:dgram'
import { EventEmitter } from 'node:events'
import DHT from '@dht/rpc'
import type { UdpSocket } from '@dht/rpc'
import { createTestnet } from '@dht/rpc/testnet'
import { ManualClock } from '@dht/sim'
import { until } from '../helpers.js'
import { RawPeer } from './raw.js'
import { RefDHT } from './reference.js'
import type { Peer } from '@dht/rpc'
import { LOOPBACK, createMixedNetwork, createOurs, createRef, destroyRef, peerOf, refPeerOf } from './network.js'

test('ping_nat both ways: the reply comes from another socket, without an id', async (t) => {
  const net = await createMixedNetwork({ ours: 2, refs: 2 })
  t.after(() => net.destroy())
  const [a] = net.ours as [DHT]
  const [r] = net.refs as [RefDHT]

  const rp = refPeerOf(r)
  const reply = await a.request(null, 'ping_nat', null, rp)
  assert.equal(reply.status, 0)
  assert.equal(reply.from.host, LOOPBACK)
  assert.notEqual(reply.from.port, rp.port, 'from the reference node\'s second socket')
  assert.equal(reply.id, null)
  assert.deepEqual(reply.to, peerOf(a))

  const ap = peerOf(a)
  const refReply = await r.request(null, 'ping_nat', null, ap)
  assert.equal(refReply.status, 0)
  assert.notEqual(refReply.from!.port, ap.port, 'from our second socket')
  assert.equal(refReply.id, null)
  assert.deepEqual(refReply.to, rp)
})

test('with ephemeral: false, our node goes persistent when only reference nodes answer its ping_nat', async (t) => {
  const net = await createMixedNetwork({ ours: 0, refs: 6, bootstrap: 'ref' })
  t.after(() => net.destroy())
  const node = createOurs({ ephemeral: false, bootstrap: net.bootstrap })
  t.after(() => node.destroy())
  const events: string[] = []
  node.on('persistent', () => events.push('persistent'))
  node.on('ready', () => events.push('ready'))
  await node.ready()

  assert.deepEqual(events, ['persistent', 'ready'])
  assert.equal(node.ephemeral, false)
  assert.deepEqual(node.id, DHT.id(peerOf(node)))
  assert.deepEqual(node.remoteAddress(), { type: DHT.NAT_OPEN, host: LOOPBACK, port: peerOf(node).port })
  // and the reference nodes route to it
  await node.ping(refPeerOf(net.refs[0]!))
  assert.ok(net.refs.some((r) => r.toArray().some((p) => p.port === peerOf(node).port)))
})

test('with ephemeral: false, a reference node goes persistent when only our nodes answer its ping_nat', async (t) => {
  const testnet = await createTestnet(6)
  t.after(() => testnet.destroy())
  const ref = await createRef({ ephemeral: false, bootstrap: testnet.bootstrap })
  t.after(() => destroyRef(ref))
  let persistent = false
  ref.on('persistent', () => { persistent = true })
  await ref.ready()

  assert.equal(persistent, true)
  assert.equal(ref.ephemeral, false)
  assert.deepEqual(ref.id, RefDHT.id(refPeerOf(ref)))
  assert.deepEqual(ref.remoteAddress(), { type: RefDHT.NAT_OPEN, host: LOOPBACK, port: refPeerOf(ref).port })
  await ref.ping(peerOf(testnet.nodes[1]!))
  assert.ok(testnet.nodes.some((n) => n.toArray().some((p) => p.port === refPeerOf(ref).port)))
})

test('our remoteAddress() comes from the addresses reference nodes saw us at', async (t) => {
  const net = await createMixedNetwork({ ours: 0, refs: 5, bootstrap: 'ref' })
  t.after(() => net.destroy())
  const node = createOurs({ bootstrap: net.bootstrap }) // adaptive: stays ephemeral for now
  t.after(() => node.destroy())
  assert.equal(await node.sampledNAT(), true)
  await node.ready()
  assert.equal(node.ephemeral, true)
  assert.deepEqual(node.remoteAddress(), { type: DHT.NAT_PORT_CONSISTENT, host: LOOPBACK, port: peerOf(node).port })
})

test('an adaptive node of ours goes persistent among reference nodes after ~20 min of healthy uptime', async (t) => {
  const net = await createMixedNetwork({ ours: 0, refs: 6, bootstrap: 'ref' })
  t.after(() => net.destroy())
  const clock = new ManualClock(1_000_000) // ours runs on it; the reference nodes on real time
  const node = createOurs({ bootstrap: net.bootstrap, clock })
  t.after(() => node.destroy())
  await node.ready()
  assert.equal(node.ephemeral, true)
  let ticks = 0
  while (node.ephemeral && ticks < 300) {
    clock.advance(5000)
    ticks++
    await until(() => node.io.inflightRequests === 0) // real replies arrive before time moves on
  }
  assert.equal(node.ephemeral, false, `still ephemeral after ${ticks} ticks`)
  assert.deepEqual(node.id, DHT.id(peerOf(node)))
  assert.equal(node.remoteAddress().type, DHT.NAT_OPEN)
  // its table kept the reference nodes through the periodic pings of those ~20 minutes
  const refPorts = new Set(net.refs.map((r) => refPeerOf(r).port))
  assert.equal(node.toArray().filter((p) => refPorts.has(p.port)).length, net.refs.length)
})

test('behind a firewall (unsolicited datagrams dropped), ping_nat of reference nodes never arrives: our node stays ephemeral', async (t) => {
  const net = await createMixedNetwork({ ours: 0, refs: 5, bootstrap: 'ref' })
  t.after(() => net.destroy())
  const socket = new FirewalledSocket()
  const node = createOurs({ ephemeral: false, bootstrap: net.bootstrap, socket })
  t.after(() => node.destroy())
  await node.ready()
  assert.ok(socket.dropped > 0, 'the ping_nat replies came from sockets we never sent to')
  assert.equal(node.ephemeral, true)
  assert.equal(node.id, null)
  // NAT sampling itself was fine: only the firewall check failed
  assert.equal(node.remoteAddress().type, DHT.NAT_PORT_CONSISTENT)
})

/** A udp4 socket that, like a stateful firewall, drops datagrams from addresses it never sent to. */
class FirewalledSocket extends EventEmitter implements UdpSocket {
  dropped = 0
  private readonly inner = dgram.createSocket('udp4')
  private readonly contacted = new Set<string>()

  constructor () {
    super()
    this.inner.on('message', (message, rinfo) => {
      if (this.contacted.has(`${rinfo.address}:${rinfo.port}`)) this.emit('message', message, rinfo)
      else this.dropped++
    })
    for (const event of ['listening', 'close', 'error']) this.inner.on(event, (...args: unknown[]) => this.emit(event, ...args))
  }

  bind (port: number, address?: string): void {
    this.inner.bind(port, address)
  }

  send (message: Uint8Array, port: number, address: string, callback?: (err: Error | null) => void): void {
    this.contacted.add(`${address}:${port}`)
    this.inner.send(message, port, address, callback)
  }

  address (): { address: string, port: number } {
    return this.inner.address()
  }

  close (callback?: () => void): void {
    this.inner.close(callback)
  }
}

// Each step: raw peer i answers a ping of the node with a reply saying it sees the node at
// `to`, with its true id, a false id, or none.
type Step = [peer: number, to: Peer, id: 'true' | 'false' | null]
const X = '198.51.100.7'
const Y = '203.0.113.9'
const at = (host: string, port: number): Peer => ({ host, port })
const NAT_SCRIPTS: Record<string, Step[]> = {
  'three true ids agree': [[0, at(X, 1000), 'true'], [1, at(X, 1000), 'true'], [2, at(X, 1000), 'true']],
  'no ids: only the first 3 repliers count': [0, 1, 2, 3, 4].map((i) => [i, at(X, 1000 + i), null]),
  'false ids count for nothing': [[0, at(X, 1000), 'false'], [1, at(X, 1000), 'false'], [2, at(X, 1000), 'false'], [3, at(X, 1000), 'true']],
  'known nodes report a new port': [[0, at(X, 1000), 'true'], [1, at(X, 1000), 'true'], [2, at(X, 1000), 'true'], [3, at(X, 1000), 'true'], [0, at(X, 2000), 'true'], [1, at(X, 2000), 'true'], [2, at(X, 2000), 'true']],
  'known nodes report a new host': [[0, at(X, 1000), 'true'], [1, at(X, 1000), 'true'], [2, at(X, 1000), 'true'], [0, at(Y, 1000), 'true'], [1, at(Y, 1000), 'true'], [3, at(Y, 1000), 'true']],
  'incrementing ports': [0, 1, 2, 3, 4, 5, 6, 7].map((i) => [i, at(X, 3000 + i * 3), 'true']),
  'randomized ports': [0, 1, 2, 3, 4, 5, 6, 7].map((i) => [i, at(X, 3000 + ((i * 7919) % 50000)), 'true']),
  'id-less replies, then true ids': [[0, at(X, 1000), null], [1, at(Y, 5), null], [2, at(X, 1000), 'true'], [3, at(X, 1000), 'true']]
}

test('NAT samples: the same replies give our node and a reference node the same remoteAddress(), step by step', async (t) => {
  const peers = await Promise.all(Array.from({ length: 8 }, () => RawPeer.create()))
  t.after(() => Promise.all(peers.map((p) => p.close())))

  async function trace (ping: (to: Peer) => Promise<unknown>, addr: Peer, remoteAddress: () => { type: symbol, host: string | null, port: number }, steps: Step[]): Promise<string[]> {
    const seen: string[] = []
    // a ping answered late (a loaded machine) may be re-sent; its copies must not be taken for the next ping
    const answered = new Set<string>()
    for (const [i, to, id] of steps) {
      const peer = peers[i]!
      const pinging = ping(peer.peer)
      const { m } = await peer.next((r, received) => received.from.port === addr.port && !answered.has(`${i}:${r.tid}`))
      answered.add(`${i}:${m.tid}`)
      await peer.send({ tid: m.tid, to, id: id === 'true' ? DHT.id(peer.peer) as Buffer : id === 'false' ? Buffer.alloc(32, 9) : null }, addr)
      await pinging
      const a = remoteAddress()
      seen.push(`${a.type.description ?? ''} ${a.host ?? '-'}:${a.port}`)
    }
    return seen
  }

  for (const [name, steps] of Object.entries(NAT_SCRIPTS)) {
    const ours = createOurs({ bootstrap: false })
    const ref = await createRef({ bootstrap: false })
    try {
      await Promise.all([ours.ready(), ref.ready()])
      const oursTrace = await trace((to) => ours.ping(to), peerOf(ours), () => ours.remoteAddress(), steps)
      const refTrace = await trace((to) => ref.ping(to), refPeerOf(ref), () => ref.remoteAddress(), steps)
      assert.deepEqual(oursTrace, refTrace, name)
    } finally {
      await ours.destroy()
      await destroyRef(ref)
    }
  }
})
