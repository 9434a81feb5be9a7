import test from 'node:test'
import assert from 'node:assert/strict'
import { RoutingTable, K } from '@dht/table'
import type { TableEntry } from '@dht/table'
import { assertSameEntries, bruteClosest, bruteRekey, flipBit, hex, idNear, node, prng, randomId } from './helpers.js'

/** A table with varied seen ticks, each operation at its own tick. */
function liveTable (seed: number, count: number, k = K): { table: RoutingTable, rand: () => number } {
  const rand = prng(seed)
  const table = new RoutingTable(randomId(rand), { k })
  let tick = 0
  for (let i = 0; i < count; i++) {
    const id = i % 2 === 0 ? randomId(rand) : idNear(table.id, Math.floor(rand() * 32), rand)
    table.add(node(id, i), ++tick)
    if (rand() < 0.3 && table.size > 0) {
      const some = table.closest(randomId(rand), 1)[0]!
      table.seen(some, ++tick)
    }
  }
  return { table, rand }
}

test('rekey() keeps exactly what a brute-force computation says fits, freshest first', () => {
  for (const seed of [41, 42, 43, 44]) {
    const { table, rand } = liveTable(seed, 3000)
    const before = [...table.stalest()]
    const snapshot = new Map(before.map(e => [e, { added: e.added, seen: e.seen }]))
    // New ids: a random one, one near the old id, and one equal to an entry's id.
    const newIds = [randomId(rand), idNear(table.id, 3, rand), before[Math.floor(rand() * before.length)]!.id.slice()]
    const newId = newIds[seed % newIds.length]!
    const expected = bruteRekey(before, newId, table.k)

    const { table: next, dropped } = table.rekey(newId)

    assert.equal(next.id, newId)
    assert.equal(next.k, table.k)
    assert.equal(next.size, expected.kept.size, `seed ${seed}`)
    assert.equal(dropped.length, expected.dropped.size)
    assert.equal(next.size + dropped.length, before.length)
    for (const e of dropped) assert.ok(expected.dropped.has(e), 'dropped only what does not fit')
    for (const e of expected.kept) assert.equal(next.get(e.id), e, 'kept as the same entry object')
    for (const e of before) assert.deepEqual({ added: e.added, seen: e.seen }, snapshot.get(e), 'added and seen unchanged')

    // Stalest-first order carries over, without the dropped.
    assertSameEntries([...next.stalest()], before.filter(e => expected.kept.has(e)), 'order kept')
    for (const e of dropped) assert.ok(e.prev === null && e.next === null)

    // The new table works: closest() agrees with brute force around the new id.
    const members = [...expected.kept]
    for (let i = 0; i < 30; i++) {
      const target = i === 0 ? newId : randomId(rand)
      assertSameEntries(next.closest(target, 20), bruteClosest(members, target, 20), 'closest after rekey')
    }

    // The old table is left empty and still usable.
    assert.equal(table.size, 0)
    assert.deepEqual(table.oldest(5), [])
    assert.deepEqual(table.toArray(), [])
    assert.equal(table.add(node(randomId(rand)), 1).type, 'added')
  }
})

test('rekey() drops the entry that has the new id itself, and keeps one per bucket when k = 1', () => {
  const { table } = liveTable(45, 200, 1)
  const before = [...table.stalest()]
  const target = before[0]!
  const { table: next, dropped } = table.rekey(target.id.slice())
  assert.ok(dropped.includes(target), 'the entry with the new id is dropped')
  assert.equal(next.has(target.id), false)
  const expected = bruteRekey(before, target.id, 1)
  assert.equal(next.size, expected.kept.size)
  for (const e of next.toArray()) assert.ok(expected.kept.has(e))
})

test('rekey() to a nearby id keeps nearly everything; to the same id keeps everything', () => {
  const { table } = liveTable(46, 1000)
  const size = table.size
  const same = table.rekey(table.id.slice())
  assert.equal(same.table.size, size)
  assert.deepEqual(same.dropped, [])
  const near = same.table.rekey(flipBit(same.table.id, 255))
  assert.equal(near.table.size + near.dropped.length, size)
  assert.ok(near.dropped.length <= 1, `dropped ${near.dropped.length}`)
  assert.equal(hex(near.table.id), hex(flipBit(table.id, 255)))
})
