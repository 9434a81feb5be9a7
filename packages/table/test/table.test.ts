import test from 'node:test'
import assert from 'node:assert/strict'
import { RoutingTable } from '@dht/table'
import { hex, idNear, node, prng, randomId } from './helpers.js'

test('size, get and has follow every kind of add and remove', () => {
  const rand = prng(31)
  const table = new RoutingTable(randomId(rand), { k: 5 })
  const model = new Set<string>()
  const known: Uint8Array[] = []
  let expectSize = 0
  for (let i = 0; i < 4000; i++) {
    const r = rand()
    if (r < 0.6 || known.length === 0) {
      const id = rand() < 0.5 ? randomId(rand) : idNear(table.id, Math.floor(rand() * 30), rand)
      known.push(id)
      const res = table.add(node(id, i), i)
      if (res.type === 'added') { expectSize++; model.add(hex(id)) }
      if (res.type === 'full' || res.type === 'self') assert.equal(table.has(id), false)
    } else if (r < 0.75) {
      const id = known[Math.floor(rand() * known.length)]!
      const wasIn = model.has(hex(id))
      const res = table.add(node(id, i), i) // present: refreshed; removed or once full: may get in now
      assert.equal(res.type === 'refreshed', wasIn)
      if (res.type === 'added') { expectSize++; model.add(hex(id)) }
    } else if (r < 0.78) {
      assert.equal(table.add(node(table.id.slice()), i).type, 'self')
    } else {
      const id = known[Math.floor(rand() * known.length)]!
      const removed = table.remove(id)
      assert.equal(removed !== null, model.has(hex(id)))
      if (removed !== null) { expectSize--; model.delete(hex(id)) }
    }
    assert.equal(table.size, expectSize)
  }
  assert.equal(table.size, model.size)
  for (const id of known) {
    assert.equal(table.has(id), model.has(hex(id)))
    const entry = table.get(id)
    assert.equal(entry !== null, model.has(hex(id)))
    if (entry !== null) assert.equal(hex(entry.id), hex(id))
  }
  assert.equal(table.toArray().length, table.size)
  assert.equal([...table.stalest()].length, table.size)
})

test('get tells apart ids of one bucket that share their first 4 bytes', () => {
  const rand = prng(5)
  const table = new RoutingTable(randomId(rand))
  // 40 leading bits in common with the table's id: one bucket, one 32-bit prefix
  const ids = Array.from({ length: 6 }, () => idNear(table.id, 40, rand))
  ids.forEach((id, i) => assert.equal(table.add(node(id, i), i).type, 'added'))
  ids.forEach((id) => assert.equal(hex(table.get(id)!.id), hex(id)))
  assert.notEqual(table.remove(ids[2]!), null)
  assert.equal(table.get(ids[2]!), null)
  assert.equal(table.has(ids[2]!), false)
  for (const id of [...ids.slice(0, 2), ...ids.slice(3)]) assert.equal(hex(table.seen({ id }, 10)!.id), hex(id))
  assert.equal(table.add(node(ids[3]!, 11), 11).type, 'refreshed')
})

test('entries are plain objects of one fixed shape', () => {
  const rand = prng(32)
  const table = new RoutingTable(randomId(rand))
  for (let i = 0; i < 300; i++) table.add(node(randomId(rand), i), i)
  for (const entry of table.toArray()) {
    assert.deepEqual(Object.keys(entry), ['id', 'host', 'port', 'added', 'seen', 'prev', 'next'])
    assert.equal(Object.getPrototypeOf(entry), Object.prototype)
  }
})

test('ids are stored as given: a view into a larger buffer works as a key', () => {
  const rand = prng(33)
  const table = new RoutingTable(randomId(rand))
  const datagram = new Uint8Array(100)
  datagram.set(randomId(rand), 40)
  const view = datagram.subarray(40, 72)
  const res = table.add(node(view), 0)
  assert.ok(res.type === 'added')
  assert.equal(res.entry.id, view)
  assert.equal(table.has(view.slice()), true)
  assert.equal(table.has(Buffer.from(view)), true, 'a Buffer is a Uint8Array too')
})

test('the package exports its documented surface', async () => {
  const mod = await import('@dht/table')
  assert.deepEqual(Object.keys(mod).sort(), [
    'K', 'RoutingTable', 'TableError', 'bucketIndex', 'compareDistance', 'createEntry', 'isTableError', 'xorDistance'
  ])
  assert.equal(mod.K, 20)
  const a = new Uint8Array(32)
  const b = new Uint8Array(32)
  b[0] = 0x0f
  assert.deepEqual([...mod.xorDistance(a, b)].slice(0, 2), [0x0f, 0])
  assert.ok(mod.compareDistance(a, a, b) < 0)
  assert.ok(mod.compareDistance(a, b, a) > 0)
  assert.equal(mod.compareDistance(a, b, b.slice()), 0)
  const entry = mod.createEntry({ id: b, host: '1.2.3.4', port: 5 }, 7)
  assert.deepEqual({ ...entry }, { id: b, host: '1.2.3.4', port: 5, added: 7, seen: 7, prev: null, next: null })
})
