// The node's own upkeep, on the simulator, with nobody reading any stream: each maintenance
// path sends its traffic. refresh() looks up a random id; the periodic refresh does the same
// on a quiet node; the node nearest the 'ping bootstrap' id looks that id up and pings a
// bootstrap node; and a node that started alone fills its table once other nodes appear.

import test from 'node:test'
import assert from 'node:assert/strict'
import { DHT } from '@dht/rpc'
import { MINUTE, tapRequests, world } from './world.js'

const NETWORK = 30

function hex (id: Uint8Array): string {
  return Buffer.from(id).toString('hex')
}

test('refresh() sends find_node for one target to nodes of the routing table', async () => {
  const w = await world(NETWORK)
  const host = w.net.addHost()
  const tap = tapRequests(w.net, host)
  const node = new DHT({ createSocket: tap.createSocket, clock: w.net.clock, random: w.net.random, bootstrap: w.bootstrap, ephemeral: false })
  await w.net.clock.runUntil(node.ready(), MINUTE)
  const table = new Set(node.toArray().map((p) => p.host + ':' + p.port))
  tap.sent.length = 0
  node.refresh()
  await w.net.clock.run(2000)
  const lookups = tap.sent.filter((r) => r.command === 'find_node')
  assert.ok(lookups.length >= 2, `${lookups.length} find_node requests after refresh()`)
  assert.equal(new Set(lookups.map((r) => hex(r.target!))).size, 1, 'one lookup, for one target')
  assert.ok(lookups.some((r) => table.has(r.to.host + ':' + r.to.port)), 'sent to nodes of the routing table')
  await Promise.all([node, ...w.nodes].map((d) => d.destroy()))
})

test('a background lookup on an idle node keeps its full width in flight', async () => {
  // Its own requests are not "something else waiting on the network": counted as such, they
  // held every background lookup at 2 or 3 requests in flight, and tables filled a third less.
  const w = await world(NETWORK)
  const host = w.net.addHost()
  const node = new DHT({ createSocket: host.createSocket, clock: w.net.clock, random: w.net.random, bootstrap: w.bootstrap, ephemeral: false })
  await w.net.clock.runUntil(node.ready(), MINUTE)
  await w.net.clock.run(1000) // the bootstrap's last requests settle
  let most = 0
  const watch = w.net.clock.setInterval(() => { most = Math.max(most, node.io.inflightRequests) }, 1)
  node.refresh()
  await w.net.clock.run(2000)
  w.net.clock.clearInterval(watch)
  assert.ok(most >= 10, `at most ${most} requests in flight at once (width ${node.concurrency})`)
  await Promise.all([node, ...w.nodes].map((d) => d.destroy()))
})

test('a quiet node refreshes its table on its own, every few minutes', async () => {
  const w = await world(NETWORK)
  const host = w.net.addHost()
  const tap = tapRequests(w.net, host)
  const node = new DHT({ createSocket: tap.createSocket, clock: w.net.clock, random: w.net.random, bootstrap: w.bootstrap, ephemeral: false })
  await w.net.clock.runUntil(node.ready(), MINUTE)
  tap.sent.length = 0
  await w.net.clock.run(12 * MINUTE)
  const targets = new Set(tap.sent.filter((r) => r.command === 'find_node').map((r) => hex(r.target!)))
  assert.ok(targets.size >= 2, `${targets.size} background lookups in 12 quiet minutes`)
  assert.ok(tap.sent.some((r) => r.command === 'ping'), 'the oldest nodes are pinged')
  await Promise.all([node, ...w.nodes].map((d) => d.destroy()))
})

test('the node nearest the "ping bootstrap" id looks it up and pings a bootstrap node', async () => {
  // every node tapped: whichever is nearest that id, its lookup and ping are seen
  const w = await world(1)
  const taps = []
  for (let i = 0; i < NETWORK; i++) {
    const tap = tapRequests(w.net, w.net.addHost())
    const node = new DHT({ createSocket: tap.createSocket, clock: w.net.clock, random: w.net.random, bootstrap: w.bootstrap, ephemeral: false })
    await w.net.clock.runUntil(node.ready(), MINUTE)
    w.nodes.push(node)
    taps.push(tap)
  }
  for (const tap of taps) tap.sent.length = 0
  await w.net.clock.run(11 * MINUTE)
  const boot = w.bootstrap[0]!
  const pinged = taps.filter((tap) => tap.sent.some((r) => r.command === 'ping' && r.to.host === boot.host && r.to.port === boot.port))
  assert.ok(pinged.length >= 1, 'a node pinged the bootstrap node')
  for (const tap of pinged) {
    const ping = tap.sent.find((r) => r.command === 'ping' && r.to.host === boot.host && r.to.port === boot.port)!
    assert.ok(tap.sent.some((r) => r.command === 'find_node' && r.at < ping.at), 'after a lookup')
  }
  await Promise.all(w.nodes.map((d) => d.destroy()))
})

test('an adaptive node that started alone fills its table once 200 nodes join after it', async () => {
  const w = await world(1)
  const host = w.net.addHost()
  const lone = new DHT({ createSocket: host.createSocket, clock: w.net.clock, random: w.net.random, bootstrap: w.bootstrap })
  await w.net.clock.runUntil(lone.ready(), MINUTE)
  assert.equal(lone.table.size, 0, 'nobody to know yet')
  for (let i = 0; i < 200; i++) {
    const h = w.net.addHost()
    const node = new DHT({ createSocket: h.createSocket, clock: w.net.clock, random: w.net.random, bootstrap: w.bootstrap, ephemeral: false })
    await w.net.clock.runUntil(node.ready(), MINUTE)
    w.nodes.push(node)
  }
  await w.net.clock.run(10 * MINUTE)
  assert.ok(lone.table.size >= 20, `${lone.table.size} nodes in the lone node's table 10 minutes later`)
  await Promise.all([lone, ...w.nodes].map((d) => d.destroy()))
})
