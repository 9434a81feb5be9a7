// How a node that asks to be persistent (`ephemeral: false`) joins: its first lookup, for a
// random id, ends once its address is known; the lookup for its persistent id fills its table.
// A node that cannot go persistent finishes the lookup it cut short.

import test from 'node:test'
import assert from 'node:assert/strict'
import type { NatOptions, SimHost } from '@dht/sim'
import type { UdpSocket } from '@dht/io'
import { decode } from '@dht/wire'
import { DHT } from '@dht/rpc'
import { MINUTE, world } from './world.js'
import type { World } from './world.js'

const NETWORK = 40

/** Joins a node with `ephemeral: false` and counts its find_node requests per target. */
async function join (w: World, host: SimHost): Promise<{ node: DHT, lookups: Map<string, number>, order: string[] }> {
  const lookups = new Map<string, number>()
  const order: string[] = []
  const createSocket = (): UdpSocket => {
    const socket = host.createSocket()
    const send = socket.send.bind(socket)
    socket.send = (message, port, address, callback) => {
      const m = decode(message)
      if (m.type === 'request' && m.command === 'find_node' && m.target !== null) {
        const key = Buffer.from(m.target).toString('hex')
        if (!lookups.has(key)) order.push(key)
        lookups.set(key, (lookups.get(key) ?? 0) + 1)
      }
      send(message, port, address, callback)
    }
    return socket
  }
  const node = new DHT({ createSocket, clock: w.net.clock, random: w.net.random, bootstrap: w.bootstrap, ephemeral: false })
  await w.net.clock.runUntil(node.ready(), MINUTE)
  return { node, lookups, order }
}

async function destroy (w: World, node: DHT): Promise<void> {
  await Promise.all([node, ...w.nodes].map((d) => d.destroy()))
  await w.net.clock.run(10)
}

test('a public node with ephemeral: false ends its first lookup once addressed, then fills its table around its persistent id', async () => {
  const w = await world(NETWORK)
  const host = w.net.addHost()
  const { node, lookups, order } = await join(w, host)
  assert.equal(node.ephemeral, false)
  assert.deepEqual(node.remoteAddress(), { type: DHT.NAT_OPEN, host: host.address, port: node.address()!.port })
  assert.equal(order.length, 2, 'one lookup for the first id, one for the persistent id')
  const [random, persistent] = order.map((key) => lookups.get(key)!)
  assert.equal(order[1], Buffer.from(node.id!).toString('hex'))
  assert.ok(random! < persistent!, `first lookup cut short: ${random} requests, against ${persistent} for the persistent id`)
  assert.ok(random! <= 12, `first lookup: ${random} requests`)
  assert.ok(node.toArray().length >= 20, `table after the join: ${node.toArray().length} nodes`)
  await destroy(w, node)
})

test('a node with ephemeral: false behind a firewall stays ephemeral and finishes the lookup it cut short', async () => {
  const w = await world(NETWORK)
  const nat: NatOptions = { mapping: 'preserving', filtering: 'firewall' }
  const { node, lookups, order } = await join(w, w.net.addRouter(nat).addHost())
  assert.equal(node.ephemeral, true)
  assert.equal(node.remoteAddress().type, DHT.NAT_PORT_CONSISTENT)
  assert.equal(order.length, 1, 'no persistent id: both lookups are for the first id')
  assert.ok(lookups.get(order[0]!)! > 12, `the full lookup ran: ${lookups.get(order[0]!)} requests`)
  assert.ok(node.toArray().length >= 20, `table after the join: ${node.toArray().length} nodes`)
  await destroy(w, node)
})
