// createUdpSocket resolves IPv4 destinations without dns.lookup once the socket listens; bind()
// still reports asynchronously, and names still resolve.

import test from 'node:test'
import assert from 'node:assert/strict'
import { once } from 'node:events'
import dgram from 'node:dgram'
import { createUdpSocket as createSocket } from '@dht/io'
import { silentPeer, until } from './helpers.js'

// the real node:dgram socket behind the interface
const createUdpSocket = (): dgram.Socket => createSocket() as unknown as dgram.Socket

test('bind reports listening after bind() returns, and an error to a listener added after bind()', async (t) => {
  const socket = createUdpSocket()
  t.after(() => socket.close())
  let returned = false
  const listening = once(socket, 'listening').then(() => returned)
  socket.bind(0, '127.0.0.1')
  returned = true
  assert.equal(await listening, true)

  const taken = createUdpSocket()
  taken.bind(socket.address().port, '127.0.0.1')
  const [err] = await once(taken, 'error') as [NodeJS.ErrnoException]
  assert.equal(err.code, 'EADDRINUSE')
  taken.close()
})

test('sends to an IPv4 address and to a name, before and after listening', async (t) => {
  const peer = await silentPeer()
  const socket = createUdpSocket()
  t.after(async () => {
    socket.close()
    await peer.close()
  })
  const received = (): string[] => peer.received.map(String)
  // queued by dgram until the implicit bind is done
  socket.send(Buffer.from('before'), peer.peer.port, '127.0.0.1')
  await until(() => received().length === 1)
  socket.send(Buffer.from('after'), peer.peer.port, '127.0.0.1')
  await until(() => received().length === 2)
  socket.send(Buffer.from('by name'), peer.peer.port, 'localhost')
  await until(() => received().length === 3)
  assert.deepEqual(received(), ['before', 'after', 'by name'])
})

test('a send to an address that is not IPv4 fails through the callback, as before', async (t) => {
  const socket = createUdpSocket()
  t.after(() => socket.close())
  socket.bind(0, '127.0.0.1')
  await once(socket, 'listening')
  const err = await new Promise<Error | null>((resolve) => socket.send(Buffer.from('x'), 9, 'no-such-host.invalid', resolve))
  assert.ok(err instanceof Error, 'the name does not resolve')
})
