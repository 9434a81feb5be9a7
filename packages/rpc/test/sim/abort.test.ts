// Aborting a lookup in a simulated network whose nodes answer after 2 s: the stream is
// destroyed with the signal's reason, nothing more of it is sent, and the lookups still
// running get back the share of the window it held.

import test from 'node:test'
import assert from 'node:assert/strict'
import { getEventListeners } from 'node:events'
import { DHT } from '@dht/rpc'
import { MINUTE, tapRequests, world } from './world.js'

const NETWORK = 40
const SLOW_MS = 2000
const MAX_WINDOW = 10 // two shared lookups get 5 each, one alone its full 20

test('an aborted lookup ends with the reason, sends nothing more, and the other lookup widens to the full width', async () => {
  const { net, nodes, bootstrap } = await world(NETWORK)
  for (const node of nodes) {
    node.on('request', (req) => {
      if (req.command === 'slow') net.clock.setTimeout(() => req.reply(null), SLOW_MS)
    })
  }
  const tap = tapRequests(net, net.addHost())
  const asker = new DHT({ createSocket: tap.createSocket, clock: net.clock, random: net.random, bootstrap, ephemeral: true, maxWindow: MAX_WINDOW })
  await net.clock.runUntil(asker.ready(), MINUTE)
  await net.clock.run(10_000)

  const aborted = nodes[5]!.id!
  const kept = nodes[25]!.id!
  const controller = new AbortController()
  const q1 = asker.query(aborted, 'slow', null, { signal: controller.signal })
  const q2 = asker.query(kept, 'slow', null)
  const outcome = q1.finished().then(() => 'resolved', (err: unknown) => err)
  const q2finished = q2.finished()
  assert.equal(q1.concurrency, 5, 'two lookups share the window')
  assert.equal(q2.concurrency, 5)
  await net.clock.run(500) // both have requests out; no answer comes before 2 s
  assert.ok(q1.inflight > 0 && q2.inflight > 0)

  const reason = new Error('the user closed the tab')
  const inflight = asker.io.inflightRequests - q1.inflight
  const sentToAborted = (): number => tap.sent.filter((s) => s.command === 'slow' && s.target !== null && Buffer.compare(s.target, aborted) === 0).length
  const sentBefore = sentToAborted()
  controller.abort(reason)
  assert.equal(asker.io.inflightRequests, inflight, 'its requests were cancelled at once')
  assert.equal(await outcome, reason)
  assert.equal(q2.concurrency, asker.concurrency, 'the lookup left alone gets the full width back')
  assert.equal(getEventListeners(controller.signal, 'abort').length, 0)

  await net.clock.runUntil(q2finished, MINUTE)
  assert.equal(sentToAborted(), sentBefore, 'nothing more was sent for the aborted lookup')
  assert.ok(q2.closestReplies.length >= 20, 'the other lookup ran to its end')
  assert.equal(Buffer.compare(q2.closestNodes[0]!.id, kept), 0)

  await asker.destroy()
  for (const n of nodes) await n.destroy()
})
