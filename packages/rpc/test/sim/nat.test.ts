// NAT behaviours on the simulated network, with the real node code and the injected clock:
// what the network-namespace tests check with the kernel's NAT, plus what takes too long
// there: adaptive nodes deciding after 20 simulated minutes.

import test from 'node:test'
import assert from 'node:assert/strict'
import { SimNetwork } from '@dht/sim'
import type { NatOptions, SimHost } from '@dht/sim'
import { DHT } from '@dht/rpc'
import type { Peer } from '@dht/rpc'

const MINUTE = 60_000

interface World {
  net: SimNetwork
  publics: Array<{ dht: DHT, peer: Peer }>
  bootstrap: Peer[]
}

async function world (): Promise<World> {
  const net = new SimNetwork({ latency: { min: 5, max: 60 } })
  const publics: World['publics'] = []
  for (let i = 0; i < 6; i++) {
    const host = net.addHost()
    const bootstrap = publics.map((p) => p.peer)
    const dht = new DHT({ createSocket: host.createSocket, clock: net.clock, random: net.random, bootstrap: bootstrap.length === 0 ? false : bootstrap, ephemeral: false, bind: 10001 })
    await net.clock.runUntil(dht.ready(), MINUTE)
    publics.push({ dht, peer: { host: host.address, port: 10001 } })
  }
  return { net, publics, bootstrap: publics.map((p) => p.peer) }
}

function adaptive (w: World, host: SimHost): DHT {
  return new DHT({ createSocket: host.createSocket, clock: w.net.clock, random: w.net.random, bootstrap: w.bootstrap })
}

function knownBy (w: World, host: string): number {
  return w.publics.filter((p) => p.dht.toArray().some((n) => n.host === host)).length
}

async function behind (nat: NatOptions): Promise<{ w: World, node: DHT, router: string, events: string[] }> {
  const w = await world()
  const router = w.net.addRouter(nat)
  const node = adaptive(w, router.addHost())
  const events: string[] = []
  node.on('persistent', () => events.push('persistent'))
  await w.net.clock.runUntil(node.ready(), MINUTE)
  await w.net.clock.runUntil(node.sampledNAT(), MINUTE)
  return { w, node, router: router.address, events }
}

async function destroy (w: World, ...nodes: DHT[]): Promise<void> {
  await Promise.all([...nodes, ...w.publics.map((p) => p.dht)].map((d) => d.destroy()))
  await w.net.clock.run(10)
}

test('behind a port-preserving NAT that lets replies in from anyone: consistent, then persistent after ~20 minutes', async () => {
  const { w, node, router, events } = await behind({ mapping: 'preserving', filtering: 'open' })
  const before = node.remoteAddress()
  assert.equal(before.type, DHT.NAT_PORT_CONSISTENT)
  assert.equal(before.host, router)
  assert.equal(node.ephemeral, true)
  await w.net.clock.run(15 * MINUTE)
  assert.equal(node.ephemeral, true, 'still ephemeral before the ~20 minutes of uptime')
  await w.net.clock.run(20 * MINUTE)
  assert.deepEqual(events, ['persistent'])
  assert.equal(node.remoteAddress().type, DHT.NAT_OPEN)
  await w.net.clock.run(2 * MINUTE) // pings and lookups spread the news
  assert.ok(knownBy(w, router) > 0, 'a persistent node enters the public nodes\' tables')
  await destroy(w, node)
})

test('behind a firewall (port-preserving NAT, unsolicited datagrams dropped): consistent, but ephemeral for good and in nobody\'s table', async () => {
  const { w, node, router, events } = await behind({ mapping: 'preserving', filtering: 'firewall' })
  assert.equal(node.remoteAddress().type, DHT.NAT_PORT_CONSISTENT)
  assert.equal(node.remoteAddress().host, router)
  await w.net.clock.run(60 * MINUTE)
  assert.deepEqual(events, [], 'ping_nat from another port never arrives, so it never goes persistent')
  assert.equal(node.ephemeral, true)
  assert.equal(node.id, null)
  assert.equal(knownBy(w, router), 0)
  await destroy(w, node)
})

test('behind a NAT that randomizes ports: randomized, ephemeral for good and in nobody\'s table', async () => {
  const { w, node, router, events } = await behind({ mapping: 'random' })
  assert.equal(node.remoteAddress().type, DHT.NAT_PORT_RANDOMIZED)
  assert.equal(node.remoteAddress().host, router)
  await w.net.clock.run(60 * MINUTE)
  assert.deepEqual(events, [])
  assert.equal(knownBy(w, router), 0)
  await destroy(w, node)
})

test('a public adaptive node goes persistent after ~20 minutes and is then seen as open', async () => {
  const w = await world()
  const host = w.net.addHost()
  const node = adaptive(w, host)
  await w.net.clock.runUntil(node.ready(), MINUTE)
  assert.equal(node.ephemeral, true)
  await w.net.clock.run(35 * MINUTE)
  assert.equal(node.ephemeral, false)
  assert.equal(node.remoteAddress().type, DHT.NAT_OPEN)
  assert.equal(node.remoteAddress().host, host.address)
  await destroy(w, node)
})

test('a NATed node can still use the network: its lookups and requests work while it stays out of tables', async () => {
  const { w, node } = await behind({ mapping: 'random' })
  const target = w.publics[3]!
  const q = node.query(DHT.id(target.peer), 'find_node', null)
  await w.net.clock.runUntil(q.finished(), MINUTE)
  assert.equal(q.closestReplies[0]?.from.port, target.peer.port)
  const reply = await w.net.clock.runUntil(node.ping(target.peer), MINUTE)
  assert.equal(reply.from.host, target.peer.host)
  await destroy(w, node)
})
