// A day of steady churn on the simulator: every few minutes a node leaves without a word and
// a new one joins. The routing tables stay full and the dead entries in them stay few, hour
// after hour: the node's upkeep runs on its own.

import test from 'node:test'
import assert from 'node:assert/strict'
import { DHT } from '@dht/rpc'
import { MINUTE, world } from './world.js'

const NETWORK = 40
const HOURS = 24
const CHURN_EVERY = 2 * MINUTE // one node leaves and one joins: 30 an hour, the network replaced 18 times a day

test(`${HOURS} simulated hours of steady churn in ${NETWORK} nodes: tables stay full, dead entries stay few`, async (t) => {
  const w = await world(NETWORK)
  const live = new Set(w.nodes.slice(1))
  const addressOf = new Map<DHT, string>()
  w.nodes.slice(1).forEach((n, i) => addressOf.set(n, w.peers[i + 1]!.host + ':' + w.peers[i + 1]!.port))
  const liveAddresses = (): Set<string> => new Set([...live].map((n) => addressOf.get(n)!))
  const rows: Array<{ hour: number, tableSize: number, deadShare: number }> = []

  for (let step = 1; step <= HOURS * 60 * MINUTE / CHURN_EVERY; step++) {
    const nodes = [...live]
    const leaving = nodes[Math.floor(w.net.random.next() * nodes.length)]!
    live.delete(leaving)
    await leaving.destroy()
    const host = w.net.addHost()
    const node = new DHT({ createSocket: host.createSocket, clock: w.net.clock, random: w.net.random, bootstrap: w.bootstrap, ephemeral: false, networkInterfaces: false })
    await w.net.clock.runUntil(node.ready(), MINUTE)
    live.add(node)
    addressOf.set(node, host.address + ':' + node.address()!.port)
    await w.net.clock.run(CHURN_EVERY)
    if ((step * CHURN_EVERY) % (60 * MINUTE) === 0) {
      const alive = liveAddresses()
      let entries = 0
      let dead = 0
      for (const n of live) {
        for (const p of n.toArray()) {
          entries++
          if (!alive.has(p.host + ':' + p.port)) dead++
        }
      }
      rows.push({ hour: step * CHURN_EVERY / (60 * MINUTE), tableSize: entries / live.size, deadShare: dead / entries })
    }
  }
  t.diagnostic('hour  mean table size  dead share')
  for (const r of rows) t.diagnostic(`${String(r.hour).padStart(4)}  ${r.tableSize.toFixed(1).padStart(15)}  ${r.deadShare.toFixed(3).padStart(10)}`)
  for (const r of rows) {
    assert.ok(r.tableSize >= 20, `hour ${r.hour}: mean table size ${r.tableSize.toFixed(1)}`)
    assert.ok(r.deadShare <= 0.1, `hour ${r.hour}: dead share ${r.deadShare.toFixed(3)}`)
  }
  await Promise.all([w.nodes[0]!, ...live].map((d) => d.destroy()))
})
