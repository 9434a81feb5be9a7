// The lookup core alone: no timers, no streams, no network. Events are told to it with a time,
// and it says what to do next.

import test from 'node:test'
import assert from 'node:assert/strict'
import { INITIAL_RTO, MAX_SENDS } from '@dht/io'
import type { IncomingReply } from '@dht/io'
import { GRACE_ANSWERS, Lookup } from '@dht/query'
import type { Next, Visit } from '@dht/query'
import { byDistance, fakeId, hex } from './support/ids.js'

const target = new Uint8Array(32).fill(0x5a)
const own = fakeId('10.9.9.9', 1)

interface Node { id: Uint8Array, host: string, port: number }
const nodes: Node[] = Array.from({ length: 60 }, (_, i) => {
  const host = `10.1.${i >> 8}.${i & 0xff}`
  return { id: fakeId(host, 1000), host, port: 1000 }
})
const nearest = byDistance(target, nodes)

function lookup (k = 20): Lookup {
  return new Lookup(target, { k, ownId: own, nodeId: fakeId })
}

function reply (node: Node, closerNodes: readonly Node[] = [], status = 0): IncomingReply {
  return {
    type: 'reply', tid: 0, to: { host: '10.9.9.9', port: 1 }, from: { host: node.host, port: node.port },
    id: Buffer.from(node.id), token: null, closerNodes: closerNodes.map((n) => ({ host: n.host, port: n.port })), status, value: null
  }
}

// asks until the lookup says something else; returns the visits and that answer
function askAll (l: Lookup, width: number, now: number): { visits: Visit[], next: Next } {
  const visits: Visit[] = []
  for (;;) {
    const next = l.next(width, now)
    if (next.type !== 'ask') return { visits, next }
    visits.push(l.sent(next.node, now, false))
  }
}

test('asks the nearest candidates first, at most `width` at once, and waits for them', () => {
  const l = lookup()
  l.add(byDistance(target, nodes).reverse()) // order given does not matter
  const { visits, next } = askAll(l, 3, 0)
  assert.deepEqual(visits.map((v) => hex(v.node.id!)), nearest.slice(0, 3).map((n) => hex(n.id)))
  assert.equal(next.type, 'wait')
  assert.equal(l.inflight, 3)
})

test('closer nodes of an answer are queued once each, never our own id, and only while they could rank', () => {
  const l = lookup(2)
  const far = nearest.slice(10)
  l.add([far[0]!])
  const [first] = askAll(l, 1, 0).visits
  const ownAddress = { id: own, host: '10.9.9.9', port: 1 }
  assert.equal(l.answered(first!, reply(far[0]!, [ownAddress, nearest[0]!, nearest[1]!, nearest[0]!]), 5), true)
  const asked = askAll(l, 5, 5).visits.map((v) => v.node.host)
  assert.deepEqual(asked, [nearest[0]!.host, nearest[1]!.host], 'the two nearer nodes, once each; never our own address')
})

test('a farther candidate is not asked while k nearer ones are awaited; a stalled one makes room', () => {
  const l = lookup(2)
  l.add(nearest.slice(0, 3))
  const { visits } = askAll(l, 5, 0)
  assert.equal(visits.length, 2, 'the third would not rank among the 2 nearest awaited')
  l.resent(visits[0]!, 1, 200)
  assert.equal(l.stalled, 1)
  const again = askAll(l, 5, 200)
  assert.deepEqual(again.visits.map((v) => v.node.host), [nearest[2]!.host], 'the stalled one left the frontier')
})

test('holding k replies: a stalled node that could rank gets 1.5 slowest answer times after its re-send, or INITIAL_RTO from its send when unknown', () => {
  // the nearest node is silent, the next two answer in 100 ms
  for (const unknown of [false, true]) {
    const l = lookup(2)
    l.add(nearest.slice(0, 3))
    const ask = (): Visit => {
      const next = l.next(3, 0)
      assert.equal(next.type, 'ask')
      return l.sent((next as { node: Node }).node, 0, unknown)
    }
    const [silent, a] = [ask(), ask()]
    l.resent(silent, 1, 200)
    l.answered(a, reply(a.node as Node), 100)
    const b = l.sent((l.next(3, 200) as { node: Node }).node, 200, unknown)
    l.answered(b, reply(b.node as Node), 300)
    const next = l.next(3, 300)
    const grace = GRACE_ANSWERS * 100
    const expected = unknown ? Math.max(200 + grace, INITIAL_RTO) : 200 + grace
    assert.deepEqual(next, { type: 'wait-until', at: expected }, unknown ? 'unknown peer' : 'known peer')
    assert.equal(l.next(3, expected).type, 'done')
    assert.deepEqual(l.giveUp(true), [silent])
    assert.equal(l.errors, 1)
  }
})

test('holding fewer than k: a silent node gets all its sends, then a grace once any node has answered', () => {
  const l = lookup()
  l.add(nearest.slice(0, 2))
  const [silent, other] = askAll(l, 5, 0).visits
  l.resent(silent!, 1, 200)
  assert.equal(l.next(5, 200).type, 'wait', 'nobody has answered: wait for an event')
  l.answered(other!, reply(other!.node as Node), 100)
  assert.equal(l.next(5, 300).type, 'wait', 'sends left')
  for (let sends = 2; sends < MAX_SENDS; sends++) l.resent(silent!, sends, 300 + sends * 100)
  const last = 300 + (MAX_SENDS - 1) * 100
  assert.deepEqual(l.next(5, last), { type: 'wait-until', at: last + GRACE_ANSWERS * 100 })
  assert.equal(l.next(5, last + GRACE_ANSWERS * 100).type, 'done')
})

test('a lookup that has heard nothing waits for its requests to be answered or to fail', () => {
  const l = lookup()
  l.add(nearest.slice(0, 1))
  const [visit] = askAll(l, 5, 0).visits
  for (let sends = 1; sends < MAX_SENDS; sends++) l.resent(visit!, sends, sends * 200)
  assert.equal(l.next(5, 5000).type, 'wait')
  l.answered(visit!, reply(visit!.node as Node), 5000)
  assert.equal(l.next(5, 5000).type, 'done')
  assert.equal(l.replies.length, 1)
})

test('nothing to ask and nothing in flight: done at once; an answer after the end does not count', () => {
  const l = lookup()
  assert.equal(l.next(5, 0).type, 'done')
  l.add(nearest.slice(0, 1))
  const [visit] = askAll(l, 5, 0).visits
  l.giveUp(false)
  assert.equal(l.answered(visit!, reply(visit!.node as Node), 10), false)
  assert.equal(l.successes, 0)
  assert.equal(l.errors, 0, 'given up by a stop, not counted')
})
