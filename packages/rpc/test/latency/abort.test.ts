// Cancelling with an AbortSignal on real UDP, against handlers that never answer or answer
// after 2 s: request(), requestAll() and query() reject with the signal's reason as soon as
// it aborts, as fetch does; a signal that has already aborted sends nothing; what was in
// flight gives its room in the politeness window back; no listener stays on the signal.

import { describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { getEventListeners } from 'node:events'
import DHT from '@dht/rpc'
import type { Peer } from '@dht/rpc'
import { createTestnet } from '@dht/rpc/testnet'
import { LOOPBACK, sha256, silentPeer, until } from '../helpers.js'

const SLOW_MS = 2000
// an abort settles what it cancels at once; this leaves room for a busy machine's event loop
const PROMPT_MS = 500

const listeners = (signal: AbortSignal): number => getEventListeners(signal, 'abort').length

// What a JavaScript caller can pass despite the types.
function loose<T> (value: unknown): T {
  return value as T
}

/** A node on loopback that never answers 'never', and answers 'slow' after 2 s. */
async function server (): Promise<{ node: DHT, peer: Peer, received: () => number }> {
  const node = new DHT({ bootstrap: false, host: LOOPBACK, ephemeral: true })
  let received = 0
  node.on('request', (req) => {
    received++
    if (req.command === 'slow') setTimeout(() => req.reply(Buffer.from('late')), SLOW_MS)
    else if (req.command === 'live') req.reply(Buffer.from('here'))
  })
  const port = await node.bind()
  return { node, peer: { host: LOOPBACK, port }, received: () => received }
}

async function client (): Promise<DHT> {
  const node = new DHT({ bootstrap: false, host: LOOPBACK, ephemeral: true })
  await node.bind()
  return node
}

async function elapsedUntilSettled (p: Promise<unknown>): Promise<{ ms: number, err: unknown }> {
  const start = Date.now()
  try {
    await p
  } catch (err) {
    return { ms: Date.now() - start, err }
  }
  return assert.fail('expected a rejection')
}

describe('AbortSignal, real UDP', { concurrency: true }, () => {
  test('request(): an abort rejects with the reason at once, against a handler that never answers and one that takes 2 s', async (t) => {
    const remote = await server()
    const node = await client()
    t.after(() => Promise.all([node.destroy(), remote.node.destroy()]))
    const inflight = node.io.inflightRequests
    for (const command of ['never', 'slow']) {
      const controller = new AbortController()
      const reason = new Error(`stop ${command}`)
      const start = Date.now()
      const result = node.request(null, command, null, remote.peer, { signal: controller.signal })
      await until(() => remote.received() > 0)
      assert.equal(listeners(controller.signal), 1)
      controller.abort(reason)
      const { ms, err } = await elapsedUntilSettled(result)
      assert.equal(err, reason)
      assert.ok(ms < PROMPT_MS, `${command}: rejected ${ms} ms after the abort`)
      assert.ok(Date.now() - start < SLOW_MS, 'not after the slow handler answered')
      assert.equal(node.io.inflightRequests, inflight)
      assert.equal(listeners(controller.signal), 0)
    }
  })

  test('abort() without a reason rejects with a DOMException AbortError, as fetch does', async (t) => {
    const remote = await server()
    const node = await client()
    t.after(() => Promise.all([node.destroy(), remote.node.destroy()]))
    const controller = new AbortController()
    const result = node.request(null, 'never', null, remote.peer, { signal: controller.signal })
    controller.abort()
    await assert.rejects(result, (err) => err instanceof DOMException && err.name === 'AbortError')
  })

  test('a signal that has already aborted: request(), ping(), requestAll() and query() reject at once and send nothing', async (t) => {
    const silent = await silentPeer()
    const node = await client()
    t.after(() => Promise.all([node.destroy(), silent.close()]))
    const signal = AbortSignal.abort(new Error('too late'))
    const isReason = (err: unknown): boolean => err === signal.reason
    await assert.rejects(node.request(null, 'never', null, silent.peer, { signal }), isReason)
    await assert.rejects(node.ping(silent.peer, { signal }), isReason)
    await assert.rejects(node.requestAll(null, 'never', null, [silent.peer, silent.peer], { signal }), isReason)
    const query = node.query(sha256(Buffer.from('too late')), 'find_node', null, { nodes: [silent.peer], signal })
    await assert.rejects(query.finished(), isReason)
    await new Promise((resolve) => setTimeout(resolve, 50))
    assert.equal(silent.received.length, 0)
    assert.equal(node.io.stats.requestsSent, 0)
    assert.equal(node.io.inflightRequests, 0)
    assert.equal(listeners(signal), 0)
  })

  test('100 requests to a silent node aborted at once: no phantom congestion, a request to a live node goes out at once', async (t) => {
    const silent = await silentPeer()
    const remote = await server()
    const node = await client()
    t.after(() => Promise.all([node.destroy(), remote.node.destroy(), silent.close()]))
    const controller = new AbortController()
    const inflight = node.io.inflightRequests
    const results = Array.from({ length: 100 }, () => node.request(null, 'never', null, silent.peer, { signal: controller.signal }))
    await until(() => silent.received.length === node.io.maxWindow) // the window's first slot is full: the rest wait
    assert.equal(listeners(controller.signal), 1, 'one listener for the 100')
    controller.abort()
    for (const result of results) await assert.rejects(result, (err) => err === controller.signal.reason)
    assert.equal(node.io.inflightRequests, inflight)
    assert.equal(listeners(controller.signal), 0)
    const sent = node.io.stats.requestsSent
    const start = Date.now()
    const reply = node.request(null, 'live', null, remote.peer)
    assert.equal(node.io.stats.requestsSent, sent + 1, 'sent at once, not held for room in the window')
    assert.deepEqual((await reply).value, Buffer.from('here'))
    assert.ok(Date.now() - start < PROMPT_MS)
    await new Promise((resolve) => setTimeout(resolve, 50))
    assert.equal(silent.received.length, node.io.maxWindow, 'the requests that waited for room were never sent')
  })

  test('requestAll(): an abort cancels every request and rejects with the reason at once', async (t) => {
    const remotes = await Promise.all([server(), server(), server()])
    const node = await client()
    t.after(() => Promise.all([node.destroy(), ...remotes.map((r) => r.node.destroy())]))
    const controller = new AbortController()
    const inflight = node.io.inflightRequests
    const all = node.requestAll(null, 'slow', null, remotes.map((r) => r.peer), { signal: controller.signal })
    await until(() => remotes.every((r) => r.received() === 1))
    assert.equal(node.io.inflightRequests, inflight + 3)
    const reason = new Error('enough')
    controller.abort(reason)
    assert.equal(node.io.inflightRequests, inflight, 'every request cancelled inside abort()')
    const { ms, err } = await elapsedUntilSettled(all)
    assert.equal(err, reason)
    assert.ok(ms < PROMPT_MS)
    assert.equal(listeners(controller.signal), 0)
  })

  test('requestAll(): once min have answered and the rest are aborted, it rejects with the reason all the same', async (t) => {
    const remote = await server()
    const quick = await server()
    const node = await client()
    t.after(() => Promise.all([node.destroy(), remote.node.destroy(), quick.node.destroy()]))
    remote.node.removeAllListeners('request')
    remote.node.on('request', (req) => setTimeout(() => req.reply(null), SLOW_MS))
    const controller = new AbortController()
    const all = node.requestAll(null, 'live', null, [quick.peer, remote.peer], { signal: controller.signal })
    await until(() => quick.received() === 1)
    await new Promise((resolve) => setTimeout(resolve, 50)) // the quick reply is in
    controller.abort('stop')
    await assert.rejects(all, (err) => err === 'stop')
    assert.equal(listeners(controller.signal), 0)
  })

  test('requestAll(): the listeners go when it resolves', async (t) => {
    const quick = await server()
    const node = await client()
    t.after(() => Promise.all([node.destroy(), quick.node.destroy()]))
    const signal = new AbortController().signal
    const replies = await node.requestAll(null, 'live', null, [quick.peer, quick.peer], { signal })
    assert.equal(replies.length, 2)
    assert.equal(listeners(signal), 0)
  })

  test('query(): an abort destroys the stream with the reason, cancels its requests and frees their room', async (t) => {
    const testnet = await createTestnet(6)
    t.after(() => testnet.destroy())
    for (const node of testnet.nodes) {
      node.on('request', (req) => {
        if (req.command === 'slow') setTimeout(() => req.reply(null), SLOW_MS)
      })
    }
    const asker = testnet.nodes[1]!
    const controller = new AbortController()
    const query = asker.query(sha256(Buffer.from('abort')), 'slow', null, { signal: controller.signal })
    const finished = query.finished().then(() => assert.fail('expected a rejection'), (err: unknown) => err)
    await until(() => query.inflight > 0)
    const reason = new Error('stop the lookup')
    // read just before the abort: the node's own upkeep may have requests of its own in flight
    const inflight = asker.io.inflightRequests - query.inflight
    const start = Date.now()
    controller.abort(reason)
    assert.equal(query.destroying, true)
    assert.equal(asker.io.inflightRequests, inflight, 'its requests were cancelled inside abort()')
    assert.equal(await finished, reason)
    assert.ok(Date.now() - start < PROMPT_MS)
    assert.equal(listeners(controller.signal), 0)
  })

  test('query(): a long-lived signal keeps no listener of the lookups that ended', async (t) => {
    const testnet = await createTestnet(4)
    t.after(() => testnet.destroy())
    const signal = new AbortController().signal
    const asker = testnet.nodes[1]!
    for (let i = 0; i < 5; i++) {
      const query = asker.query(sha256(Buffer.from('lookup ' + i)), 'find_node', null, { signal })
      assert.equal(listeners(signal), 1)
      await query.finished()
      assert.equal(listeners(signal), 0)
    }
  })

  test('a signal that is not an AbortSignal is a TypeError with code INVALID_ARGUMENT that names it', async (t) => {
    const node = await client()
    t.after(() => node.destroy())
    const to = { host: LOOPBACK, port: 1 }
    const bad = (message: RegExp) => (err: unknown): boolean => err instanceof TypeError && (err as { code?: string }).code === 'INVALID_ARGUMENT' && message.test(err.message)
    await assert.rejects(node.request(null, 'x', null, to, { signal: loose('abort') }), bad(/^options\.signal must be an AbortSignal, got /))
    await assert.rejects(node.ping(to, { signal: loose({}) }), bad(/^options\.signal must be an AbortSignal, got an object/))
    await assert.rejects(node.requestAll(null, 'x', null, [to], { signal: loose(null) }), bad(/^options\.signal must be an AbortSignal, got null/))
    assert.throws(() => node.query(sha256(Buffer.from('x')), 'find_node', null, { signal: loose(new EventTarget()) }), bad(/^options\.signal must be an AbortSignal, got /))
    assert.equal(node.io.stats.requestsSent, 0)
  })
})
