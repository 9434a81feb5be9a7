// Lookups on a simulated network as far apart as the internet: every link's one-way delay
// is drawn from 10 to 400 ms, with jitter, and 5% of all datagrams are lost.

import test from 'node:test'
import assert from 'node:assert/strict'
import { DHT } from '@dht/rpc'
import { compareDistance } from '@dht/table'
import { MINUTE, world } from './world.js'

const NETWORK = 150
const LOOKUPS = 20

test(`${NETWORK} nodes 10-400 ms apart with 5% loss: lookups find their exact target and the true 20 closest`, async (t) => {
  const w = await world(NETWORK, { latency: { min: 10, max: 400 }, jitter: 20, loss: 0.05 })
  const live = w.nodes.slice(1)
  const ids = live.map((n) => n.id!)
  let exact = 0
  let found = 0
  for (let i = 0; i < LOOKUPS; i++) {
    const asker = live[(i * 7) % live.length]!
    const target = live[(i * 13 + 5) % live.length]!.id!
    const query = asker.query(target, 'find_node', null)
    await w.net.clock.runUntil(query.finished(), MINUTE)
    if (query.closestReplies[0] !== undefined && Buffer.compare(query.closestReplies[0].id!, target) === 0) exact++
    const truth = new Set(ids.filter((id) => id !== asker.id).sort((a, b) => compareDistance(target, a, b)).slice(0, 20).map((id) => Buffer.from(id).toString('hex')))
    found += query.closestReplies.filter((r) => truth.has(Buffer.from(r.id!).toString('hex'))).length
  }
  const recall = found / (20 * LOOKUPS)
  t.diagnostic(`exact target found ${exact} of ${LOOKUPS}; recall of the true 20 closest ${recall.toFixed(3)}`)
  assert.ok(exact >= LOOKUPS - 1, `exact target found ${exact} of ${LOOKUPS}`)
  assert.ok(recall >= 0.95, `recall ${recall.toFixed(3)}`)
  await Promise.all(w.nodes.map((d) => d.destroy()))
})

test('a request to a node 400 ms away whose handler takes 3 s is answered, on a lossy link', async () => {
  const w = await world(3, { latency: { min: 400, max: 400 }, loss: 0.05 })
  const [, a, b] = w.nodes as [DHT, DHT, DHT]
  let runs = 0
  b.on('request', (req) => {
    runs++
    w.net.clock.setTimeout(() => { req.reply(Buffer.from('slow')) }, 3000)
  })
  const to = { host: w.peers[2]!.host, port: w.peers[2]!.port }
  let answered = 0
  for (let i = 0; i < 10; i++) {
    const reply = await w.net.clock.runUntil(a.request(null, 'slow', null, to).catch((err: unknown) => err), MINUTE)
    if (!(reply instanceof Error)) answered++
  }
  assert.ok(answered >= 9, `${answered} of 10 answered`)
  assert.equal(runs, 10, "one handler run per request")
  await Promise.all(w.nodes.map((d) => d.destroy()))
})
