// Requests given an AbortSignal, on real UDP: an abort cancels the request as cancel() does
// (its room in the window comes back) and io.request() rejects with the signal's reason, as
// fetch does; a signal that has already aborted sends nothing; and the IO keeps one 'abort'
// listener per signal, gone with the last request that waits on it.

import test from 'node:test'
import assert from 'node:assert/strict'
import { getEventListeners } from 'node:events'
import { IO, isIOError } from '@dht/io'
import type { IOError } from '@dht/io'
import { ManualClock } from '@dht/sim'
import { LOOPBACK, boundIO, echo, ping, silentPeer, until } from './helpers.js'

const listeners = (signal: AbortSignal): number => getEventListeners(signal, 'abort').length

test('an abort rejects io.request() with the signal\'s reason at once, and the request is no longer in flight', async () => {
  const clock = new ManualClock() // never advanced: no re-send or timeout can end the request
  const silent = await silentPeer()
  const client = await boundIO({ clock })
  const controller = new AbortController()
  const result = client.io.request(ping(silent.peer), { signal: controller.signal })
  await until(() => silent.received.length === 1)
  assert.equal(client.io.inflightRequests, 1)
  assert.equal(listeners(controller.signal), 1)
  const reason = new Error('the user went away')
  controller.abort(reason)
  assert.equal(client.io.inflightRequests, 0, 'settled inside abort()')
  assert.equal(listeners(controller.signal), 0)
  await assert.rejects(result, (err) => err === reason)
  clock.advance(60_000)
  assert.equal(clock.pending, 0, 'no timer of it is left')
  await new Promise((resolve) => setTimeout(resolve, 20))
  assert.equal(silent.received.length, 1, 'never re-sent')
  await Promise.all([client.io.destroy(), silent.close()])
})

test('abort() without a reason rejects with the signal\'s own, a DOMException AbortError', async () => {
  const silent = await silentPeer()
  const client = await boundIO()
  const controller = new AbortController()
  const result = client.io.request(ping(silent.peer), { signal: controller.signal })
  controller.abort()
  await assert.rejects(result, (err) => err instanceof DOMException && err.name === 'AbortError' && err === controller.signal.reason)
  await Promise.all([client.io.destroy(), silent.close()])
})

test('a signal that has already aborted fails the request at once: nothing is sent, nothing is bound, no listener is added', async () => {
  const silent = await silentPeer()
  const client = new IO({ host: LOOPBACK })
  const signal = AbortSignal.abort('too late')
  const errors: IOError[] = []
  const req = client.send(ping(silent.peer), { signal }, { onreply: () => assert.fail('no reply expected'), onerror: (err) => errors.push(err) })
  assert.equal(errors.length, 1, 'onerror was called inside send()')
  assert.ok(isIOError(errors[0], 'REQUEST_CANCELLED'))
  assert.equal(errors[0].cause, 'too late')
  assert.equal(req.settled, true)
  assert.equal(req.sends, 0)
  await assert.rejects(client.request(ping(silent.peer), { signal }), (err) => err === 'too late')
  assert.equal(client.inflightRequests, 0)
  assert.equal(listeners(signal), 0)
  await new Promise((resolve) => setTimeout(resolve, 30))
  assert.equal(silent.received.length, 0)
  assert.equal(client.address(), null, 'the socket was not even bound for it')
  assert.equal(client.stats.requestsSent, 0)
  await Promise.all([client.destroy(), silent.close()])
})

test('io.send(): an abort calls onerror with REQUEST_CANCELLED, its cause the signal\'s reason; a late reply is ignored', async () => {
  const server = await boundIO({ onrequest: (req, io) => setTimeout(() => echo(req, io), 50) })
  const client = await boundIO()
  const controller = new AbortController()
  const outcomes: unknown[] = []
  client.io.send(ping(server.peer), { signal: controller.signal }, { onreply: () => outcomes.push('reply'), onerror: (err) => outcomes.push(err) })
  await until(() => server.io.stats.requestsReceived === 1)
  controller.abort('stop')
  const [err] = outcomes
  assert.ok(isIOError(err, 'REQUEST_CANCELLED'))
  assert.equal(err.cause, 'stop')
  assert.equal(err.message, 'Request cancelled: its signal aborted')
  await until(() => server.io.stats.repliesSent === 1)
  await new Promise((resolve) => setTimeout(resolve, 20))
  assert.equal(outcomes.length, 1, 'the late reply called nothing')
  await Promise.all([server.io.destroy(), client.io.destroy()])
})

test('an aborted request gives its room in the window back; an aborted waiting one takes none', async () => {
  const clock = new ManualClock() // never advanced: no slot boundary ever passes
  const silent = await silentPeer()
  const client = await boundIO({ clock, maxWindow: 2 })
  const handlers = { onreply: () => assert.fail('no reply expected'), onerror: () => {} }
  const first = new AbortController()
  const waiting = new AbortController()
  client.io.send(ping(silent.peer), { signal: first.signal }, handlers)
  client.io.send(ping(silent.peer), undefined, handlers)
  client.io.send(ping(silent.peer), { signal: waiting.signal }, handlers)
  await until(() => silent.received.length === 2)
  waiting.abort() // it never went out: the window stays full
  client.io.send(ping(silent.peer), undefined, handlers)
  await new Promise((resolve) => setTimeout(resolve, 30))
  assert.equal(silent.received.length, 2, 'the fourth waits for room')
  first.abort()
  await until(() => silent.received.length === 3)
  assert.equal(client.io.inflightRequests, 2)
  await Promise.all([client.io.destroy(), silent.close()])
})

test('100 requests aborted at once leave no phantom congestion: the next request goes out and is answered at once', async () => {
  const clock = new ManualClock() // never advanced: only released room can let a request out
  const silent = await silentPeer()
  const server = await boundIO({ onrequest: echo })
  const client = await boundIO({ clock })
  const controller = new AbortController()
  const inflight = client.io.inflightRequests
  const results = Array.from({ length: 100 }, () => client.io.request(ping(silent.peer), { signal: controller.signal }))
  await until(() => silent.received.length === 80) // the window lets 80 out, 20 wait
  assert.equal(listeners(controller.signal), 1, 'one listener for the 100')
  controller.abort()
  for (const result of results) await assert.rejects(result, (err) => err === controller.signal.reason)
  assert.equal(client.io.inflightRequests, inflight)
  assert.equal(listeners(controller.signal), 0)
  const reply = await client.io.request(ping(server.peer, Buffer.from('live')))
  assert.deepEqual(reply.value, Buffer.from('live'))
  assert.equal(silent.received.length, 80, 'the 20 that waited were never sent')
  await Promise.all([client.io.destroy(), server.io.destroy(), silent.close()])
})

test('one long-lived signal for many requests: one listener while any waits, none once they are answered', async () => {
  const server = await boundIO({ onrequest: echo })
  const client = await boundIO()
  const signal = new AbortController().signal
  let warnings = 0
  const onwarning = (w: Error): void => { if (w.name === 'MaxListenersExceededWarning') warnings++ }
  process.on('warning', onwarning)
  for (let round = 0; round < 20; round++) {
    const replies = Array.from({ length: 50 }, () => client.io.request(ping(server.peer), { signal }))
    assert.equal(listeners(signal), 1)
    await Promise.all(replies)
    assert.equal(listeners(signal), 0)
  }
  await new Promise((resolve) => setImmediate(resolve))
  process.off('warning', onwarning)
  assert.equal(warnings, 0)
  assert.equal(client.io.inflightRequests, 0)
  await Promise.all([server.io.destroy(), client.io.destroy()])
})

test('destroy() removes the listeners of the requests it fails', async () => {
  const silent = await silentPeer()
  const client = await boundIO()
  const controller = new AbortController()
  const result = client.io.request(ping(silent.peer), { signal: controller.signal })
  assert.equal(listeners(controller.signal), 1)
  await client.io.destroy()
  await assert.rejects(result, (err) => isIOError(err, 'DESTROYED'))
  assert.equal(listeners(controller.signal), 0)
  controller.abort() // after the request failed: nothing happens
  await silent.close()
})

test('an object with the shape of an AbortSignal is taken as one', async () => {
  const silent = await silentPeer()
  const client = await boundIO()
  const target = new EventTarget()
  const signal = Object.assign(target, { aborted: false, reason: undefined as unknown })
  const result = client.io.request(ping(silent.peer), { signal: signal as unknown as AbortSignal })
  signal.aborted = true
  signal.reason = 'custom'
  target.dispatchEvent(new Event('abort'))
  await assert.rejects(result, (err) => err === 'custom')
  assert.equal(client.io.inflightRequests, 0)
  await Promise.all([client.io.destroy(), silent.close()])
})

test('a signal that is not an AbortSignal is an INVALID_ARGUMENT IOError that names it', async () => {
  const client = await boundIO()
  for (const signal of [null, 'abort', {}, { aborted: false }, new EventTarget()]) {
    assert.throws(() => client.io.send(ping(client.peer), { signal: signal as unknown as AbortSignal }, { onreply: () => {}, onerror: () => {} }), (err) => isIOError(err, 'INVALID_ARGUMENT') && err.message.startsWith('signal must be an AbortSignal, got '))
  }
  await assert.rejects(client.io.request(ping(client.peer), { signal: 5 as unknown as AbortSignal }), (err) => isIOError(err, 'INVALID_ARGUMENT') && err.message === 'signal must be an AbortSignal, got 5')
  assert.equal(client.io.inflightRequests, 0)
  await client.io.destroy()
})

test('cancelling a run of requests hands no room to the waiting ones among them', async () => {
  const clock = new ManualClock() // never advanced: only released room can let a request out
  const silent = await silentPeer()
  const client = await boundIO({ clock, maxWindow: 2 })
  const handlers = { onreply: () => assert.fail('no reply expected'), onerror: () => {} }
  const run = Array.from({ length: 4 }, () => client.io.send(ping(silent.peer), undefined, handlers))
  await until(() => silent.received.length === 2)
  for (const req of run) req.cancel() // the first two give room back before the last two are cancelled
  await new Promise((resolve) => setTimeout(resolve, 30))
  assert.equal(silent.received.length, 2)
  client.io.send(ping(silent.peer), undefined, handlers)
  await until(() => silent.received.length === 3)
  await Promise.all([client.io.destroy(), silent.close()])
})
