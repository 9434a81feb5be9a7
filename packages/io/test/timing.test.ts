// When requests are re-sent and when they fail: per peer, from what that peer's replies
// taught, and never before the timeout, however slow the answer.

import test from 'node:test'
import assert from 'node:assert/strict'
import dgram from 'node:dgram'
import { once } from 'node:events'
import { DEFAULT_TIMEOUT, INITIAL_RTO, MIN_RTO, isIOError } from '@dht/io'
import type { IOError, IncomingReply } from '@dht/io'
import { ManualClock } from '@dht/sim'
import { decode, encodeReply } from '@dht/wire'
import type { Peer } from '@dht/wire'
import { LOOPBACK, boundIO, ping, until } from './helpers.js'

/** A UDP peer that answers the requests it is told to answer, when told. */
async function manualPeer (): Promise<{ peer: Peer, received: Buffer[], answer: (i: number) => Promise<void>, close: () => Promise<void> }> {
  const socket = dgram.createSocket('udp4')
  const received: Buffer[] = []
  const from: Peer[] = []
  socket.on('message', (m, rinfo) => {
    received.push(m)
    from.push({ host: rinfo.address, port: rinfo.port })
  })
  socket.bind(0, LOOPBACK)
  await once(socket, 'listening')
  return {
    peer: { host: LOOPBACK, port: socket.address().port },
    received,
    answer: async (i) => {
      const m = decode(received[i]!)
      const reply = encodeReply({ tid: m.tid, to: from[i]!, id: null, token: null, closerNodes: null, status: 0, value: null })
      await new Promise<void>((resolve) => socket.send(reply, from[i]!.port, from[i]!.host, () => resolve()))
    },
    close: () => new Promise((resolve) => socket.close(() => resolve()))
  }
}

/** Advances the clock by each wait and checks the sends seen after each. */
async function expectSends (clock: ManualClock, received: Buffer[], schedule: ReadonlyArray<readonly [number, number]>): Promise<void> {
  for (const [sends, wait] of schedule) {
    await until(() => received.length === sends)
    clock.advance(wait - 1)
    await new Promise((resolve) => setTimeout(resolve, 10))
    assert.equal(received.length, sends, `no send before ${wait} ms`)
    clock.advance(1)
  }
}

test('a peer not heard from: re-sends after 1 s, backing off 1.5x but at most timeout / 4 apart, and a timeout 6 s after the first send', async (t) => {
  const clock = new ManualClock()
  const silent = await manualPeer()
  t.after(() => silent.close())
  const client = await boundIO({ clock })
  t.after(() => client.io.destroy())
  let error: IOError | null = null
  client.io.send(ping(silent.peer), undefined, { onreply: () => assert.fail('no reply expected'), onerror: (err) => { error = err } })
  assert.equal(INITIAL_RTO, 1000)
  assert.equal(DEFAULT_TIMEOUT, 6000)
  await expectSends(clock, silent.received, [[1, 1000], [2, 1500], [3, 1500], [4, 2000]])
  await until(() => error !== null)
  assert.ok(isIOError(error, 'REQUEST_TIMEOUT'))
  assert.match((error as IOError).message, /in 6000 ms \(4 sends\)/)
  await new Promise((resolve) => setTimeout(resolve, 50))
  assert.equal(silent.received.length, 4)
  assert.equal(new Set(silent.received.map((m) => decode(m).tid)).size, 1, 'every re-send carries the same tid')
  assert.equal(client.io.stats.resends, 3)
  clock.advance(3000) // the window's slots forget the last send
  assert.equal(clock.pending, 0, 'no timer left behind')
})

test('a peer that answered fast is re-sent to sooner, but the request still waits the whole timeout', async (t) => {
  const clock = new ManualClock()
  const peer = await manualPeer()
  t.after(() => peer.close())
  const other = await manualPeer()
  t.after(() => other.close())
  const client = await boundIO({ clock })
  t.after(() => client.io.destroy())
  // one answer with no time passed on the clock: the peer's estimate falls to the floor
  const first = client.io.request(ping(peer.peer))
  await until(() => peer.received.length === 1)
  await peer.answer(0)
  await first
  assert.equal(client.io.roundTrip(peer.peer), 0)
  assert.equal(client.io.roundTrip(other.peer), null, 'another peer is still unknown')

  let error: IOError | null = null
  client.io.send(ping(peer.peer), undefined, { onreply: () => assert.fail('no reply expected'), onerror: (err) => { error = err } })
  await expectSends(clock, peer.received, [[2, MIN_RTO], [3, 1.5 * MIN_RTO], [4, 2.25 * MIN_RTO], [5, DEFAULT_TIMEOUT - 4.75 * MIN_RTO]])
  await until(() => error !== null)
  assert.ok(isIOError(error, 'REQUEST_TIMEOUT'))

  // a peer not heard from waits twice what the node's peers need, at least the floor
  client.io.send(ping(other.peer), undefined, { onreply: () => {}, onerror: () => {} })
  await expectSends(clock, other.received, [[1, MIN_RTO]])
})

test('a reply after the last re-send, well after the round trip, is still taken', async (t) => {
  const clock = new ManualClock()
  const slow = await manualPeer()
  t.after(() => slow.close())
  const client = await boundIO({ clock })
  t.after(() => client.io.destroy())
  let reply: IncomingReply | null = null
  client.io.send(ping(slow.peer), undefined, { onreply: (r) => { reply = r }, onerror: (err) => assert.fail(err) })
  await expectSends(clock, slow.received, [[1, 1000], [2, 1500], [3, 1500]])
  clock.advance(1900) // 5.9 s after the first send: the handler answers the first send now
  await slow.answer(0)
  await until(() => reply !== null)
  assert.equal(slow.received.length, 4)
})

test('the timeout option: IO-wide and per request; re-sends fit inside it', async (t) => {
  const clock = new ManualClock()
  const silent = await manualPeer()
  t.after(() => silent.close())
  const client = await boundIO({ clock, timeout: 2000 })
  t.after(() => client.io.destroy())
  const failed = client.io.request(ping(silent.peer)).catch((err: unknown) => err)
  await expectSends(clock, silent.received, [[1, 500], [2, 500], [3, 500], [4, 500]])
  assert.ok(isIOError(await failed, 'REQUEST_TIMEOUT'))
  const once = client.io.request(ping(silent.peer), { retry: false, timeout: 300 }).catch((err: unknown) => err)
  await expectSends(clock, silent.received, [[5, 300]])
  assert.ok(isIOError(await once, 'REQUEST_TIMEOUT'))
  assert.throws(() => client.io.send(ping(silent.peer), { timeout: 0 }, { onreply: () => {}, onerror: () => {} }), (err) => isIOError(err, 'INVALID_ARGUMENT'))
  await assert.rejects(async () => { await boundIO({ timeout: -1 }) }, (err) => isIOError(err, 'INVALID_ARGUMENT'))
})
