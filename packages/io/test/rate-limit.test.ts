import test from 'node:test'
import assert from 'node:assert/strict'
import dgram from 'node:dgram'
import { DEFAULT_RATE_LIMIT, RateLimiter } from '@dht/io'
import type { IncomingReply } from '@dht/io'
import { ManualClock } from '@dht/sim'
import { decode, encodeReply, encodeRequest } from '@dht/wire'
import { LOOPBACK, boundIO, echo, ping, until } from './helpers.js'

function allowed (limiter: RateLimiter, host: string, times: number): number {
  let n = 0
  for (let i = 0; i < times; i++) if (limiter.allow(host)) n++
  return n
}

test('a source may send a burst at once, then requests at the sustained rate', () => {
  const clock = new ManualClock()
  const limiter = new RateLimiter({ requests: 10, per: 1000, burst: 5 }, clock)
  assert.equal(allowed(limiter, '1.2.3.4', 100), 5)
  clock.advance(99)
  assert.equal(allowed(limiter, '1.2.3.4', 100), 0, '10 per second: one every 100 ms')
  clock.advance(1)
  assert.equal(allowed(limiter, '1.2.3.4', 100), 1)
  clock.advance(60_000)
  assert.equal(allowed(limiter, '1.2.3.4', 100), 5, 'a quiet source gets its burst back, no more')
})

test('the burst defaults to the requests of one period', () => {
  const clock = new ManualClock()
  assert.equal(allowed(new RateLimiter({ requests: 7, per: 100 }, clock), '1.2.3.4', 100), 7)
  assert.deepEqual(DEFAULT_RATE_LIMIT, { requests: 1000, per: 1000, burst: 1000 })
})

test('each source host has its own bucket: a flood from one leaves the others untouched', () => {
  const clock = new ManualClock()
  const limiter = new RateLimiter({ requests: 10, per: 1000 }, clock)
  assert.equal(allowed(limiter, '10.0.0.1', 10_000), 10)
  assert.equal(allowed(limiter, '10.0.0.2', 10), 10)
  assert.equal(allowed(limiter, '10.0.0.3', 1), 1)
})

test('memory stays bounded however many sources send, and a flooder that keeps sending keeps its empty bucket', () => {
  const clock = new ManualClock()
  const limiter = new RateLimiter({ requests: 10, per: 1000 }, clock, 64)
  let flood = 0
  for (let i = 0; i < 100_000; i++) {
    limiter.allow(`10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`)
    if (i % 10 === 0 && limiter.allow('192.0.2.1')) flood++
    assert.ok(limiter.size <= 128)
  }
  assert.equal(flood, 10, 'the flooder was never forgotten, so its bucket never refilled')
})

test('sources that went quiet are forgotten as time passes', () => {
  const clock = new ManualClock()
  const limiter = new RateLimiter({ requests: 10, per: 1000 }, clock)
  for (let i = 0; i < 1000; i++) limiter.allow(`10.0.${i >> 8}.${i & 255}`)
  assert.equal(limiter.size, 1000)
  clock.advance(1000) // a full bucket's refill time: a generation
  limiter.allow('10.1.0.0')
  assert.equal(limiter.size, 1001, 'the quiet ones are kept for one more generation')
  clock.advance(1000)
  limiter.allow('10.1.0.0')
  assert.equal(limiter.size, 1)
  clock.advance(5000)
  limiter.allow('10.1.0.1')
  assert.equal(limiter.size, 1)
})

test('bad options throw a TypeError that names the option', () => {
  const clock = new ManualClock()
  assert.throws(() => new RateLimiter({ requests: 0, per: 1000 }, clock), /rateLimit.requests must be a finite number above 0/)
  assert.throws(() => new RateLimiter({ requests: 10, per: Number.NaN }, clock), /rateLimit.per must be/)
  assert.throws(() => new RateLimiter({ requests: 10, per: 1000, burst: 0.5 }, clock), /rateLimit.burst must be a finite number of at least 1/)
})

test('an IO drops requests over the limit unread and counts them; replies to its own requests are never limited', async () => {
  const clock = new ManualClock()
  const server = await boundIO({ clock, onrequest: echo, rateLimit: { requests: 5, per: 1000 } })
  const raw = dgram.createSocket('udp4')
  const replies: number[] = []
  raw.on('message', (m) => {
    const message = decode(m)
    if (message.type === 'reply') replies.push(message.tid)
    else raw.send(encodeReply({ tid: message.tid, to: server.peer, id: null, token: null, closerNodes: null, status: 0, value: null }), server.peer.port, LOOPBACK)
  })
  raw.bind(0, LOOPBACK)
  await new Promise((resolve) => raw.once('listening', resolve))
  const rawPeer = { host: LOOPBACK, port: raw.address().port }

  for (let tid = 0; tid < 20; tid++) raw.send(encodeRequest({ tid, ...ping(server.peer) }), server.peer.port, LOOPBACK)
  // the request bit is in the flags' low byte also when they are written as a 3-byte uint
  const wide = Buffer.from(encodeRequest({ tid: 99, ...ping(server.peer) }))
  raw.send(Buffer.concat([wide.subarray(0, 1), Buffer.from([0xfd, wide[1]!, 0]), wide.subarray(2)]), server.peer.port, LOOPBACK)
  await until(() => server.io.stats.requestsReceived + server.io.stats.rateLimited === 21)
  assert.equal(server.io.stats.requestsReceived, 5)
  assert.equal(server.io.stats.rateLimited, 16)
  await until(() => replies.length === 5)
  assert.deepEqual(replies, [0, 1, 2, 3, 4])

  // the source is over its limit, and yet every reply it sends to our requests gets through
  const answered: IncomingReply[] = await Promise.all(Array.from({ length: 20 }, () => server.io.request(ping(rawPeer))))
  assert.equal(answered.length, 20)
  assert.equal(server.io.stats.repliesReceived, 20)
  assert.equal(server.io.stats.rateLimited, 16)

  clock.advance(200)
  raw.send(encodeRequest({ tid: 100, ...ping(server.peer) }), server.peer.port, LOOPBACK)
  await until(() => replies.includes(100))
  raw.close()
  await server.io.destroy()
})

test('rateLimit: false turns the limit off', async () => {
  const server = await boundIO({ onrequest: echo, rateLimit: false })
  const raw = dgram.createSocket('udp4')
  let replies = 0
  raw.on('message', () => { replies++ })
  raw.bind(0, LOOPBACK)
  await new Promise((resolve) => raw.once('listening', resolve))
  const count = DEFAULT_RATE_LIMIT.burst + 200
  for (let tid = 0; tid < count; tid++) {
    raw.send(encodeRequest({ tid, ...ping(server.peer) }), server.peer.port, LOOPBACK)
    if (tid % 100 === 99) await until(() => replies === tid + 1) // paced: no loss in the socket buffers
  }
  await until(() => replies === count)
  assert.equal(server.io.stats.rateLimited, 0)
  raw.close()
  await server.io.destroy()
})

test('on loopback each socket is its own source: two local senders do not share a bucket', async () => {
  const server = await boundIO({ onrequest: echo, rateLimit: { requests: 5, per: 60_000 } })
  const senders = await Promise.all([0, 1].map(async () => {
    const raw = dgram.createSocket('udp4')
    let replies = 0
    raw.on('message', () => { replies++ })
    raw.bind(0, LOOPBACK)
    await new Promise((resolve) => raw.once('listening', resolve))
    return { raw, replies: () => replies }
  }))
  for (const { raw } of senders) {
    for (let tid = 0; tid < 8; tid++) raw.send(encodeRequest({ tid, ...ping(server.peer) }), server.peer.port, LOOPBACK)
  }
  await until(() => server.io.stats.requestsReceived + server.io.stats.rateLimited === 16)
  await until(() => senders.every((s) => s.replies() === 5))
  assert.equal(server.io.stats.rateLimited, 6)
  for (const { raw } of senders) raw.close()
  await server.io.destroy()
})
