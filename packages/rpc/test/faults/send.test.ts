// Sockets whose sends fail, given through the `socket` and `createSocket` options.
import test from 'node:test'
import assert from 'node:assert/strict'
import dgram from 'node:dgram'
import DHT, { isIOError } from '@dht/rpc'
import type { UdpSocket } from '@dht/rpc'
import { ManualClock } from '@dht/sim'
import { LOOPBACK, silentPeer } from '../helpers.js'
import { RawPeer } from '../interop/raw.js'
import { turn, watchResources, watchUnhandled } from './leaks.js'

/** A real socket whose sends call back with `err` (and send nothing). */
function failingSends (err: Error): UdpSocket {
  const socket = dgram.createSocket('udp4')
  const send: UdpSocket['send'] = (_message, _port, _address, callback) => { process.nextTick(() => callback?.(err)) }
  return Object.assign(socket, { send }) as UdpSocket
}

test('sends that fail: each is a warning, the request times out after 4 sends, nothing leaks', async (t) => {
  const unhandled = watchUnhandled(t)
  const silent = await silentPeer()
  t.after(() => silent.close())
  const leaks = watchResources()
  const clock = new ManualClock(1_000_000)
  const sendError = Object.assign(new Error('send ENETUNREACH 127.0.0.1:9'), { code: 'ENETUNREACH' })
  const socket = failingSends(sendError)
  const node = new DHT({ socket, bootstrap: false, host: LOOPBACK, clock })
  t.after(() => node.destroy())
  const warnings: Error[] = []
  node.on('warning', (err) => warnings.push(err))
  await node.bind()

  let failure: unknown = null
  node.ping(silent.peer).catch((err: unknown) => { failure = err })
  for (const wait of [1000, 1500, 2250, 3000]) {
    await turn(5)
    clock.advance(wait)
  }
  await turn(5)
  assert.ok(isIOError(failure, 'REQUEST_TIMEOUT'), String(failure))
  assert.deepEqual(warnings, [sendError, sendError, sendError, sendError])
  assert.equal(silent.received.length, 0)
  await node.destroy()
  assert.throws(() => socket.address(), 'the given socket is closed')
  await leaks()
  unhandled.check()
})

test('the ping_nat socket\'s sends fail: a warning, and the node\'s own socket still answers', async (t) => {
  const unhandled = watchUnhandled(t)
  const raw = await RawPeer.create()
  t.after(() => raw.close())
  const leaks = watchResources()
  const natError = new Error('send EPERM')
  let made = 0
  const createSocket = (): UdpSocket => made++ === 0 ? dgram.createSocket('udp4') : failingSends(natError)
  const node = new DHT({ createSocket, bootstrap: false, host: LOOPBACK })
  const warnings: Error[] = []
  node.on('warning', (err) => warnings.push(err))
  const to = { host: LOOPBACK, port: await node.bind() }

  await raw.send({ tid: 1, to, command: 'ping_nat' })
  await raw.send({ tid: 2, to, command: 'ping' })
  await raw.next((m) => m.tid === 2)
  await turn(5)
  assert.deepEqual(raw.received, [], 'no ping_nat reply')
  assert.deepEqual(warnings, [natError])
  assert.equal(made, 2)
  await node.destroy()
  await leaks()
  unhandled.check()
})
