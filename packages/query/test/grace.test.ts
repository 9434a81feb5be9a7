// Once a lookup holds k replies, a stalled request to a node that would rank among them holds
// the end of the lookup for one and a half of the lookup's slowest answer times after its
// re-send, and no longer. With fewer than k replies, every request is waited for.

import test from 'node:test'
import assert from 'node:assert/strict'
import { Query } from '@dht/query'
import { INITIAL_RTO } from '@dht/io'
import { FakeNetwork } from './support/network.js'
import type { FakeNode } from './support/network.js'
import { hex } from './support/ids.js'
import { run } from './support/run.js'

// @dht/io with a 200 ms retransmission timeout, x1.5 each, and a timeout 6 s after the first send
const WAITS = [200, 300, 450, 5050]
const LAST_SEND = WAITS[0]! + WAITS[1]! + WAITS[2]!
const ROUND_TRIP = 100

// a lookup of one hop: the 21 nodes nearest the target are its seeds and answer in ROUND_TRIP
// ms with one another, except `odd`, the nearest of them, which answers as `oddReply` says:
// without it the lookup still holds k replies
function oneHop (oddReply: { delay: number } | null): { net: FakeNetwork, q: Query<null>, odd: FakeNode, seeds: FakeNode[] } {
  const net = new FakeNetwork({ size: 200, seed: 5, latency: ROUND_TRIP, resendWaits: WAITS })
  const target = net.nodes[0]!.id
  const seeds = net.trueClosest(target, 21)
  const odd = seeds[0]!
  net.responder = (node) => {
    if (node === odd) return oddReply === null ? null : { status: 0, delay: oddReply.delay, closerNodes: seeds }
    return { status: 0, closerNodes: seeds }
  }
  const q = new Query(net.host(), target, 'find_node', null, { nodes: seeds, concurrency: 21 }, null)
  return { net, q, odd, seeds }
}

// oneHop, but a silent node outside the 21 nearest is asked at once with the 19 nearest: the
// 20th and 21st, learned from their answers, outrank it
function withSilentFarNode (oddReply: { delay: number }): { net: FakeNetwork, q: Query<null>, odd: FakeNode, far: FakeNode } {
  const { net, odd, seeds } = oneHop(oddReply)
  const far = net.nodes.find((n) => !seeds.includes(n))!
  const answer = net.responder
  net.responder = (node, m, n) => node === far ? null : answer(node, m, n)
  const q = new Query(net.host(), net.nodes[0]!.id, 'find_node', null, { nodes: [...seeds.slice(0, 19), far] }, null)
  return { net, q, odd, far }
}

test('a node among the k closest whose answer comes after its re-send is waited for', async () => {
  // its first reply lost, say: the answer to the re-send at 200 ms comes one round trip later
  const { net, q, odd, seeds } = oneHop({ delay: WAITS[0]! + ROUND_TRIP })
  const { error, time, sends } = await run(net, q)
  assert.equal(error, null)
  assert.equal(time, WAITS[0]! + ROUND_TRIP, 'the lookup ended with the late answer')
  assert.equal(sends.find((s) => s.m.to.host === odd.host)!.state, 'replied')
  assert.deepEqual(q.closestReplies.map((r) => hex(r.id!)), seeds.slice(0, 20).map((n) => hex(n.id)))
})

test('a silent node among the k closest holds the lookup 1.5 round trips after its re-send, then is given up', async () => {
  const { net, q, odd, seeds } = oneHop(null)
  const { error, time, sends } = await run(net, q)
  assert.equal(error, null)
  assert.equal(time, WAITS[0]! + 1.5 * ROUND_TRIP)
  const toOdd = sends.find((s) => s.m.to.host === odd.host)!
  assert.equal(toOdd.state, 'cancelled')
  assert.equal(toOdd.resends, 1, 'given up before its second re-send')
  assert.equal(q.closestReplies.length, seeds.length - 1)
  assert.equal(q.errors, 1)
})

test('a silent node that would not rank among the k closest does not hold the lookup', async () => {
  const { net, q, odd, far } = withSilentFarNode({ delay: ROUND_TRIP })
  const { error, time, sends } = await run(net, q)
  assert.equal(error, null)
  assert.equal(time, WAITS[0], 'ended when the far node stalled')
  assert.equal(sends.find((s) => s.m.to.host === far.host)!.state, 'cancelled')
  assert.ok(q.closestReplies.some((r) => r.from.host === odd.host))
})

test('the answer a grace waited on ends the lookup at once', async () => {
  const { net, q, odd, far } = withSilentFarNode({ delay: WAITS[0]! + ROUND_TRIP })
  const { error, time, sends } = await run(net, q)
  assert.equal(error, null)
  assert.equal(time, WAITS[0]! + ROUND_TRIP, 'ended with the answer, though the far node is still stalled')
  assert.equal(sends.find((s) => s.m.to.host === odd.host)!.state, 'replied')
  assert.equal(sends.find((s) => s.m.to.host === far.host)!.state, 'cancelled')
})

test('with fewer than k replies, a silent node gets all its sends, then 1.5 of the slowest answer times', async () => {
  const net = new FakeNetwork({ size: 50, seed: 6, latency: ROUND_TRIP, resendWaits: WAITS })
  const target = net.nodes[0]!.id
  const seeds = net.trueClosest(target, 5)
  const silent = seeds[0]!
  net.responder = (node) => node === silent ? null : { status: 0, closerNodes: seeds }
  const q = new Query(net.host({ table: [] }), target, 'find_node', null, { nodes: seeds }, null)
  const { error, time, sends } = await run(net, q)
  assert.equal(error, null)
  assert.equal(time, LAST_SEND + 1.5 * ROUND_TRIP)
  const toSilent = sends.find((s) => s.m.to.host === silent.host)!
  assert.equal(toSilent.state, 'cancelled')
  assert.equal(toSilent.resends, 3, 'every send was made')
  assert.equal(q.closestReplies.length, 4)
})

test('with fewer than k replies, a slow answer after the last re-send still counts', async () => {
  const net = new FakeNetwork({ size: 50, seed: 6, latency: ROUND_TRIP, resendWaits: WAITS })
  const target = net.nodes[0]!.id
  const seeds = net.trueClosest(target, 5)
  // a handler that takes 3 s: every request is re-sent three times before the answer
  net.responder = () => ({ status: 0, delay: 3000, closerNodes: seeds })
  const q = new Query(net.host({ table: [] }), target, 'find_node', null, { nodes: seeds }, null)
  const { error, time } = await run(net, q)
  assert.equal(error, null)
  assert.equal(time, 3000)
  assert.equal(q.closestReplies.length, 5)
})

test('destroying a lookup while it waits on a grace clears the wait', async () => {
  const { net, q } = oneHop(null)
  q.resume()
  for (;;) {
    await new Promise((resolve) => setImmediate(resolve))
    const next = net.clock.nextAt()
    if (next === null || next > WAITS[0]!) break
    net.clock.runNext()
  }
  await new Promise((resolve) => setImmediate(resolve))
  assert.equal(q.stalled, 1, 'waiting on the stalled node')
  const pending = net.clock.pending
  q.destroy()
  await new Promise((resolve) => setImmediate(resolve))
  assert.ok(net.clock.pending < pending, 'the grace timer and the request were cleared')
})

test('holding k replies, a silent node the host has no round trip for is given INITIAL_RTO from its send: it may be far', async () => {
  const { net, odd } = oneHop(null)
  // a host that knows no round trip: every node may be far
  const unknownHost = Object.assign(net.host(), { roundTrip: () => null })
  const seeds = net.trueClosest(net.nodes[0]!.id, 21)
  const lookup = new Query(unknownHost, net.nodes[0]!.id, 'find_node', null, { nodes: seeds, concurrency: 21 }, null)
  const { error, time, sends } = await run(net, lookup)
  assert.equal(error, null)
  assert.equal(time, INITIAL_RTO, 'waited INITIAL_RTO from the send, past its grace')
  assert.equal(sends.find((s) => s.m.to.host === odd.host)!.state, 'cancelled')
})
