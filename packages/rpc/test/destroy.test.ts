import test from 'node:test'
import assert from 'node:assert/strict'
import { fileURLToPath } from 'node:url'
import DHT, { isIOError } from '@dht/rpc'
import { createTestnet } from '@dht/rpc/testnet'
import { LOOPBACK, silentPeer, until } from './helpers.js'
import { run } from './spawn.js'

test('destroy() fails pending requests and queries with a clear error', async () => {
  const silent = await silentPeer()
  const testnet = await createTestnet(3)
  const node = testnet.nodes[1]!
  const pending = node.ping(silent.peer)
  const query = node.query(Buffer.alloc(32, 7), 'find_node', null, { nodes: [silent.peer] })
  const finished = query.finished()
  await until(() => silent.received.length >= 1)
  await node.destroy()
  await assert.rejects(pending, (err) => isIOError(err, 'DESTROYED'))
  await assert.rejects(finished, (err) => isIOError(err, 'DESTROYED'))
  await assert.rejects(node.ping(silent.peer), (err) => isIOError(err, 'DESTROYED'))
  await testnet.destroy()
  await silent.close()
})

test('destroy() before ready() rejects ready() and leaves no unhandled rejection', async () => {
  const unhandled: unknown[] = []
  const onunhandled = (err: unknown): void => { unhandled.push(err) }
  process.on('unhandledRejection', onunhandled)
  const node = new DHT({ bootstrap: ['127.0.0.1:1'], host: LOOPBACK })
  const ready = node.ready()
  await node.destroy()
  await assert.rejects(ready, (err) => isIOError(err, 'DESTROYED'))
  const untouched = new DHT({ bootstrap: ['127.0.0.1:1'], host: LOOPBACK })
  await untouched.destroy() // nobody ever calls ready() on this one
  await new Promise((resolve) => setTimeout(resolve, 50))
  process.off('unhandledRejection', onunhandled)
  assert.deepEqual(unhandled, [])
})

test('nothing is left running after destroy(): the process exits by itself', async (t) => {
  const script = fileURLToPath(new URL('./fixtures/exits.js', import.meta.url))
  const { code, stdout, stderr } = await run(t, [script], 20_000)
  assert.equal(code, 0, `the child did not exit by itself: ${stdout}${stderr}`)
  assert.match(stdout, /destroyed 6 nodes/)
})
