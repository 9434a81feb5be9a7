// After destroy(): what would send, bind or change the table fails with IOError DESTROYED
// (a rejection, or a throw for what is synchronous); what reads answers; destroy() again
// resolves.

import test from 'node:test'
import assert from 'node:assert/strict'
import DHT, { isIOError } from '@dht/rpc'

const destroyed = (err: unknown): boolean => isIOError(err, 'DESTROYED')

test('every method after destroy() behaves one documented way', async () => {
  const node = new DHT({ bootstrap: false, host: '127.0.0.1' })
  await node.ready()
  const to = { host: '127.0.0.1', port: 1 }
  await node.destroy()
  await assert.rejects(node.bind(), destroyed)
  await assert.rejects(node.bind(0), destroyed)
  await assert.rejects(node.request(null, 'x', null, to), destroyed)
  await assert.rejects(node.ping(to), destroyed)
  await assert.rejects(node.requestAll(null, 'x', null, [to]), destroyed)
  await assert.rejects(node.query(Buffer.alloc(32), 'find_node').finished(), destroyed)
  assert.throws(() => node.addNode(to), destroyed)
  assert.throws(() => node.refresh(), destroyed)
  await assert.rejects(node.resume(), destroyed)
  await node.suspend() // resolves: a destroyed node is stopped for good already
  assert.equal(node.address(), null)
  assert.deepEqual(node.toArray(), [])
  assert.equal(node.remoteAddress().host, null)
  await node.ready() // it did bootstrap before
  await node.destroy() // again: resolves
})
