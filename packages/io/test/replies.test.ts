// One run of a handler per request: re-sends of a request being handled are dropped, re-sends
// of one answered get the same reply again, and a new request that reuses a tid is new.

import test from 'node:test'
import assert from 'node:assert/strict'
import dgram from 'node:dgram'
import { once } from 'node:events'
import { MAX_REMEMBERED, REMEMBER_MS, ReplyCache } from '@dht/io'
import type { IO, IOOptions, IncomingRequest, UdpSocket } from '@dht/io'
import { ManualClock } from '@dht/sim'
import { encodeRequest } from '@dht/wire'
import type { Peer } from '@dht/wire'
import { LOOPBACK, boundIO, until } from './helpers.js'

/** An IO that keeps the requests it is handed and answers them when told. */
async function server (opts: IOOptions = {}): Promise<{ io: IO, peer: Peer, handled: IncomingRequest[] }> {
  const handled: IncomingRequest[] = []
  const { io, peer } = await boundIO({ ...opts, onrequest: (req) => { handled.push(req) } })
  return { io, peer, handled }
}

async function rawSocket (): Promise<{ socket: dgram.Socket, received: Buffer[], send: (b: Uint8Array, to: Peer) => Promise<void> }> {
  const socket = dgram.createSocket('udp4')
  const received: Buffer[] = []
  socket.on('message', (m) => received.push(m))
  socket.bind(0, LOOPBACK)
  await once(socket, 'listening')
  return { socket, received, send: (b, to) => new Promise((resolve) => socket.send(b, to.port, to.host, () => resolve())) }
}

function request (to: Peer, tid: number, value: string): Uint8Array {
  return encodeRequest({ tid, to, id: null, token: null, target: null, command: 'work', value: Buffer.from(value) })
}

const turn = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 20))

test('a re-send while the handler runs is dropped; once answered, re-sends get the same reply', async () => {
  const s = await server()
  const raw = await rawSocket()
  const datagram = request(s.peer, 7, 'hello')
  for (let i = 0; i < 3; i++) await raw.send(datagram, s.peer)
  // all three arrived (on a loaded machine, later than any fixed wait), and a moment more
  await until(() => s.handled.length + s.io.stats.duplicates >= 3, 10_000)
  await turn()
  assert.equal(s.handled.length, 1, 'the handler ran once')
  assert.equal(s.io.stats.duplicates, 2)
  s.io.reply(s.handled[0]!, { id: null, token: null, closerNodes: null, status: 0, value: Buffer.from('done') })
  await until(() => raw.received.length === 1)
  await raw.send(datagram, s.peer)
  await until(() => raw.received.length === 2)
  assert.deepEqual(raw.received[1], raw.received[0], 'the same reply, byte for byte')
  assert.equal(s.handled.length, 1)
  // the same tid with other bytes is another request
  await raw.send(request(s.peer, 7, 'other'), s.peer)
  await until(() => s.handled.length === 2)
  raw.socket.close()
  await s.io.destroy()
})

test('dedupe: a predicate picks the requests it applies to; false turns it off', async () => {
  const picky = await server({ dedupe: (req) => req.command !== 'work' })
  const off = await server({ dedupe: false })
  const raw = await rawSocket()
  for (const s of [picky, off]) {
    const datagram = request(s.peer, 9, 'x')
    await raw.send(datagram, s.peer)
    await raw.send(datagram, s.peer)
  }
  await until(() => picky.handled.length === 2 && off.handled.length === 2)
  assert.equal(picky.io.stats.duplicates + off.io.stats.duplicates, 0)
  raw.socket.close()
  await Promise.all([picky.io.destroy(), off.io.destroy()])
})

test('ReplyCache forgets requests after REMEMBER_MS, and keeps at most MAX_REMEMBERED', () => {
  const cache = new ReplyCache()
  const socket = {} as UdpSocket
  const from = { host: '10.0.0.1', port: 1 }
  const bytes = Buffer.from('request')
  assert.equal(cache.check(from, 1, bytes, 0).type, 'new')
  assert.equal(cache.check(from, 1, bytes, 10).type, 'running')
  cache.answered(from, 1, Buffer.from('reply'), socket)
  const seen = cache.check(from, 1, bytes, REMEMBER_MS - 1)
  assert.equal(seen.type, 'answered')
  assert.equal(cache.check(from, 1, bytes, REMEMBER_MS).type, 'new', 'forgotten after REMEMBER_MS')
  for (let tid = 0; tid < MAX_REMEMBERED + 10; tid++) cache.check(from, 100 + tid, bytes, REMEMBER_MS)
  assert.equal(cache.size, MAX_REMEMBERED)
  assert.equal(cache.check(from, 100, bytes, REMEMBER_MS).type, 'new', 'the oldest made room')
  cache.answered({ host: '10.0.0.9', port: 1 }, 1, Buffer.from('reply'), socket) // never seen: nothing kept
  assert.equal(cache.size, MAX_REMEMBERED)
})

test('a re-sent request over a lossy reply path: the requester gets its answer and the handler ran once', async () => {
  const clock = new ManualClock()
  const s = await server({ clock })
  // the server's first reply is lost
  let dropped = 0
  const send = s.io.socket.send.bind(s.io.socket)
  s.io.socket.send = (message, port, address, callback) => {
    if (dropped++ === 0) return callback?.(null)
    send(message, port, address, callback)
  }
  const client = await boundIO({ clock })
  const reply = client.io.request({ to: s.peer, id: null, token: null, target: null, command: 'work', value: null })
  await until(() => s.handled.length === 1)
  s.io.reply(s.handled[0]!, { id: null, token: null, closerNodes: null, status: 0, value: Buffer.from('once') })
  clock.advance(1000) // the re-send
  assert.deepEqual((await reply).value, Buffer.from('once'))
  assert.equal(s.handled.length, 1)
  await Promise.all([client.io.destroy(), s.io.destroy()])
})
