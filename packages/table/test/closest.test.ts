import test from 'node:test'
import assert from 'node:assert/strict'
import fc from 'fast-check'
import { RoutingTable, K } from '@dht/table'
import type { TableEntry } from '@dht/table'
import { BruteForce, assertSameEntries, bruteClosest, flipBit, hex, idNear, node, prng, randomId } from './helpers.js'

/** A table around a random id, fed `count` ids: half uniform, half near the own id. */
function filledTable (seed: number, count: number, k = K): { table: RoutingTable, members: Map<string, TableEntry>, rand: () => number } {
  const rand = prng(seed)
  const table = new RoutingTable(randomId(rand), { k })
  const members = new Map<string, TableEntry>()
  for (let i = 0; i < count; i++) {
    const id = i % 2 === 0 ? randomId(rand) : idNear(table.id, Math.floor(rand() * 48), rand)
    const res = table.add(node(id, i), i)
    if (res.type === 'added') members.set(hex(id), res.entry)
  }
  return { table, members, rand }
}

test('closest() equals a brute-force XOR sort over thousands of ids and many targets', () => {
  let calls = 0
  for (const seed of [1, 2, 3]) {
    const { table, members, rand } = filledTable(seed, 4000)
    assert.equal(table.size, members.size)
    assert.ok(table.size > 300, `table holds ${table.size}`)

    const entries = [...members.values()]
    const targets: Uint8Array[] = [table.id, flipBit(table.id, 255), flipBit(table.id, 0)]
    for (let i = 0; i < 100; i++) targets.push(randomId(rand))
    for (let i = 0; i < 30; i++) {
      const entry = entries[Math.floor(rand() * entries.length)]!
      targets.push(entry.id, flipBit(entry.id, 255 - Math.floor(rand() * 16)))
    }
    for (let i = 0; i < 30; i++) targets.push(idNear(table.id, Math.floor(rand() * 48), rand))

    const brute = new BruteForce(entries)
    for (const target of targets) {
      const expected = brute.closest(target, entries.length)
      for (const n of [0, 1, 2, 20, 37, table.size - 1, table.size, table.size + 5]) {
        calls++
        assertSameEntries(table.closest(target, n), expected.slice(0, n), `seed ${seed} n ${n} target ${hex(target)}`)
      }
      assertSameEntries(table.closest(target), expected.slice(0, K), 'n defaults to k')
    }
  }
  assert.ok(calls > 4000, `${calls} calls`)
})

test('closest() equals brute force for arbitrary tables with small buckets (property)', () => {
  const own = new Uint8Array(32).fill(0x5a)
  const id32 = fc.uint8Array({ minLength: 32, maxLength: 32 })
  // An id given by how many leading bits it shares with `own`, so deep buckets get used too.
  const near = fc.tuple(fc.integer({ min: 0, max: 255 }), id32).map(([prefix, tail]) => {
    let seed = 0
    for (const b of tail) seed = (seed * 31 + b) >>> 0
    return idNear(own, prefix, prng(seed))
  })
  const targetArb = fc.oneof(id32, near, fc.constant(own))
  fc.assert(
    fc.property(
      fc.integer({ min: 1, max: 4 }),
      fc.array(fc.oneof(id32, near), { maxLength: 150 }),
      fc.array(targetArb, { minLength: 1, maxLength: 5 }),
      fc.integer({ min: 0, max: 60 }),
      (k, list, targets, n) => {
        const table = new RoutingTable(own, { k })
        const members: TableEntry[] = []
        list.forEach((id, i) => {
          const res = table.add(node(id, i), i)
          if (res.type === 'added') members.push(res.entry)
        })
        for (const target of [...targets, ...members.slice(0, 3).map(m => m.id)]) {
          assertSameEntries(table.closest(target, n), bruteClosest(members, target, n), `k ${k} n ${n}`)
        }
      }
    ),
    { seed: 20240601, numRuns: 400 }
  )
})

test('toArray() holds every entry, nearest to the own id first', () => {
  const { table, members } = filledTable(7, 1500)
  const all = table.toArray()
  assert.equal(all.length, table.size)
  assertSameEntries(all, bruteClosest(members.values(), table.id, members.size), 'toArray')
})

test('closest() on an empty table, and with n = 0', () => {
  const rand = prng(3)
  const table = new RoutingTable(randomId(rand))
  assert.deepEqual(table.closest(randomId(rand)), [])
  assert.deepEqual(table.closest(table.id, 5), [])
  table.add(node(randomId(rand)), 0)
  assert.deepEqual(table.closest(table.id, 0), [])
  assert.equal(table.closest(table.id, 1).length, 1)
})

test('closest() returns a fresh array each call (callers may keep or mutate it)', () => {
  const { table } = filledTable(9, 200)
  const a = table.closest(table.id)
  a.length = 0
  assert.equal(table.closest(table.id).length, K)
})

test('closest() orders ids whose distances tie on the rows\' 32-bit prefixes by the rest of their ids', () => {
  const rand = prng(31)
  const table = new RoutingTable(randomId(rand), { k: 64 })
  const target = randomId(rand)
  // 40 ids sharing 31 to 39 leading bits with the target: most of their distances agree on
  // the first 32 bits, which the rows' prefixes give, and only their ids can order them
  const members: TableEntry[] = []
  for (let i = 0; i < 40; i++) {
    const id = idNear(target, 31 + Math.floor(rand() * 9), rand)
    const res = table.add(node(id, i), i)
    if (res.type === 'added') members.push(res.entry)
  }
  assert.ok(members.length >= 30, `${members.length} added`)
  for (const n of [1, 5, 20, members.length]) {
    assertSameEntries(table.closest(target, n), bruteClosest(members, target, n), `n ${n}`)
  }
})
