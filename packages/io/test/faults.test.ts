import test from 'node:test'
import assert from 'node:assert/strict'
import { IO, isIOError } from '@dht/io'
import type { IOError } from '@dht/io'
import { ManualClock } from '@dht/sim'
import { FakeSocket } from './fake-socket.js'
import { ping } from './helpers.js'

const TO = { host: '127.0.0.1', port: 9 }

function errorCode (err: unknown): string | undefined {
  return (err as { code?: string }).code
}

test('requests on a socket that cannot be bound fail with BIND_FAILED, and no timer is left', async () => {
  const clock = new ManualClock()
  const bindError = Object.assign(new Error('bind EADDRNOTAVAIL 203.0.113.1'), { code: 'EADDRNOTAVAIL' })
  const warnings: Error[] = []
  const io = new IO({ socket: new FakeSocket({ bindError }), clock, onwarning: (err) => warnings.push(err) })
  const [a, b] = await Promise.allSettled([io.request(ping(TO)), io.request(ping(TO))])
  for (const r of [a, b]) {
    assert.equal(r?.status, 'rejected')
    const err = (r as PromiseRejectedResult).reason as IOError
    assert.ok(isIOError(err, 'BIND_FAILED'), String(err))
    assert.equal(err.cause, bindError)
    assert.match(err.message, /Socket could not be bound: bind EADDRNOTAVAIL/)
  }
  await assert.rejects(io.bind(), bindError, 'bind() rejects with the socket\'s error')
  await assert.rejects(io.request(ping(TO)), (err) => isIOError(err, 'BIND_FAILED'), 'and so does every later request')
  assert.deepEqual(warnings, [bindError])
  assert.equal(io.inflightRequests, 0)
  clock.advance(750) // the politeness slot timer sees nothing waiting and stops
  assert.equal(clock.pending, 0)
  await io.destroy()
})

test('address() is null after a real UDP socket fails to bind', async () => {
  // 203.0.113.0/24 is TEST-NET-3: never an address of this machine, so the bind fails
  const io = new IO({ host: '203.0.113.1', onwarning: () => {} })
  await assert.rejects(io.bind(), (err: unknown) => errorCode(err) === 'EADDRNOTAVAIL')
  assert.equal(io.address(), null)
  await io.destroy()
})

test('a send that fails is a warning, and the request times out after its 4 sends', async () => {
  for (const opts of [{ sendError: new Error('send ENETUNREACH') }, { sendThrows: new Error('send EBADF') }]) {
    const clock = new ManualClock()
    const socket = new FakeSocket(opts)
    const warnings: Error[] = []
    const io = new IO({ socket, clock, onwarning: (err) => warnings.push(err) })
    await io.bind()
    let failure: unknown = null
    io.request(ping(TO)).catch((err: unknown) => { failure = err })
    for (const wait of [1000, 1500, 2250, 3000]) {
      await new Promise((resolve) => setImmediate(resolve))
      clock.advance(wait)
    }
    await new Promise((resolve) => setImmediate(resolve))
    assert.ok(isIOError(failure, 'REQUEST_TIMEOUT'), String(failure))
    const expected = opts.sendError ?? opts.sendThrows
    assert.deepEqual(warnings, [expected, expected, expected, expected], 'each failed send is reported')
    assert.equal(clock.pending, 0, 'no timer left')
    await io.destroy()
    assert.ok(socket.closed)
  }
})

test('a socket error after binding is a warning; the IO keeps working', async () => {
  const socket = new FakeSocket()
  const warnings: Error[] = []
  const io = new IO({ socket, onwarning: (err) => warnings.push(err) })
  await io.bind()
  socket.emit('error', Object.assign(new Error('recvmsg ECONNREFUSED'), { code: 'ECONNREFUSED' }))
  assert.deepEqual(warnings.map(errorCode), ['ECONNREFUSED'])
  const pending = io.request(ping(TO), { retry: false })
  await new Promise((resolve) => setImmediate(resolve))
  assert.equal(socket.sent.length, 1)
  await io.destroy()
  await assert.rejects(pending, (err) => isIOError(err, 'DESTROYED'))
})
