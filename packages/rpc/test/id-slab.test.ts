import test from 'node:test'
import assert from 'node:assert/strict'
import { setFlagsFromString } from 'node:v8'
import { runInNewContext } from 'node:vm'
import DHT from '@dht/rpc'
import { createTestnet } from '@dht/rpc/testnet'
import { keepId, keptIds, nodeClosed, nodeOpened } from '../dist/id-slab.js'

test('with one node in the process, nothing is shared nor looked up', () => {
  nodeOpened()
  try {
    const a = new Uint8Array(32).fill(5)
    const first = keepId(a)
    assert.notEqual(keepId(a), first)
    assert.deepEqual(new Uint8Array(first), a)
    assert.equal(keptIds(), 0)
  } finally {
    nodeClosed()
  }
})

test('equal ids kept twice share one copy; other ids get their own', (t) => {
  nodeOpened()
  nodeOpened()
  t.after(() => { nodeClosed(); nodeClosed() })
  const a = new Uint8Array(32).fill(7)
  const first = keepId(a)
  const second = keepId(a.slice())
  assert.equal(second, first, 'one copy for equal ids')
  assert.notEqual(first.buffer, a.buffer, 'a copy, not the caller\'s bytes')
  assert.deepEqual(new Uint8Array(first), a)
  const b = a.slice()
  b[31] = 8 // same first 4 bytes: the lookup key collides, the copy must not be shared
  const other = keepId(b)
  assert.notEqual(other, first)
  assert.deepEqual(new Uint8Array(other), b)
  assert.deepEqual(new Uint8Array(first), a, 'the shared copy is unchanged')
})

test('the nodes of one process share the ids in their tables', async () => {
  const testnet = await createTestnet(6)
  try {
    const [x, y] = testnet.nodes.slice(-2) as [DHT, DHT]
    const inX = x.table.toArray()
    const inY = y.table.toArray()
    const common = inX.filter((n) => inY.some((m) => m.port === n.port && m.host === n.host))
    assert.ok(common.length > 0)
    for (const node of common) {
      const other = inY.find((m) => m.port === node.port && m.host === node.host)!
      assert.equal(other.id, node.id, `one id object for ${node.host}:${node.port}`)
    }
  } finally {
    await testnet.destroy()
  }
})

test('ids no table holds any more are swept from the lookup', async (t) => {
  nodeOpened()
  nodeOpened()
  t.after(() => { nodeClosed(); nodeClosed() })
  setFlagsFromString('--expose-gc')
  const gc = runInNewContext('gc') as () => void
  const before = keptIds()
  // enough ids, dropped at once, for the map to reach a sweep after the next collection
  const count = Math.max(2048, before * 2)
  for (let i = 0; i < count; i++) {
    const id = new Uint8Array(32)
    new DataView(id.buffer).setUint32(0, 0x5a000000 + i)
    keepId(id)
  }
  await new Promise(setImmediate) // a weakly held object stays alive until the end of the job that made it
  gc()
  for (let i = 0; i < count; i++) {
    const id = new Uint8Array(32)
    new DataView(id.buffer).setUint32(0, 0x3c000000 + i)
    keepId(id)
  }
  assert.ok(keptIds() < 2 * count, `the first ${count} were swept: ${keptIds()} left`)
})

test('the lookup is emptied when fewer than two nodes are left open', async () => {
  const testnet = await createTestnet(3)
  assert.ok(keptIds() > 0)
  await testnet.destroy()
  assert.equal(keptIds(), 0)
})
