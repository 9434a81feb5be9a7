// Network changes on the simulator, from both ends: a NAT router that gets a new public
// address (the node hears it from the nodes it talks to), and the machine's own interfaces
// changing (an injected networkInterfaces function). Either way the node emits
// 'network-change' once, learns its address again and refreshes its table; a steady network,
// or one node telling lies about our address, makes no change.

import test from 'node:test'
import assert from 'node:assert/strict'
import type { UdpSocket } from '@dht/io'
import { DHT } from '@dht/rpc'
import type { NetworkChange, NetworkInterfaces, Peer } from '@dht/rpc'
import type { SimHost, SimNetwork } from '@dht/sim'
import { decode, encodeReply, encodeRequest } from '@dht/wire'
import { MINUTE, tapRequests, world } from './world.js'
import type { SentRequest, World } from './world.js'

const NETWORK = 20

/** Interfaces as os.networkInterfaces() gives them, with `addresses` on wlan0: fresh objects at each read. */
function interfaces (addresses: () => readonly string[]): () => NetworkInterfaces {
  return () => ({
    lo: [
      { address: '127.0.0.1', family: 'IPv4', internal: true },
      { address: '::1', family: 'IPv6', internal: true }
    ],
    wlan0: [
      ...addresses().map((address) => ({ address, family: 'IPv4', internal: false })),
      { address: 'fe80::1', family: 'IPv6', internal: false }
    ]
  })
}

/** Every 'network-change' of `node`, and when it came. */
function changes (net: SimNetwork, node: DHT): Array<{ at: number, change: NetworkChange }> {
  const seen: Array<{ at: number, change: NetworkChange }> = []
  node.on('network-change', (change) => seen.push({ at: net.clock.now(), change }))
  return seen
}

function nextChange (node: DHT): Promise<NetworkChange> {
  return new Promise((resolve) => node.once('network-change', resolve))
}

/** The find_node lookups sent from `at` on, as distinct targets. */
function lookupsSince (sent: readonly SentRequest[], at: number): number {
  return new Set(sent.filter((r) => r.at >= at && r.command === 'find_node').map((r) => Buffer.from(r.target!).toString('hex'))).size
}

async function destroy (w: World, ...nodes: DHT[]): Promise<void> {
  await Promise.all([...nodes, ...w.nodes].map((d) => d.destroy()))
  await w.net.clock.run(10)
}

test('behind a NAT whose public address changes: one \'public-address\' change, re-sampled, ephemeral until it proves itself again', async (t) => {
  const w = await world(NETWORK)
  const router = w.net.addRouter({ mapping: 'preserving', filtering: 'open' })
  const tap = tapRequests(w.net, router.addHost())
  // steady interfaces: the change can only be heard from the other nodes
  const node = new DHT({ createSocket: tap.createSocket, clock: w.net.clock, random: w.net.random, bootstrap: w.bootstrap, networkInterfaces: interfaces(() => ['192.168.0.2']) })
  const events: string[] = []
  node.on('persistent', () => events.push('persistent'))
  node.on('ephemeral', () => events.push('ephemeral'))
  node.on('network-change', (c) => events.push('network-change ' + c.reason))
  const seen = changes(w.net, node)
  await w.net.clock.runUntil(node.ready(), MINUTE)
  await w.net.clock.run(35 * MINUTE)
  assert.deepEqual(events, ['persistent'], 'an open, port-preserving NAT: persistent after its uptime')
  const before = router.address
  assert.deepEqual(node.remoteAddress(), { type: DHT.NAT_OPEN, host: before, port: node.address()!.port })

  const after = router.renumber()
  const movedAt = w.net.clock.now()
  const change = await w.net.clock.runUntil(nextChange(node), 15 * MINUTE)
  assert.deepEqual(change, { reason: 'public-address', host: after, previous: before })
  assert.deepEqual(events, ['persistent', 'ephemeral', 'network-change public-address'])
  assert.equal(node.ephemeral, true)
  assert.equal(node.id, null)
  const changedAt = seen[0]!.at
  assert.ok(lookupsSince(tap.sent, changedAt) >= 1, 'a refresh lookup goes out at the change')

  await w.net.clock.run(MINUTE)
  assert.deepEqual(node.remoteAddress(), { type: DHT.NAT_PORT_CONSISTENT, host: after, port: node.address()!.port }, 'learned again: the new host')
  // proving itself again takes as long as after a wake-up
  await w.net.clock.run(20 * MINUTE)
  assert.equal(node.ephemeral, true, 'not persistent again right away')
  await w.net.clock.run(60 * MINUTE)
  assert.deepEqual(events, ['persistent', 'ephemeral', 'network-change public-address', 'persistent'])
  assert.deepEqual(node.id, DHT.id({ host: after, port: node.address()!.port }), 'persistent at the new address')
  assert.equal(seen.length, 1, 'one change, told once')
  t.diagnostic(`the change was heard ${(changedAt - movedAt) / 1000} simulated s after the move`)
  assert.ok(changedAt - movedAt < 10 * MINUTE, `heard ${(changedAt - movedAt) / 1000} s after the move`)
  await destroy(w, node)
})

test('when the interfaces change: one \'interfaces\' change at the next tick, re-sampled, and no second change from the public address', async () => {
  const w = await world(NETWORK)
  const router = w.net.addRouter({ mapping: 'preserving' })
  const tap = tapRequests(w.net, router.addHost())
  let addresses = ['192.168.0.2']
  const node = new DHT({ createSocket: tap.createSocket, clock: w.net.clock, random: w.net.random, bootstrap: w.bootstrap, ephemeral: true, networkInterfaces: interfaces(() => addresses) })
  const seen = changes(w.net, node)
  await w.net.clock.runUntil(node.ready(), MINUTE)
  await w.net.clock.run(5 * MINUTE)
  assert.equal(node.remoteAddress().host, router.address)
  assert.equal(seen.length, 0)

  // the laptop moves to another Wi-Fi: a new address inside, a new public address outside
  addresses = ['10.1.2.3']
  const after = router.renumber()
  const movedAt = w.net.clock.now()
  const change = await w.net.clock.runUntil(nextChange(node), MINUTE)
  assert.deepEqual(change, { reason: 'interfaces', addresses: ['10.1.2.3'], previous: ['192.168.0.2'] })
  assert.ok(seen[0]!.at - movedAt <= 5000, 'seen at the next tick')
  assert.equal(node.remoteAddress().type, DHT.NAT_UNKNOWN, 'the samples are forgotten')
  assert.ok(lookupsSince(tap.sent, seen[0]!.at) >= 1, 'a refresh lookup goes out at the change')
  await w.net.clock.run(MINUTE)
  assert.deepEqual(node.remoteAddress(), { type: DHT.NAT_PORT_CONSISTENT, host: after, port: node.address()!.port })
  await w.net.clock.run(30 * MINUTE)
  assert.equal(seen.length, 1, 'the new public address is the new baseline, not a second change')
  await destroy(w, node)
})

test('interfaces that go away and come back the same are no change; a new address after a gap is one', async () => {
  const w = await world(NETWORK)
  const host = w.net.addHost()
  const tap = tapRequests(w.net, host)
  let addresses: string[] = ['192.168.0.2', '172.17.0.1']
  const node = new DHT({ createSocket: tap.createSocket, clock: w.net.clock, random: w.net.random, bootstrap: w.bootstrap, ephemeral: false, networkInterfaces: interfaces(() => addresses) })
  const seen = changes(w.net, node)
  await w.net.clock.runUntil(node.ready(), MINUTE)
  await w.net.clock.run(MINUTE)
  addresses = []
  await w.net.clock.run(MINUTE)
  addresses = ['172.17.0.1', '192.168.0.2'] // the same, in another order
  await w.net.clock.run(MINUTE)
  assert.equal(seen.length, 0, 'offline for a minute, back on the same network')
  addresses = []
  await w.net.clock.run(MINUTE)
  addresses = ['172.17.0.1', '10.0.0.9']
  await w.net.clock.run(MINUTE)
  assert.deepEqual(seen.map((s) => s.change), [{ reason: 'interfaces', addresses: ['10.0.0.9', '172.17.0.1'], previous: ['172.17.0.1', '192.168.0.2'] }])
  assert.ok(lookupsSince(tap.sent, seen[0]!.at) >= 1, 'a refresh lookup goes out at the change')
  assert.equal(node.ephemeral, false, 'a node asked to be persistent stays persistent')
  await destroy(w, node)
})

test('a steady network: no change for two simulated hours, on public nodes or behind any NAT', async () => {
  const w = await world(NETWORK)
  const seen: NetworkChange[] = []
  const steady = interfaces(() => ['192.168.0.2'])
  const nodes: DHT[] = []
  for (const mapping of ['preserving', 'random', 'incrementing'] as const) {
    const router = w.net.addRouter({ mapping })
    const node = new DHT({ createSocket: router.addHost().createSocket, clock: w.net.clock, random: w.net.random, bootstrap: w.bootstrap, networkInterfaces: steady })
    await w.net.clock.runUntil(node.ready(), MINUTE)
    nodes.push(node)
  }
  for (const node of [...w.nodes, ...nodes]) node.on('network-change', (c) => seen.push(c))
  await w.net.clock.run(120 * MINUTE)
  assert.deepEqual(seen, [])
  assert.equal(nodes[0]!.ephemeral, false, 'the node behind the preserving NAT went persistent meanwhile')
  await destroy(w, ...nodes)
})

test('one node reporting a wrong address, again and again, is no change', async () => {
  const w = await world(NETWORK)
  const host = w.net.addHost()
  const node = new DHT({ createSocket: host.createSocket, clock: w.net.clock, random: w.net.random, bootstrap: w.bootstrap, ephemeral: false, networkInterfaces: false })
  const seen = changes(w.net, node)
  await w.net.clock.runUntil(node.ready(), MINUTE)
  const self = { host: host.address, port: node.address()!.port }

  // a persistent node whose every message tells us we are somewhere else, switching between
  // two wrong hosts, and which pings us every few seconds: each message is a new sample
  const liarHost = w.net.addHost()
  const liar = new DHT({ createSocket: lying(liarHost, ['198.51.100.7', '198.51.100.8']), clock: w.net.clock, random: w.net.random, bootstrap: w.bootstrap, ephemeral: false, networkInterfaces: false })
  await w.net.clock.runUntil(liar.ready(), MINUTE)
  for (let i = 0; i < 300; i++) {
    liar.ping(self).catch(() => {})
    await w.net.clock.run(5000)
  }
  assert.ok(node.toArray().some((p) => p.host === liarHost.address), 'the liar is in the node\'s table: its reports count')
  assert.deepEqual(seen, [])
  assert.equal(node.remoteAddress().host, host.address)
  await destroy(w, node, liar)
})

test('interfaces that cannot be read: one warning, then the node runs on without that end', async () => {
  const w = await world(3)
  let reads = 0
  const node = new DHT({
    createSocket: w.net.addHost().createSocket,
    clock: w.net.clock,
    random: w.net.random,
    bootstrap: w.bootstrap,
    networkInterfaces: () => {
      reads++
      throw new Error('uv_interface_addresses failed')
    }
  })
  const warnings: string[] = []
  node.on('warning', (err) => warnings.push(err.message))
  const seen = changes(w.net, node)
  await w.net.clock.runUntil(node.ready(), MINUTE)
  await w.net.clock.run(5 * MINUTE)
  assert.ok(reads >= 50, `read at every tick (${reads} reads)`)
  assert.deepEqual(warnings, ['uv_interface_addresses failed'])
  assert.equal(seen.length, 0)
  await destroy(w, node)
})

test('interfaces that change before the node is ready are its starting point, not a change', async () => {
  const w = await world(1)
  // a bootstrap node that never answers keeps the node joining for a while
  const silent = w.net.addHost()
  let addresses = ['192.168.0.2']
  const node = new DHT({ createSocket: w.net.addHost().createSocket, clock: w.net.clock, random: w.net.random, bootstrap: [{ host: silent.address, port: 10001 }], requestTimeout: 20_000, networkInterfaces: interfaces(() => addresses) })
  node.on('warning', () => {}) // no bootstrap node answered
  const seen = changes(w.net, node)
  await w.net.clock.run(7000)
  addresses = ['10.0.0.9']
  await w.net.clock.run(7000)
  assert.equal(node.bootstrapped, false, 'still joining')
  await w.net.clock.runUntil(node.ready(), MINUTE)
  await w.net.clock.run(MINUTE)
  assert.equal(seen.length, 0)
  addresses = ['10.0.0.10']
  await w.net.clock.run(5000)
  assert.deepEqual(seen.map((c) => c.change), [{ reason: 'interfaces', addresses: ['10.0.0.10'], previous: ['10.0.0.9'] }], 'measured from what it read while joining')
  await destroy(w, node)
})

// A socket factory whose sockets rewrite the `to` of every message they send, cycling through `hosts`.
function lying (host: SimHost, hosts: readonly string[]): () => UdpSocket {
  let n = 0
  return () => {
    const socket = host.createSocket()
    const send = socket.send.bind(socket)
    socket.send = (message, port, address, callback) => {
      const m = decode(message)
      const to: Peer = { host: hosts[n++ % hosts.length]!, port: m.to.port }
      send(m.type === 'request' ? encodeRequest({ ...m, to }) : encodeReply({ ...m, to }), port, address, callback)
    }
    return socket
  }
}
