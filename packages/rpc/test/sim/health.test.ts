// A node's health on a simulated network: offline when its link drops everything, online
// again when the link heals, and steady (no flicker) on a link that loses 30% of datagrams.

import test from 'node:test'
import assert from 'node:assert/strict'
import { DHT } from '@dht/rpc'
import type { DHTHealth } from '@dht/rpc'
import type { SimNetwork } from '@dht/sim'
import { MINUTE, world } from './world.js'
import type { World } from './world.js'

const NETWORK = 20
const LOOKUP_EVERY_MS = 5000 // the node is in use: a lookup every few seconds, as an application's would be

/** Makes `node` look up a random id every few seconds until the returned function is called. */
function keepBusy (net: SimNetwork, node: DHT): () => void {
  const timer = net.clock.setInterval(() => {
    const target = Buffer.alloc(32)
    net.random.fill(target)
    node.query(target, 'find_node').finished().catch(() => {})
  }, LOOKUP_EVERY_MS)
  return () => net.clock.clearInterval(timer)
}

/** Sets the loss of every link between the host of `peers[index]` and the others. */
function setLoss (w: World, index: number, loss: number): void {
  const own = w.peers[index]!.host
  for (const peer of w.peers) if (peer.host !== own) w.net.setLink(own, peer.host, { loss })
}

/** Every 'health' event of `node`, with the simulated time it came at. */
function recordHealth (net: SimNetwork, node: DHT): Array<{ at: number, health: DHTHealth, previous: DHTHealth }> {
  const changes: Array<{ at: number, health: DHTHealth, previous: DHTHealth }> = []
  node.on('health', (health, previous) => changes.push({ at: net.clock.now(), health, previous }))
  return changes
}

test('a node whose link drops everything goes offline, and comes back online when it heals', async (t) => {
  const w = await world(NETWORK)
  const { net, nodes } = w
  const index = 5
  const node = nodes[index]!
  const stop = keepBusy(net, node)
  const changes = recordHealth(net, node)
  await net.clock.run(2 * MINUTE)
  assert.equal(node.health, 'online')
  assert.equal(changes.length, 0, 'a healthy network: no change')

  const cutAt = net.clock.now()
  setLoss(w, index, 1)
  await net.clock.run(3 * MINUTE)
  assert.equal(node.health, 'offline')
  assert.equal(changes.at(-1)!.health, 'offline')
  assert.ok(changes.every((c) => c.health !== 'online'), 'never back online while cut off')
  t.diagnostic(`offline ${(changes.at(-1)!.at - cutAt) / 1000} s after the cut; changes: ${changes.map((c) => `${c.previous}->${c.health}`).join(', ')}`)

  const healedAt = net.clock.now()
  const before = changes.length
  setLoss(w, index, 0)
  await net.clock.run(5 * MINUTE)
  assert.equal(node.health, 'online')
  assert.equal(changes.at(-1)!.health, 'online')
  t.diagnostic(`online ${(changes.at(-1)!.at - healedAt) / 1000} s after the link healed; changes: ${changes.slice(before).map((c) => `${c.previous}->${c.health}`).join(', ')}`)

  const stats = node.stats
  assert.ok(stats.totals.timeouts > 0 && stats.totals.repliesReceived > 0)
  assert.ok(stats.commands.find((c) => c.command === 'find_node')!.timeouts > 0, 'the timeouts are counted for find_node')
  stop()
  await net.clock.runUntil(Promise.all(nodes.map((n) => n.destroy())))
})

test('at a steady 30% loss the health does not flicker: at most one change over half an hour', async (t) => {
  const w = await world(NETWORK)
  const { net, nodes } = w
  const index = 7
  const node = nodes[index]!
  const stop = keepBusy(net, node)
  const changes = recordHealth(net, node)
  setLoss(w, index, 0.3)
  const start = node.stats.totals
  await net.clock.run(30 * MINUTE)
  const end = node.stats.totals
  const ended = (end.repliesReceived - start.repliesReceived) + (end.timeouts - start.timeouts)
  const resent = end.resends - start.resends
  t.diagnostic(`${ended} requests ended, ${(100 * (end.timeouts - start.timeouts) / ended).toFixed(2)}% timed out, ${resent} re-sends; health ${node.health}; changes: ${changes.map((c) => `${c.previous}->${c.health} at ${c.at / 1000} s`).join(', ') || 'none'}`)
  assert.ok(changes.length <= 1, `changed ${changes.length} times`)
  assert.ok(resent > ended / 10, 'the loss is there: many requests were re-sent')
  assert.notEqual(node.health, 'offline', 'most requests are answered, after a re-send or two')
  stop()
  await net.clock.runUntil(Promise.all(nodes.map((n) => n.destroy())))
})

test('node.stats: per command, totals, round trips, table size and lookups, as plain data', async () => {
  const { net, nodes, peers } = await world(5, { latency: { min: 10, max: 10 } })
  const [, a, b] = nodes
  b!.on('request', (req) => { if (req.command === 'echo') req.reply(req.value) })
  for (let i = 0; i < 3; i++) await net.clock.runUntil(a!.request(null, 'echo', Buffer.from('hi'), peers[2]!))
  const stats = a!.stats
  const echo = stats.commands.find((c) => c.command === 'echo')!
  assert.deepEqual([echo.requestsSent, echo.repliesReceived, echo.timeouts], [3, 3, 0])
  assert.ok(echo.bytesOut > 0 && echo.bytesIn > 0)
  assert.deepEqual(stats.commands.slice(0, 3).map((c) => c.command), ['ping', 'ping_nat', 'find_node'], 'the built-in commands come first')
  assert.equal(stats.tableSize, a!.table.size)
  assert.equal(stats.lookups, 0)
  assert.equal(stats.rtt.p50, 20, 'a round trip of two 10 ms legs')
  assert.ok(stats.rtt.samples >= 3 && stats.rtt.p99! >= stats.rtt.p90! && stats.rtt.p90! >= stats.rtt.p50!)
  const served = b!.stats.commands.find((c) => c.command === 'echo')!
  assert.deepEqual([served.requestsReceived, served.repliesSent], [3, 3])
  assert.deepEqual(JSON.parse(JSON.stringify(stats)), stats, 'plain data: survives JSON')

  const q = a!.query(Buffer.alloc(32, 7), 'find_node')
  assert.equal(a!.stats.lookups, 1)
  await net.clock.runUntil(q.finished())
  assert.equal(a!.health, 'online')
  assert.equal(DHT.OK, 0)
  await net.clock.runUntil(Promise.all(nodes.map((n) => n.destroy())))
})
