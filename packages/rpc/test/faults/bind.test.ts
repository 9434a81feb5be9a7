// A socket that cannot be bound (the host is not a local address). A taken port falls back
// to a random one: lifecycle.test.ts and @dht/io's tests.
import test from 'node:test'
import assert from 'node:assert/strict'
import dgram from 'node:dgram'
import { once } from 'node:events'
import DHT, { isIOError } from '@dht/rpc'
import { watchResources, watchUnhandled } from './leaks.js'

const NOT_LOCAL = '203.0.113.1' // TEST-NET-3: never an address of this machine

async function bindable (host: string): Promise<boolean> {
  const socket = dgram.createSocket('udp4')
  socket.bind(0, host)
  const ok = await once(socket, 'listening').then(() => true, () => false) // once() rejects on 'error'
  await new Promise<void>((resolve) => socket.close(() => resolve()))
  return ok
}

test('a host that is not local: ready() rejects with the socket\'s error, requests fail with BIND_FAILED, nothing hangs or leaks', async (t) => {
  if (await bindable(NOT_LOCAL)) return t.skip(`${NOT_LOCAL} is local here`)
  const unhandled = watchUnhandled(t)
  const leaks = watchResources()
  const node = new DHT({ host: NOT_LOCAL, bind: 49737, bootstrap: ['127.0.0.1:9'] })
  t.after(() => node.destroy())
  const warnings: Error[] = []
  node.on('warning', (err) => warnings.push(err))
  const pinging = node.ping({ host: '127.0.0.1', port: 9 })
  await assert.rejects(node.ready(), (err: NodeJS.ErrnoException) => err.code === 'EADDRNOTAVAIL')
  await assert.rejects(pinging, (err) => isIOError(err, 'BIND_FAILED') && (err.cause as NodeJS.ErrnoException).code === 'EADDRNOTAVAIL')
  await assert.rejects(node.bind(), (err: NodeJS.ErrnoException) => err.code === 'EADDRNOTAVAIL')
  // the preferred port and then a random one were tried; both failed
  assert.deepEqual(warnings.map((err) => (err as NodeJS.ErrnoException).code), ['EADDRNOTAVAIL', 'EADDRNOTAVAIL', 'BOOTSTRAP_FAILED'])
  assert.equal(warnings[2]!.message, 'Bootstrap failed: no node answered (127.0.0.1:9)')
  await node.destroy()
  await leaks()
  unhandled.check()
})
