// A query given an AbortSignal: an abort destroys it with the signal's reason, cancelling its
// requests and commits in flight; a signal that has already aborted destroys it before it
// sends anything; and the query's one 'abort' listener goes when the query ends, however it ends.

import test from 'node:test'
import assert from 'node:assert/strict'
import { getEventListeners } from 'node:events'
import { Query, isQueryError } from '@dht/query'
import { FakeNetwork } from './support/network.js'
import { drive, runOut, tick } from './support/drive.js'

const listeners = (signal: AbortSignal): number => getEventListeners(signal, 'abort').length

function target (): Uint8Array {
  return new Uint8Array(32).fill(0x5a)
}

test('an abort mid-flight destroys the query with the reason and cancels every request in flight', async () => {
  const net = new FakeNetwork({ size: 300, latency: 20 })
  const controller = new AbortController()
  const q = new Query(net.host(), target(), 'find_node', null, { signal: controller.signal }, null)
  assert.equal(listeners(controller.signal), 1)
  let replies = 0
  q.on('data', () => {
    if (++replies === 25) controller.abort(new Error('enough'))
  })
  const outcome = q.finished().then(() => 'resolved', (err: unknown) => err)
  await drive(net, q, () => q.destroying)
  const sentBefore = net.sent.length
  assert.ok(sentBefore > 20, 'the query was past its first wave')
  assert.equal(net.inflight, 0, 'every request in flight was cancelled at once')
  assert.equal(q.inflight, 0)
  assert.equal(listeners(controller.signal), 0)
  assert.equal(await outcome, controller.signal.reason)
  await runOut(net)
  assert.equal(net.sent.length, sentBefore, 'nothing was sent after the abort')
  assert.equal(q.destroyed, true)
})

test('an abort while stalled requests wait rejects for await with the reason', async () => {
  const net = new FakeNetwork({ size: 100, dead: 1 })
  const controller = new AbortController()
  const q = new Query(net.host(), target(), 'find_node', null, { signal: controller.signal }, null)
  const reading = (async () => {
    for await (const reply of q) assert.fail(`no reply expected, got one from ${reply.from.host}`)
  })()
  await tick()
  assert.equal(net.inflight, 20)
  controller.abort()
  await assert.rejects(reading, (err) => err instanceof DOMException && err.name === 'AbortError')
  assert.equal(net.inflight, 0)
  assert.ok(net.sent.every((s) => s.state === 'cancelled'))
})

test('a signal that has already aborted destroys the query before it sends anything', async () => {
  const net = new FakeNetwork({ size: 30 })
  const host = net.host()
  const signal = AbortSignal.abort('too late')
  const q = new Query(host, target(), 'find_node', null, { signal }, null)
  assert.equal(q.destroying, true)
  await assert.rejects(q.finished(), (err) => err === 'too late')
  await runOut(net)
  assert.equal(net.sent.length, 0)
  assert.equal(host.closestCalls, 0, 'the seeds were not even loaded')
  assert.equal(listeners(signal), 0)
})

test('a falsy reason still rejects finished() with it', async () => {
  const net = new FakeNetwork({ size: 30 })
  const controller = new AbortController()
  const q = new Query(net.host(), target(), 'find_node', null, { signal: controller.signal }, null)
  const finished = q.finished()
  await tick()
  controller.abort(0)
  await assert.rejects(finished, (err) => err === 0)
})

test('an abort during the commits cancels them too', async () => {
  const net = new FakeNetwork({ size: 100 })
  const controller = new AbortController()
  // commits answer after 500 ms on the manual clock: the abort comes while they wait
  net.responder = (node, m) => m.token !== null ? { status: 0, delay: 500 } : { status: 0, token: node.token }
  const q = new Query(net.host(), target(), 'store', null, { signal: controller.signal, commit: true }, null)
  const finished = q.finished()
  await drive(net, q, () => net.sent.some((s) => s.m.token !== null))
  controller.abort('stop')
  await assert.rejects(finished, (err) => err === 'stop')
  assert.equal(net.inflight, 0)
  assert.ok(net.sent.filter((s) => s.m.token !== null).every((s) => s.state === 'cancelled'))
})

test('the listener goes when the query ends on its own, and a later abort does nothing', async () => {
  const net = new FakeNetwork({ size: 100 })
  const controller = new AbortController()
  const q = new Query(net.host(), target(), 'find_node', null, { signal: controller.signal }, null)
  const finished = q.finished()
  await drive(net, q)
  await finished
  assert.equal(listeners(controller.signal), 0)
  controller.abort()
  await q.finished() // still resolves: the query ended before the abort
})

test('the listener goes when the query is destroyed', async () => {
  const net = new FakeNetwork({ size: 100 })
  const controller = new AbortController()
  const q = new Query(net.host(), target(), 'find_node', null, { signal: controller.signal }, null)
  const finished = q.finished()
  await tick()
  q.destroy()
  await finished
  assert.equal(listeners(controller.signal), 0)
})

test('a signal that is not an AbortSignal is an INVALID_ARGUMENT QueryError that names it', () => {
  const net = new FakeNetwork({ size: 10 })
  for (const signal of [null, 'abort', {}, { aborted: 'no', addEventListener () {}, removeEventListener () {} }]) {
    assert.throws(() => new Query(net.host(), target(), 'find_node', null, { signal: signal as unknown as AbortSignal }, null),
      (err) => isQueryError(err, 'INVALID_ARGUMENT') && err.message.startsWith('opts.signal must be an AbortSignal, got '))
  }
})
