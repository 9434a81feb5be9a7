// Many lookups at once from one node of a simulated network with round trips of 10 to 120 ms,
// where the CPU costs nothing: narrowed by the shared width, they send fewer requests and
// finish no later than at the full width of a lone lookup.

import test from 'node:test'
import assert from 'node:assert/strict'
import type { DHT } from '@dht/rpc'
import { world } from './world.js'

const NETWORK = 200
const AT_ONCE = 32

interface Batch { requests: number, p50: number, slowest: number, found: number }

async function batch (asker: DHT, targets: Uint8Array[], clock: { now (): number, runUntil<T> (p: Promise<T>, ms: number): Promise<T> }, concurrency?: number): Promise<Batch> {
  const sent = asker.io.stats.requestsSent
  const start = clock.now()
  const times: number[] = []
  let found = 0
  const queries = targets.map((t) => {
    const q = asker.query(t, 'find_node', null, concurrency === undefined ? {} : { concurrency })
    return q.finished().then(() => {
      times.push(clock.now() - start)
      if (q.closestNodes[0] !== undefined && Buffer.compare(q.closestNodes[0].id, t) === 0) found++
    })
  })
  await clock.runUntil(Promise.all(queries), 60_000)
  times.sort((a, b) => a - b)
  return { requests: (asker.io.stats.requestsSent - sent) / targets.length, p50: times[times.length >> 1]!, slowest: times.at(-1)!, found }
}

test(`${AT_ONCE} lookups at once: the shared width against the full width of each`, async () => {
  const { net, nodes } = await world(NETWORK)
  const asker = nodes[7]!
  await net.clock.run(10_000)
  const targets = (from: number): Uint8Array[] => nodes.slice(from, from + AT_ONCE).map((n) => n.id!)
  // taking turns, each on targets of its own
  const runs = [
    { full: await batch(asker, targets(20), net.clock, 20), shared: await batch(asker, targets(60), net.clock) },
    { full: await batch(asker, targets(100), net.clock, 20), shared: await batch(asker, targets(140), net.clock) }
  ]
  for (const { full, shared } of runs) {
    assert.equal(full.found, AT_ONCE)
    assert.equal(shared.found, AT_ONCE, 'every narrowed lookup finds its target')
    assert.ok(shared.requests < 0.8 * full.requests, `requests per lookup: ${shared.requests} shared, ${full.requests} full`)
    assert.ok(shared.p50 <= full.p50 && shared.slowest <= full.slowest, `simulated ms to finish, p50 and slowest: ${shared.p50} and ${shared.slowest} shared, ${full.p50} and ${full.slowest} full`)
  }
  for (const n of nodes) await n.destroy()
})
