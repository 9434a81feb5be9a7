import test from 'node:test'
import assert from 'node:assert/strict'
import { Query } from '@dht/query'
import { SeededRandom } from '@dht/sim'
import { FULL_TIMEOUT, FakeNetwork, RESEND_WAITS } from './support/network.js'
import { hex } from './support/ids.js'
import { run } from './support/run.js'

const random = new SeededRandom(99)

function randomTarget (): Uint8Array {
  const target = new Uint8Array(32)
  random.fill(target)
  return target
}

// @dht/io once it has learned a 20 ms round trip: re-sends after 200 ms (its floor), x1.5 each,
// and a timeout 6 s after the first send
const LEARNED_WAITS = [200, 300, 450, 5050]
const LEARNED_FULL_TIMEOUT = LEARNED_WAITS.reduce((a, b) => a + b, 0)
const LAST_SEND = LEARNED_WAITS[0]! + LEARNED_WAITS[1]! + LEARNED_WAITS[2]!

test('with 30% of the nodes dead, lookups that hold k replies end once only stalled requests remain, in well under a second', async (t) => {
  const net = new FakeNetwork({ size: 300, dead: 0.3, seed: 21, latency: 20, resendWaits: LEARNED_WAITS })
  const host = net.host()
  const lookups = 20
  let total = 0
  let slowest = 0
  let requests = 0
  let found = 0
  let short = 0
  for (let i = 0; i < lookups; i++) {
    const target = randomTarget()
    const start = net.clock.now()
    const q = new Query(host, target, 'find_node', null, undefined, null)
    const { error, time, sends } = await run(net, q)
    assert.equal(error, null)
    const took = time - start
    requests += sends.length
    // dead nodes still fill the tables here, so a live node ranked past 20 overall may be
    // named by nobody: count how many of the true 20 closest live nodes were found
    const truth = new Set(net.trueClosest(target).map((n) => hex(n.id)))
    found += q.closestReplies.filter((r) => truth.has(hex(r.id!))).length
    assert.deepEqual(q.closestReplies[0]!.id, net.trueClosest(target, 1)[0]!.id, 'the nearest live node is always found')
    assert.ok(sends.every((s) => s.state !== 'inflight'), 'nothing left in flight')
    assert.equal(q.inflight, 0)
    assert.equal(q.stalled, 0)
    if (q.closestReplies.length < 20) {
      // every table names the same 20 nearest nodes, dead ones included, so some lookups
      // learn of fewer than 20 live ones: those give each dead node all its sends
      short++
      assert.ok(sends.filter((s) => s.state === 'cancelled').every((s) => s.resends === 3), 'with fewer than k replies, a request is given up only after its last send')
      assert.ok(took >= LAST_SEND && took < LEARNED_FULL_TIMEOUT, `the lookup waited for the last sends, not the timeouts (${took} ms)`)
      continue
    }
    total += took
    slowest = Math.max(slowest, took)
    assert.ok(sends.every((s) => s.state !== 'timeout'), 'no request ran to its full timeout')
    assert.ok(sends.filter((s) => s.state === 'cancelled').every((s) => s.resends > 0), 'only stalled requests were given up')
  }
  const recall = found / (20 * lookups)
  const full = lookups - short
  t.diagnostic(`30% dead: ${full} lookups held k replies: mean ${(total / full).toFixed(0)} ms, slowest ${slowest} ms of fake time; ${short} found fewer than k live nodes; ${(requests / lookups).toFixed(1)} requests per lookup, recall ${(recall * 100).toFixed(1)}%`)
  assert.ok(full >= lookups * 0.75, `${full} of ${lookups} lookups held k replies`)
  assert.ok(recall >= 0.95, `recall of the true 20 closest live nodes: ${recall}`)
  assert.ok(slowest < LEARNED_FULL_TIMEOUT, `every lookup ended before a dead node's final timeout (${LEARNED_FULL_TIMEOUT} ms); slowest ${slowest} ms`)
  assert.ok(slowest < 1000, `slowest lookup ${slowest} ms`)
})

test('a lookup whose first wave is all dead moves on after the first re-send wait', async () => {
  const net = new FakeNetwork({ size: 100, seed: 4 })
  const host = net.host()
  const target = randomTarget()
  const first = host.closest(target, 5)
  for (const n of first) net.node(n.host, n.port)!.alive = false
  // the other nodes have already dropped the dead ones from their answers
  net.responder = (node, m) => ({
    status: 0,
    closerNodes: node.table.closest(m.target!, 100).filter((e) => net.node(e.host, e.port)!.alive).slice(0, 20)
  })
  const q = new Query(host, target, 'find_node', null, { concurrency: 5 }, null)
  const { error, sends, time } = await run(net, q)
  assert.equal(error, null)
  assert.equal(sends.slice(0, 5).every((s) => s.at === 0), true)
  assert.ok(sends.slice(5).every((s) => s.at === RESEND_WAITS[0]), 'the next requests went out when the first wave stalled')
  assert.equal(time, RESEND_WAITS[0], 'the lookup ended without waiting for the stalled ones')
  assert.deepEqual(q.closestReplies.map((r) => hex(r.id!)), net.trueClosest(target).map((n) => hex(n.id)))
})

test('a late reply from a stalled node is used while the query is still running', async () => {
  const net = new FakeNetwork({ size: 100, seed: 8 })
  const slow = net.nodes[10]!
  const other = net.nodes[20]!
  // every node answers after 900 ms; the one at the target only after 1200 ms (after its re-send at 1000)
  net.responder = (node, m) => ({ status: 0, delay: node === slow ? 1200 : 900, token: m.command === 'find_node' ? null : node.token })
  const q = new Query(net.host(), slow.id, 'find_node', null, { nodes: [slow, other] }, null)
  const { error, data, sends } = await run(net, q)
  assert.equal(error, null)
  const toSlow = sends.find((s) => s.m.to.host === slow.host)!
  assert.equal(toSlow.resends, 1, 'it was re-sent (stalled) before it answered')
  assert.equal(toSlow.state, 'replied')
  assert.ok(data.some((r) => r.from.host === slow.host), 'its reply was streamed')
  assert.deepEqual(q.closestReplies[0]!.id, slow.id)
})

test('a reply after the traversal is done is ignored: the stalled request was cancelled', async () => {
  const net = new FakeNetwork({ size: 100, seed: 8 })
  const slow = net.nodes[10]!
  net.responder = (node) => ({ status: 0, delay: node === slow ? 5000 : 10 })
  const q = new Query(net.host(), slow.id, 'find_node', null, undefined, null)
  const { error, time, sends } = await run(net, q)
  assert.equal(error, null)
  assert.ok(time < 5000)
  assert.equal(sends.find((s) => s.m.to.host === slow.host)?.state, 'cancelled')
  assert.ok(q.closestReplies.every((r) => r.from.host !== slow.host))
  assert.ok(q.errors >= 1, 'the given-up request counts as an error')
})

test('a network where every node is dead ends, with no replies, when every request has timed out', async () => {
  const net = new FakeNetwork({ size: 50, dead: 1 })
  const q = new Query(net.host(), randomTarget(), 'find_node', null, undefined, null)
  const { error, time, data, sends } = await run(net, q)
  assert.equal(error, null)
  assert.equal(data.length, 0)
  assert.equal(time, FULL_TIMEOUT)
  assert.ok(sends.every((s) => s.state === 'timeout'))
  assert.equal(q.closestReplies.length, 0)
})
