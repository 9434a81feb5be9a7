// suspend() and resume() on real sockets, on loopback: the socket stays bound, nothing is
// answered while suspended, and the node is back in the network after the resume.

import test from 'node:test'
import assert from 'node:assert/strict'
import { isIOError } from '@dht/rpc'
import type { DHT } from '@dht/rpc'
import { createTestnet } from '@dht/rpc/testnet'
import { LOOPBACK, silentPeer, until } from './helpers.js'

test('suspend() and resume() over real UDP: silent while suspended, answering and looking up after', async (t) => {
  const testnet = await createTestnet(5)
  const silent = await silentPeer()
  t.after(async () => {
    await testnet.destroy()
    await silent.close()
  })
  const [, asker, node] = testnet.nodes as [DHT, DHT, DHT]
  const peer = { host: LOOPBACK, port: node.address()!.port }
  const events: string[] = []
  node.on('suspend', () => events.push('suspend'))
  node.on('resume', () => events.push('resume'))

  const pending = node.ping(silent.peer)
  await until(() => silent.received.length >= 1)
  await node.suspend()
  await assert.rejects(pending, (err) => isIOError(err, 'SUSPENDED'))
  assert.equal(node.io.inflightRequests, 0)
  await assert.rejects(asker.ping(peer, { timeout: 300 }), (err) => isIOError(err, 'REQUEST_TIMEOUT'))
  const received = silent.received.length
  await assert.rejects(node.ping(silent.peer), (err) => isIOError(err, 'SUSPENDED'))
  await new Promise((resolve) => setTimeout(resolve, 50))
  assert.equal(silent.received.length, received, 'nothing sent while suspended')

  await node.resume()
  assert.deepEqual(events, ['suspend', 'resume'])
  assert.equal(node.address()!.port, peer.port, 'the same socket, still bound')
  const pong = await asker.ping(peer)
  assert.deepEqual(pong.id, node.id)
  const query = node.query(asker.id!, 'find_node')
  await query.finished()
  assert.ok(query.closestNodes.some((n) => n.port === asker.address()!.port), 'the lookup reached the node it looked for')
  assert.ok(node.table.size >= 4, `${node.table.size} nodes in the table`)
})
