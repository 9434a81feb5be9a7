// destroy() in the middle of lookups and commits: everything pending fails at once with
// DESTROYED, nothing is left unhandled or running. (destroy() with a request or lookup
// pending at a silent node, and before ready(): ../destroy.test.ts.)
import test from 'node:test'
import assert from 'node:assert/strict'
import DHT, { isIOError } from '@dht/rpc'
import type { DHTReply, DHTRequest } from '@dht/rpc'
import { createTestnet } from '@dht/rpc/testnet'
import type { Testnet } from '@dht/rpc/testnet'
import { silentPeer, until } from '../helpers.js'
import { turn, watchResources, watchUnhandled } from './leaks.js'

const TARGET = Buffer.alloc(32, 0x77)

/** A testnet whose nodes answer 'hold' at once, and never answer it when it commits. */
async function holdingTestnet (size: number): Promise<{ testnet: Testnet, held: DHTRequest[] }> {
  const testnet = await createTestnet(size)
  const held: DHTRequest[] = []
  for (const node of testnet.nodes) {
    node.on('request', (req) => {
      if (req.command !== 'hold') return
      if (req.commit) held.push(req)
      else req.reply(null)
    })
  }
  return { testnet, held }
}

function isDestroyed (err: unknown): boolean {
  return isIOError(err, 'DESTROYED')
}

test('destroy() while a lookup is being read: the loop throws DESTROYED, the other lookups fail too', async (t) => {
  const unhandled = watchUnhandled(t)
  const silent = await Promise.all([silentPeer(), silentPeer()])
  t.after(() => Promise.all(silent.map((s) => s.close())))
  const leaks = watchResources()
  const testnet = await createTestnet(20)
  t.after(() => testnet.destroy())
  const asker = await testnet.createNode()
  // still pending when the lookup's first reply is read: they wait on nodes that never answer
  const others = [
    asker.requestAll(null, 'ping', null, silent.map((s) => s.peer)),
    asker.query(Buffer.alloc(32, 1), 'find_node', null, { nodes: silent.map((s) => s.peer), concurrency: 1 }).finished()
  ]
  const read: DHTReply[] = []
  let thrown: unknown = null
  try {
    for await (const reply of asker.query(TARGET, 'find_node')) {
      read.push(reply)
      if (read.length === 1) void asker.destroy()
    }
  } catch (err) {
    thrown = err
  }
  assert.ok(isDestroyed(thrown), `the loop threw ${String(thrown)}`)
  const [all, lookup] = await Promise.allSettled(others)
  assert.ok(lookup?.status === 'rejected' && isDestroyed(lookup.reason))
  // requestAll fails as a whole (too few succeeded), each of its requests with DESTROYED
  assert.ok(all?.status === 'rejected')
  const { errors } = (all.reason as Error).cause as AggregateError
  assert.ok(errors.length === 2 && errors.every(isDestroyed), String(all.reason))
  assert.equal(asker.io.inflightRequests, 0)
  await testnet.destroy()
  await leaks()
  unhandled.check()
})

test('destroy() while commits are pending: finished() rejects with DESTROYED at once, not after timeouts', async (t) => {
  const unhandled = watchUnhandled(t)
  const leaks = watchResources()
  const { testnet, held } = await holdingTestnet(12)
  t.after(() => testnet.destroy())
  const asker = testnet.nodes[3]!
  const finished = asker.query(TARGET, 'hold', null, { commit: true }).finished()
  await until(() => held.length >= 1)
  const start = Date.now()
  await asker.destroy()
  await assert.rejects(finished, isDestroyed)
  assert.ok(Date.now() - start < 500, 'no waiting for the held commits to time out')
  assert.equal(asker.io.inflightRequests, 0)
  await testnet.destroy()
  await leaks()
  unhandled.check()
})

test('destroy() while a commit function awaits its own request: both fail with DESTROYED', async (t) => {
  const unhandled = watchUnhandled(t)
  const leaks = watchResources()
  const { testnet, held } = await holdingTestnet(12)
  t.after(() => testnet.destroy())
  const asker = testnet.nodes[4]!
  const inner: Array<Promise<unknown>> = []
  const finished = asker.query(TARGET, 'hold', null, {
    commit: (reply, dht) => {
      const request = dht.request(TARGET, 'hold', Buffer.from('mine'), reply.from, { token: reply.token })
      inner.push(request)
      return request
    }
  }).finished()
  await until(() => held.length >= 1)
  await asker.destroy()
  await assert.rejects(finished, isDestroyed)
  for (const pending of await Promise.allSettled(inner)) {
    assert.ok(pending.status === 'rejected' && isDestroyed(pending.reason))
  }
  assert.ok(inner.length >= 1)
  await turn()
  await testnet.destroy()
  await leaks()
  unhandled.check()
})

test('the nodes being committed to are destroyed mid-commit: the asker gets a clear error or success, never a hang', async (t) => {
  const unhandled = watchUnhandled(t)
  const leaks = watchResources()
  const { testnet, held } = await holdingTestnet(8)
  t.after(() => testnet.destroy())
  const asker = new DHT({ bootstrap: testnet.bootstrap, host: '127.0.0.1', rateLimit: false })
  t.after(() => asker.destroy())
  await asker.ready()
  const query = asker.query(TARGET, 'hold', null, { commit: true })
  const finished = query.finished()
  await until(() => held.length >= 1)
  await Promise.all(testnet.nodes.map((n: DHT) => n.destroy())) // everyone it is committing to goes away
  const outcome = await finished.then(() => 'finished', (err: Error) => err)
  assert.ok(outcome instanceof Error, 'no commit can succeed')
  t.diagnostic(`finished() rejected: ${outcome.message}`)
  assert.match(outcome.message, /commit|timed out|no node/i)
  await asker.destroy()
  await testnet.destroy()
  await leaks()
  unhandled.check()
})
