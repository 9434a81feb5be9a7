// suspend() and resume() on the simulator: while suspended a node sends nothing and answers
// nothing, what was in flight fails with SUSPENDED and leaves no room taken in the window;
// after an hour away, in a network that changed under it, the node is useful again within
// seconds of resume(): its lookups find the network's true closest nodes, its table holds
// the nodes still there.

import test from 'node:test'
import assert from 'node:assert/strict'
import { DHT, isIOError } from '@dht/rpc'
import type { Peer } from '@dht/rpc'
import type { UdpSocket } from '@dht/io'
import type { SimHost, SimNetwork } from '@dht/sim'
import { compareDistance } from '@dht/table'
import { MINUTE, tapRequests, world } from './world.js'
import type { World } from './world.js'

const NETWORK = 50
const HOUR = 60 * MINUTE

/** A socket factory for `host` that records the time of every datagram the node sends. */
function tapDatagrams (net: SimNetwork, host: SimHost): { createSocket: () => UdpSocket, sentAt: number[] } {
  const sentAt: number[] = []
  const createSocket = (): UdpSocket => {
    const socket = host.createSocket()
    const send = socket.send.bind(socket)
    socket.send = (message, port, address, callback) => {
      sentAt.push(net.clock.now())
      send(message, port, address, callback)
    }
    return socket
  }
  return { createSocket, sentAt }
}

/** A persistent node on a new host of `w`, joined. */
async function join (w: World, createSocket?: () => UdpSocket): Promise<{ node: DHT, peer: Peer }> {
  const host = w.net.addHost()
  const node = new DHT({ createSocket: createSocket ?? host.createSocket, clock: w.net.clock, random: w.net.random, bootstrap: w.bootstrap, ephemeral: false })
  await w.net.clock.runUntil(node.ready(), MINUTE)
  return { node, peer: { host: host.address, port: node.address()!.port } }
}

function key (p: Peer): string {
  return p.host + ':' + p.port
}

test('requests and lookups in flight fail with SUSPENDED and free their room in the window', async () => {
  const w = await world(20)
  const { node } = await join(w)
  const silent = { host: w.net.addHost().address, port: 4000 } // nothing listens there
  const request = node.ping(silent)
  const lookup = node.query(Buffer.alloc(32, 7), 'find_node', null, { nodes: [silent, ...w.peers.slice(1, 4)] })
  const finished = lookup.finished()
  await w.net.clock.run(1)
  assert.ok(node.io.inflightRequests >= 2, `${node.io.inflightRequests} requests in flight`)
  await node.suspend()
  await assert.rejects(request, (err) => isIOError(err, 'SUSPENDED'))
  await assert.rejects(finished, (err) => isIOError(err, 'SUSPENDED'))
  assert.equal(node.io.inflightRequests, 0)
  assert.equal(node.suspended, true)

  // new calls while suspended fail the same way
  await assert.rejects(node.ping(w.peers[1]!), (err) => isIOError(err, 'SUSPENDED'))
  await assert.rejects(node.requestAll(null, 'ping', null, w.peers.slice(1, 3)), (err) => isIOError(err, 'SUSPENDED'))
  await assert.rejects(node.query(Buffer.alloc(32, 8), 'find_node').finished(), (err) => isIOError(err, 'SUSPENDED'))

  const resumed = node.resume()
  assert.equal(node.suspended, false)
  // a new request goes out at once: nothing of the failed ones holds the window
  const sentBefore = node.io.stats.requestsSent
  const pong = node.ping(w.peers[1]!)
  await w.net.clock.run(0)
  assert.ok(node.io.stats.requestsSent > sentBefore, 'sent at once')
  await w.net.clock.runUntil(Promise.all([pong, resumed]), MINUTE)
  await Promise.all([node, ...w.nodes].map((d) => d.destroy()))
})

test('a suspended node sends nothing and answers nothing, for an hour', async () => {
  const w = await world(20)
  const host = w.net.addHost()
  const tap = tapDatagrams(w.net, host)
  const node = new DHT({ createSocket: tap.createSocket, clock: w.net.clock, random: w.net.random, bootstrap: w.bootstrap, ephemeral: false })
  await w.net.clock.runUntil(node.ready(), MINUTE)
  const peer = { host: host.address, port: node.address()!.port }
  await node.suspend()
  const from = w.net.clock.now()
  const asked = assert.rejects(w.nodes[3]!.ping(peer), (err) => isIOError(err, 'REQUEST_TIMEOUT'))
  const lookup = w.nodes[4]!.query(node.table.id, 'find_node', null, { nodes: [peer] }).finished().catch(() => {})
  await w.net.clock.run(HOUR)
  await asked
  await lookup
  assert.deepEqual(tap.sentAt.filter((at) => at >= from), [], 'no datagram while suspended')
  const until = w.net.clock.now()
  await w.net.clock.runUntil(node.resume(), MINUTE)
  assert.ok(tap.sentAt.some((at) => at >= until), 'traffic again after the resume')
  await w.net.clock.runUntil(w.nodes[3]!.ping(peer), MINUTE)
  await Promise.all([node, ...w.nodes].map((d) => d.destroy()))
})

test('suspend() and resume() are idempotent; destroy() works while suspended; resume() after destroy() rejects', async () => {
  const w = await world(10)
  const { node } = await join(w)
  const events: string[] = []
  node.on('suspend', () => events.push('suspend'))
  node.on('resume', () => events.push('resume'))
  await node.resume() // not suspended: nothing to do
  await Promise.all([node.suspend(), node.suspend()])
  await node.suspend()
  const first = node.resume()
  const second = node.resume()
  await w.net.clock.runUntil(Promise.all([first, second]), MINUTE)
  await node.resume()
  assert.deepEqual(events, ['suspend', 'resume'])

  await node.suspend()
  await node.destroy()
  assert.equal(node.destroyed, true)
  await assert.rejects(node.resume(), (err) => isIOError(err, 'DESTROYED'))
  await node.suspend() // a destroyed node is stopped already
  assert.deepEqual(events, ['suspend', 'resume', 'suspend'])
  await Promise.all(w.nodes.map((d) => d.destroy()))
})

test('suspend() during the resume check, or from a resume listener, ends the check; resume() again runs it anew', async () => {
  const w = await world(20)
  const { node } = await join(w)
  await node.suspend()
  await w.net.clock.run(HOUR)
  const resumed = node.resume()
  await w.net.clock.run(10)
  await node.suspend()
  const size = node.table.size
  await w.net.clock.runUntil(resumed, MINUTE) // resolves: the check was cut short
  assert.equal(node.table.size, size, 'the pings cut short removed nobody')
  assert.equal(node.io.inflightRequests, 0)
  // suspended again from a 'resume' listener: the check does not run
  node.once('resume', () => { node.suspend().catch(() => {}) })
  await w.net.clock.runUntil(node.resume(), MINUTE)
  assert.equal(node.suspended, true)
  assert.equal(node.table.size, size)
  assert.equal(node.io.inflightRequests, 0)
  await w.net.clock.runUntil(node.resume(), MINUTE)
  assert.ok(node.table.size >= 15, `${node.table.size} nodes in the table`)
  await Promise.all([node, ...w.nodes].map((d) => d.destroy()))
})

test('a node suspended while it joins becomes ready after the resume, with no bootstrap warning', async () => {
  const w = await world(20)
  const host = w.net.addHost()
  const node = new DHT({ createSocket: host.createSocket, clock: w.net.clock, random: w.net.random, bootstrap: w.bootstrap, ephemeral: false })
  const warnings: string[] = []
  node.on('warning', (err) => warnings.push((err as { code?: string }).code ?? err.message))
  let ready = false
  node.ready().then(() => { ready = true }, () => {})
  await w.net.clock.run(20)
  await node.suspend()
  await w.net.clock.run(10 * MINUTE)
  assert.equal(ready, false, 'not ready while suspended')
  await w.net.clock.runUntil(node.resume(), MINUTE)
  await w.net.clock.runUntil(node.ready(), MINUTE)
  assert.deepEqual(warnings, [])
  assert.ok(node.table.size >= 15, `${node.table.size} nodes in the table`)
  await Promise.all([node, ...w.nodes].map((d) => d.destroy()))
})

test('resume() samples our address anew; an adaptive node goes back to ephemeral, with no wake-up', async () => {
  const w = await world(20)
  const host = w.net.addHost()
  const node = new DHT({ createSocket: host.createSocket, clock: w.net.clock, random: w.net.random, bootstrap: w.bootstrap })
  await w.net.clock.runUntil(node.ready(), MINUTE)
  await w.net.clock.run(40 * MINUTE)
  assert.equal(node.ephemeral, false, 'persistent after a healthy uptime')
  const events: string[] = []
  for (const name of ['ephemeral', 'wakeup', 'resume'] as const) node.on(name, () => events.push(name))
  await node.suspend()
  await w.net.clock.run(HOUR)
  const resumed = node.resume()
  assert.equal(node.remoteAddress().host, null, 'the old samples are forgotten')
  assert.deepEqual(events, ['ephemeral', 'resume'])
  assert.equal(node.id, null)
  await w.net.clock.runUntil(resumed, MINUTE)
  assert.equal(node.remoteAddress().host, host.address, 'learned again from the replies')
  await Promise.all([node, ...w.nodes].map((d) => d.destroy()))
})

for (const share of [1 / 2, 9 / 10]) {
  test(`an hour suspended while ${share * 100}% of ${NETWORK} nodes are replaced: useful again within seconds of resume()`, async (t) => {
  const w = await world(NETWORK)
  const tap = tapRequests(w.net, w.net.addHost())
  const { node } = await join(w, tap.createSocket)
  const live = new Map<DHT, Peer>()
  w.nodes.slice(1).forEach((n, i) => live.set(n, w.peers[i + 1]!))
  const tableBefore = node.table.size
  const boot = w.bootstrap[0]!

  await node.suspend()
  // over the hour, that share of the nodes leave and as many new ones join
  const staying = [...live.keys()]
  const replaced = Math.round(staying.length * share)
  for (let i = 0; i < replaced; i++) {
    const leaving = staying.splice(Math.floor(w.net.random.next() * staying.length), 1)[0]!
    live.delete(leaving)
    await leaving.destroy()
    const joined = await join(w)
    live.set(joined.node, joined.peer)
    await w.net.clock.run(HOUR / replaced - 1000)
  }
  const alive = new Set([...live.values()].map(key))
  const deadBefore = node.toArray().filter((p) => !alive.has(key(p))).length
  const sizeBefore = node.table.size

  const start = w.net.clock.now()
  await w.net.clock.runUntil(node.resume(), MINUTE)
  const resumeMs = w.net.clock.now() - start
  const dead = node.toArray().filter((p) => !alive.has(key(p))).length
  const askedBootstrap = tap.sent.some((r) => r.at >= start && r.command === 'find_node' && key(r.to) === key(boot))
  assert.equal(node.remoteAddress().host !== null, true, 'our address sampled again')

  // lookups from it find the true closest live nodes
  const ids = [...live.keys()].map((n) => n.id!)
  let found = 0
  let wanted = 0
  let slowest = 0
  for (let i = 0; i < 5; i++) {
    const target = Buffer.alloc(32)
    w.net.random.fill(target)
    const truth = ids.slice().sort((a, b) => compareDistance(target, a, b)).slice(0, 20).map((id) => Buffer.from(id).toString('hex'))
    const began = w.net.clock.now()
    const query = node.query(target, 'find_node')
    await w.net.clock.runUntil(query.finished(), MINUTE)
    slowest = Math.max(slowest, w.net.clock.now() - began)
    const closest = new Set(query.closestNodes.map((n) => Buffer.from(n.id).toString('hex')))
    found += truth.filter((id) => closest.has(id)).length
    wanted += truth.length
  }
  t.diagnostic(`table of ${tableBefore} at suspend, ${deadBefore} of ${sizeBefore} dead at resume; resume() took ${resumeMs} ms${askedBootstrap ? ', bootstrapped again' : ''}; ${dead} dead of ${node.table.size} after`)
  t.diagnostic(`lookups found ${found} of the ${wanted} true closest; slowest ${slowest} ms`)
  assert.ok(deadBefore >= sizeBefore * share / 2, `${deadBefore} dead of ${sizeBefore} at resume`)
  if (deadBefore > sizeBefore / 2) assert.ok(askedBootstrap, 'a stale table: the node bootstrapped again')
  assert.ok(resumeMs <= 10_000, `resume() took ${resumeMs} ms`)
  assert.ok(dead <= 1, `${dead} dead nodes left in the table`)
  assert.ok(node.table.size >= 20, `${node.table.size} nodes in the table`)
  assert.ok(found >= wanted - 2, `found ${found} of ${wanted}`)
  assert.ok(slowest <= 5_000, `slowest lookup ${slowest} ms`)
  await Promise.all([node, w.nodes[0]!, ...live.keys()].map((d) => d.destroy()))
  })
}
