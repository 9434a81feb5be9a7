import test from 'node:test'
import assert from 'node:assert/strict'
import { isIOError } from '@dht/io'
import { Query } from '@dht/query'
import { FakeNetwork } from './support/network.js'
import { drive, runOut, tick } from './support/drive.js'

function target (): Uint8Array {
  return new Uint8Array(32).fill(0x5a)
}

test('destroy() mid-flight cancels every request in flight, with one shared error, and nothing is sent afterwards', async () => {
  const net = new FakeNetwork({ size: 300, latency: 20 })
  const q = new Query(net.host(), target(), 'find_node', null, undefined, null)
  let replies = 0
  q.on('data', () => {
    if (++replies === 25) q.destroy()
  })
  const finished = q.finished()
  await drive(net, q, () => q.destroying)
  const sentBefore = net.sent.length
  assert.ok(sentBefore > 20, 'the query was past its first wave')
  assert.equal(net.inflight, 0, 'every request in flight was cancelled at once')
  assert.equal(q.inflight, 0)
  const errors = new Set(net.sent.filter((s) => s.state === 'cancelled').map((s) => s.cancelError))
  assert.equal(errors.size, 1, 'one REQUEST_CANCELLED IOError for all, not an Error (and stack) each')
  const [err] = errors
  assert.ok(isIOError(err, 'REQUEST_CANCELLED'))
  assert.equal(err.message, 'Request cancelled')
  await runOut(net)
  assert.equal(net.sent.length, sentBefore, 'nothing was sent after destroy()')
  await finished // a plain destroy() is not an error
  assert.equal(q.destroyed, true)
})

test('destroy(err) rejects finished() with that error and cancels stalled requests too', async () => {
  const net = new FakeNetwork({ size: 100, dead: 1 })
  const q = new Query(net.host(), target(), 'find_node', null, undefined, null)
  const finished = q.finished()
  await tick()
  assert.equal(net.inflight, 20)
  const boom = new Error('boom')
  q.destroy(boom)
  await assert.rejects(finished, boom)
  assert.equal(net.inflight, 0)
  assert.ok(net.sent.every((s) => s.state === 'cancelled'))
  await runOut(net)
  assert.equal(net.sent.length, 20)
})

test('breaking out of for await stops the query and cancels its requests', async () => {
  const net = new FakeNetwork({ size: 300 })
  const q = new Query(net.host(), target(), 'find_node', null, undefined, null)
  let seen = 0
  for await (const reply of q) {
    assert.equal(reply.status, 0)
    if (++seen === 5) break
  }
  assert.equal(q.destroyed, true)
  const sent = net.sent.length
  assert.ok(net.sent.every((s) => s.state !== 'inflight'), 'every request was answered or cancelled')
  assert.ok(net.sent.some((s) => s.state === 'cancelled'))
  await runOut(net)
  assert.equal(net.sent.length, sent, 'nothing was sent after the loop ended')
  await q.finished() // resolves at once on a closed stream
})

test('destroy() while the bootstrap nodes are being resolved sends nothing', async () => {
  const net = new FakeNetwork({ size: 30 })
  const host = net.host({ table: [], bootstrap: [net.nodes[0]!] })
  let release: () => void = () => {}
  host.bootstrapNodes = () => new Promise((resolve) => {
    release = () => resolve([net.nodes[0]!])
  })
  const q = new Query(host, target(), 'find_node', null, undefined, null)
  const finished = q.finished()
  await tick()
  q.destroy()
  release()
  await finished
  await runOut(net)
  assert.equal(net.sent.length, 0)
})

test('a query that nobody reads does not start', async () => {
  const net = new FakeNetwork({ size: 30 })
  const q = new Query(net.host(), target(), 'find_node', null, undefined, null)
  await runOut(net)
  assert.equal(net.sent.length, 0)
  q.destroy()
})
