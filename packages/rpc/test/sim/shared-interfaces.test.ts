// Nodes of one process that share one reading of the interfaces (sharedNetworkInterfaces, as
// a testnet's do): the machine is read at most once a second between them, not once a tick
// each, and a change of its addresses still reaches every node within a tick and a second.

import test from 'node:test'
import assert from 'node:assert/strict'
import { sharedNetworkInterfaces } from '@dht/rpc'
import type { NetworkChange, NetworkInterfaces } from '@dht/rpc'
import { SimNetwork } from '@dht/sim'
import { MINUTE, world } from './world.js'

const NODES = 20
const TICK = 5000

test('20 nodes share one reading a second, and each sees a change of addresses within 6 s', async () => {
  // the clock exists before the world, for the reader the nodes get
  const net = new SimNetwork({ latency: { min: 5, max: 60 } })
  let address = '192.168.0.2'
  let reads = 0
  const read = (): NetworkInterfaces => {
    reads++
    return { wlan0: [{ address, family: 'IPv4', internal: false }] }
  }
  const networkInterfaces = sharedNetworkInterfaces({ read, maxAge: 1000, clock: net.clock })
  const w = await world(NODES + 1, net, { networkInterfaces })
  try {
    const readsBefore = reads
    const from = w.net.clock.now()
    await w.net.clock.run(MINUTE)
    const ticks = NODES * MINUTE / TICK
    const elapsed = w.net.clock.now() - from
    assert.ok(reads - readsBefore <= elapsed / 1000 + 1, `${reads - readsBefore} reads in ${elapsed} ms (each node alone: ${ticks})`)
    assert.ok(reads - readsBefore >= elapsed / TICK - 1, 'the interfaces are still read')

    const changes = new Map<number, NetworkChange>()
    w.nodes.forEach((node, i) => node.on('network-change', (c) => changes.set(i, c)))
    address = '10.0.0.7'
    await w.net.clock.run(TICK + 1000)
    for (let i = 1; i <= NODES; i++) {
      assert.deepEqual(changes.get(i), { reason: 'interfaces', addresses: ['10.0.0.7'], previous: ['192.168.0.2'] }, `node ${i}`)
    }
  } finally {
    await Promise.all(w.nodes.map((node) => node.destroy()))
    await w.net.clock.run(10)
  }
})
