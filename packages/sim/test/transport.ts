// One suite of socket behaviours that a node relies on, run against every transport: a real
// node:dgram socket on loopback and a simulated host's socket. A socket that passes it can
// carry a node.

import test from 'node:test'
import assert from 'node:assert/strict'
import type { RemoteInfo, UdpSocket } from '@dht/io'

export interface Transport {
  /** A new unbound socket on the one host the suite uses. */
  socket (): UdpSocket
  /** The address other sockets send to, and the one to bind. */
  host: string
  /** Waits for `promise`, moving simulated time if there is any. */
  settle<T> (promise: Promise<T>): Promise<T>
}

export function transportSuite (name: string, make: () => Transport): void {
  const opened: UdpSocket[] = []
  const open = (t: Transport): UdpSocket => {
    const socket = t.socket()
    opened.push(socket)
    return socket
  }
  test.afterEach(() => {
    for (const socket of opened.splice(0)) {
      try { socket.close() } catch {}
    }
  })

  test(`${name}: bind(0) reports 'listening', then address() gives the port; before, address() throws`, async () => {
    const t = make()
    const socket = open(t)
    assert.throws(() => socket.address())
    const listening = event(socket, 'listening')
    socket.bind(0, t.host)
    await t.settle(listening)
    const port = socket.address().port
    assert.ok(port > 0 && port < 65536)
  })

  test(`${name}: a datagram arrives whole, with the sender's address and port`, async () => {
    const t = make()
    const a = await bound(t, open(t))
    const b = await bound(t, open(t))
    const got = message(b)
    a.send(Buffer.from('hello'), b.address().port, t.host)
    const [data, rinfo] = await t.settle(got)
    assert.equal(Buffer.from(data).toString(), 'hello')
    assert.equal(rinfo.port, a.address().port)
    assert.equal(rinfo.address, t.host)
  })

  test(`${name}: what arrives is what was sent, though the sender changes its buffer once send() returns`, async () => {
    const t = make()
    const a = await bound(t, open(t))
    const b = await bound(t, open(t))
    for (const size of [5, 10_000]) { // a small datagram, and one larger than the simulator's shared copies
      const got = message(b)
      const sent = Buffer.alloc(size, 1)
      a.send(sent, b.address().port, t.host)
      sent.fill(2)
      const [data] = await t.settle(got)
      assert.deepEqual(Buffer.from(data), Buffer.alloc(size, 1))
    }
  })

  test(`${name}: the send callback is called with no error, after send() returns`, async () => {
    const t = make()
    const a = await bound(t, open(t))
    const b = await bound(t, open(t))
    let returned = false
    const sent = new Promise<Error | null>((resolve) => a.send(Buffer.from('x'), b.address().port, t.host, (err) => {
      assert.ok(returned, 'called later, not inside send()')
      resolve(err)
    }))
    returned = true
    assert.equal(await t.settle(sent), null)
  })

  test(`${name}: binding a taken port reports EADDRINUSE, and the socket can bind again`, async () => {
    const t = make()
    const a = await bound(t, open(t))
    const b = open(t)
    const failed = event<[Error & { code?: string }]>(b, 'error')
    b.bind(a.address().port, t.host)
    const [err] = await t.settle(failed)
    assert.equal(err.code, 'EADDRINUSE')
    const listening = event(b, 'listening')
    b.bind(0, t.host)
    await t.settle(listening)
    assert.notEqual(b.address().port, a.address().port)
  })

  test(`${name}: sending from an unbound socket binds it to a port first`, async () => {
    const t = make()
    const receiver = await bound(t, open(t))
    const sender = open(t)
    const got = message(receiver)
    sender.send(Buffer.from('auto'), receiver.address().port, t.host)
    const [, rinfo] = await t.settle(got)
    assert.ok(rinfo.port > 0)
  })

  test(`${name}: close() calls back and emits 'close'; sending afterwards throws`, async () => {
    const t = make()
    const socket = await bound(t, t.socket())
    const closed = new Promise<void>((resolve) => socket.close(() => resolve()))
    await t.settle(closed)
    assert.throws(() => socket.send(Buffer.from('x'), 9, t.host))
  })

  test(`${name}: a datagram to a port nobody listens on vanishes without an error`, async () => {
    const t = make()
    const a = await bound(t, open(t))
    const free = await bound(t, t.socket())
    const port = free.address().port
    await t.settle(new Promise<void>((resolve) => free.close(() => resolve())))
    const errors: Error[] = []
    a.on('error', (err) => errors.push(err))
    const sent = new Promise<Error | null>((resolve) => a.send(Buffer.from('x'), port, t.host, resolve))
    assert.equal(await t.settle(sent), null)
    const b = await bound(t, open(t))
    const got = message(b)
    a.send(Buffer.from('after'), b.address().port, t.host) // the socket still works
    await t.settle(got)
    assert.deepEqual(errors, [])
  })
}

async function bound (t: Transport, socket: UdpSocket): Promise<UdpSocket> {
  const listening = event(socket, 'listening')
  socket.bind(0, t.host)
  await t.settle(listening)
  return socket
}

function event<A extends unknown[] = []> (socket: UdpSocket, name: 'listening' | 'error'): Promise<A> {
  return new Promise((resolve) => {
    if (name === 'error') socket.on('error', (err) => resolve([err] as unknown as A))
    else socket.on('listening', () => resolve([] as unknown as A))
  })
}

function message (socket: UdpSocket): Promise<[Uint8Array, RemoteInfo]> {
  return new Promise((resolve) => socket.on('message', (data, rinfo) => resolve([data, rinfo])))
}
