// IO.suspend() and IO.resume(): while suspended nothing goes out and nothing is taken in, what
// was pending failed with SUSPENDED, and the window holds nothing of it after the resume.

import test from 'node:test'
import assert from 'node:assert/strict'
import { IO, isIOError } from '@dht/io'
import type { IncomingRequest } from '@dht/io'
import { ManualClock } from '@dht/sim'
import { decode, encodeRequest } from '@dht/wire'
import { FakeSocket } from './fake-socket.js'
import { ping } from './helpers.js'

const SILENT = { host: '10.0.0.2', port: 7000 }

async function fakeIO (opts: { maxWindow?: number, onrequest?: (req: IncomingRequest, io: IO) => void } = {}): Promise<{ io: IO, socket: FakeSocket, clock: ManualClock }> {
  const clock = new ManualClock()
  const socket = new FakeSocket()
  const io = new IO({ socket, clock, ...opts })
  await io.bind()
  return { io, socket, clock }
}

function codes (list: string[]): (err: { code: string }) => void {
  return (err) => { list.push(err.code) }
}

test('suspend() fails every pending request with SUSPENDED, sent or waiting, and stops every timer', async () => {
  const { io, socket, clock } = await fakeIO({ maxWindow: 2 })
  const failed: string[] = []
  for (let i = 0; i < 6; i++) io.send(ping(SILENT), undefined, { onreply: () => failed.push('reply'), onerror: codes(failed) })
  assert.equal(socket.sent.length, 2, 'two sent, four wait for room')
  clock.advance(1000) // re-sends
  io.suspend()
  assert.deepEqual(failed, Array(6).fill('SUSPENDED'))
  assert.equal(io.inflightRequests, 0)
  assert.equal(clock.pending, 0, 'no timer left')
  assert.equal(io.suspended, true)
  await io.destroy()
})

test('after resume() the window is empty: new requests go out at once (no phantom congestion)', async () => {
  const { io, socket, clock } = await fakeIO({ maxWindow: 4 })
  const failed: string[] = []
  for (let i = 0; i < 20; i++) io.send(ping(SILENT), undefined, { onreply: () => {}, onerror: codes(failed) })
  clock.advance(1500) // sends and re-sends fill the window over several slots
  io.suspend()
  clock.advance(60 * 60_000)
  io.resume()
  const before = socket.sent.length
  for (let i = 0; i < 4; i++) io.send(ping(SILENT), undefined, { onreply: () => {}, onerror: codes(failed) })
  assert.equal(socket.sent.length - before, 4, 'all four sent at once')
  assert.equal(io.inflightRequests, 4)
  await io.destroy()
})

test('while suspended, requests fail at once, replies are not sent and incoming datagrams are dropped', async () => {
  const received: IncomingRequest[] = []
  const { io, socket } = await fakeIO({ onrequest: (req) => received.push(req) })
  io.suspend()
  io.suspend() // again: nothing more happens
  await assert.rejects(io.request(ping(SILENT)), (err) => isIOError(err, 'SUSPENDED'))
  socket.emit('message', encodeRequest({ tid: 1, ...ping({ host: '127.0.0.1', port: 40000 }) }), { address: '10.0.0.3', port: 7001 })
  assert.equal(received.length, 0, 'the request was dropped unread')
  assert.equal(socket.sent.length, 0, 'nothing sent')
  assert.equal(io.inflightRequests, 0)
  io.resume()
  socket.emit('message', encodeRequest({ tid: 2, ...ping({ host: '127.0.0.1', port: 40000 }) }), { address: '10.0.0.3', port: 7001 })
  assert.equal(received.length, 1, 'taken in after the resume')
  await io.destroy()
})

test('a reply given while suspended is not sent, and answers the re-send after the resume', async () => {
  const received: IncomingRequest[] = []
  const { io, socket } = await fakeIO({ onrequest: (req) => received.push(req) })
  const from = { address: '10.0.0.3', port: 7001 }
  const datagram = encodeRequest({ tid: 5, ...ping({ host: '127.0.0.1', port: 40000 }, Buffer.from('hi')) })
  socket.emit('message', datagram, from)
  assert.equal(received.length, 1)
  io.suspend()
  io.reply(received[0]!, { id: null, token: null, closerNodes: null, status: 0, value: received[0]!.value })
  assert.equal(socket.sent.length, 0)
  io.resume()
  socket.emit('message', datagram, from) // the sender's re-send
  assert.equal(received.length, 1, 'the handler ran once')
  assert.equal(socket.sent.length, 1, 'the kept reply answered the re-send')
  const reply = decode(Buffer.from(socket.sent[0]!.message))
  assert.equal(reply.type, 'reply')
  assert.equal(reply.tid, 5)
  await io.destroy()
})

test('destroy() while suspended closes the socket; suspend() after destroy() does nothing', async () => {
  const { io, socket } = await fakeIO()
  io.suspend()
  await io.destroy()
  assert.equal(socket.closed, true)
  io.suspend()
  io.resume()
  await assert.rejects(io.request(ping(SILENT)), (err) => isIOError(err, 'DESTROYED'))
})
