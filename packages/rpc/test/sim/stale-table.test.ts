// A node started from a saved routing table that has gone stale (every saved node gone, as
// after a long time off) still joins through its bootstrap nodes, however many nodes it was
// given: a lookup that got no reply from the table's nodes asks the bootstrap nodes before it
// ends.

import test from 'node:test'
import assert from 'node:assert/strict'
import { DHT } from '@dht/rpc'
import type { Peer } from '@dht/rpc'
import { MINUTE, world } from './world.js'

const NETWORK = 30

for (const saved of [5, 25]) {
  test(`a node given ${saved} saved nodes that are all gone joins through the bootstrap node`, async () => {
    const w = await world(NETWORK)
    const gone: Peer[] = []
    for (let i = 0; i < saved; i++) gone.push({ host: w.net.addHost().address, port: 4000 + i }) // nothing listens there
    const host = w.net.addHost()
    const node = new DHT({ createSocket: host.createSocket, clock: w.net.clock, random: w.net.random, bootstrap: w.bootstrap, nodes: gone, ephemeral: false })
    const warnings: string[] = []
    node.on('warning', (err) => warnings.push((err as { code?: string }).code ?? err.message))
    await w.net.clock.runUntil(node.ready(), MINUTE)
    const live = new Set(w.peers.map((p) => p.host + ':' + p.port))
    const known = node.toArray().filter((p) => live.has(p.host + ':' + p.port))
    assert.ok(known.length >= 10, `${known.length} live nodes in its table`)
    assert.deepEqual(warnings.filter((c) => c === 'BOOTSTRAP_FAILED'), [], 'the bootstrap node answered')
    await Promise.all([node, ...w.nodes].map((d) => d.destroy()))
  })
}
