import test from 'node:test'
import assert from 'node:assert/strict'
import { RoutingTable, K, bucketIndex } from '@dht/table'
import type { TableEntry } from '@dht/table'
import { bruteBucket, idNear, idWith, node, prng, randomId } from './helpers.js'

const ZERO = new Uint8Array(32)

test('a bucket takes k nodes; the next one is reported full with the stalest entry', () => {
  const table = new RoutingTable(ZERO)
  const entries: TableEntry[] = []
  for (let i = 0; i < K; i++) {
    const res = table.add(node(idWith(0x80, i), i), 100 + i) // bucket 0: first bit differs
    assert.equal(res.type, 'added')
    if (res.type === 'added') entries.push(res.entry)
  }
  assert.equal(table.size, K)
  // Everyone but entries[7] is seen again later, so entries[7] is the stalest.
  for (const [i, e] of entries.entries()) if (i !== 7) table.seen(e, 200 + i)

  const extra = idWith(0x80, 99)
  const res = table.add(node(extra), 300)
  assert.equal(res.type, 'full')
  assert.ok(res.type === 'full')
  assert.equal(res.bucket, 0)
  assert.equal(res.stalest, entries[7])
  assert.equal(table.size, K, 'a full bucket changes nothing')
  assert.equal(table.has(extra), false)

  // Another bucket still has room.
  const other = table.add(node(idWith(0x40)), 301)
  assert.equal(other.type, 'added')
  assert.equal(table.size, K + 1)
})

test('the stalest of a full bucket: least recently seen, ties broken by the earliest added', () => {
  const table = new RoutingTable(ZERO, { k: 4 })
  const entries: TableEntry[] = []
  for (let i = 0; i < 4; i++) {
    const res = table.add(node(idWith(0xf0, i)), 10 + i)
    if (res.type === 'added') entries.push(res.entry)
  }
  // All seen at the same tick, in an order unrelated to when they were added.
  for (const i of [2, 0, 3, 1]) table.seen(entries[i]!, 50)
  const res = table.add(node(idWith(0xf0, 9)), 60)
  assert.ok(res.type === 'full')
  assert.equal(res.stalest, entries[0], 'same seen: the one added first')

  table.seen(entries[0]!, 61)
  const again = table.add(node(idWith(0xf0, 9)), 62)
  assert.ok(again.type === 'full')
  assert.equal(again.stalest, entries[1])
})

test('the k option sets the bucket size', () => {
  for (const k of [1, 3, 8]) {
    const table = new RoutingTable(ZERO, { k })
    assert.equal(table.k, k)
    let added = 0
    for (let i = 0; i < 10; i++) if (table.add(node(idWith(0xc0, i)), i).type === 'added') added++
    assert.equal(added, k)
  }
  assert.equal(new RoutingTable(ZERO).k, 20)
})

test('no bucket ever holds more than k after thousands of adds; bucketIndex agrees with a BigInt reference', () => {
  const rand = prng(11)
  const own = randomId(rand)
  const table = new RoutingTable(own)
  for (let i = 0; i < 5000; i++) {
    const id = i % 3 === 0 ? randomId(rand) : idNear(own, Math.floor(rand() * 40), rand)
    const res = table.add(node(id, i), i)
    assert.equal(bucketIndex(own, id), bruteBucket(own, id))
    if (res.type === 'full') {
      assert.equal(res.bucket, bruteBucket(own, id))
      assert.equal(bruteBucket(own, res.stalest.id), res.bucket, 'the stalest is from the same bucket')
    }
  }
  const counts = new Map<number, number>()
  for (const e of table.toArray()) counts.set(bruteBucket(own, e.id), (counts.get(bruteBucket(own, e.id)) ?? 0) + 1)
  for (const [bucket, count] of counts) assert.ok(count <= K, `bucket ${bucket} holds ${count}`)
  assert.ok([...counts.values()].filter(c => c === K).length >= 5, 'several buckets are full')
  assert.equal([...counts.values()].reduce((a, b) => a + b, 0), table.size)
  assert.equal(bucketIndex(own, own), 256)
})

test('adding the own id is rejected as self', () => {
  const own = randomId(prng(5))
  const table = new RoutingTable(own)
  assert.deepEqual(table.add(node(own.slice()), 0), { type: 'self' })
  assert.equal(table.size, 0)
  assert.equal(table.has(own), false)
})

test('adding a node that is present refreshes it: same entry, new seen, added kept', () => {
  const table = new RoutingTable(ZERO)
  const id = idWith(0x11, 1)
  const first = table.add(node(id), 3)
  assert.ok(first.type === 'added')
  assert.equal(first.entry.added, 3)
  assert.equal(first.entry.seen, 3)
  const second = table.add(node(id.slice()), 9) // an equal id in another array
  assert.ok(second.type === 'refreshed')
  assert.equal(second.entry, first.entry)
  assert.equal(second.entry.added, 3)
  assert.equal(second.entry.seen, 9)
  assert.equal(table.size, 1)
})
