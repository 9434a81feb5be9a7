import test from 'node:test'
import assert from 'node:assert/strict'
import { RoutingTable } from '@dht/table'
import type { TableEntry } from '@dht/table'
import { assertSameEntries, byStaleness, hex, idNear, idWith, node, prng, randomId } from './helpers.js'

const ZERO = new Uint8Array(32)

/** Walks the list both ways and checks the links agree. */
function listOf (table: RoutingTable): TableEntry[] {
  const forward = [...table.stalest()]
  const backward: TableEntry[] = []
  let e: TableEntry | null = forward.at(-1) ?? null
  assert.equal(e?.next ?? null, null)
  for (; e !== null; e = e.prev) backward.push(e)
  assertSameEntries(backward.reverse(), forward, 'prev and next agree')
  assert.equal(forward.length, table.size)
  return forward
}

test('stalest() and oldest(n) go from least to most recently seen as seen() updates', () => {
  const table = new RoutingTable(ZERO)
  const a = table.add(node(idWith(0x80)), 1)
  const b = table.add(node(idWith(0x40)), 2)
  const c = table.add(node(idWith(0x20)), 3)
  assert.ok(a.type === 'added' && b.type === 'added' && c.type === 'added')
  assertSameEntries(listOf(table), [a.entry, b.entry, c.entry], 'insertion order')

  assert.equal(table.seen(a.entry, 4), a.entry)
  assertSameEntries(listOf(table), [b.entry, c.entry, a.entry], 'a seen last')
  table.seen({ id: idWith(0x40) }, 5) // by id, through another object
  assertSameEntries(listOf(table), [c.entry, a.entry, b.entry], 'b seen last')
  assert.equal(b.entry.seen, 5)

  assertSameEntries(table.oldest(2), [c.entry, a.entry], 'oldest(2)')
  assertSameEntries(table.oldest(10), [c.entry, a.entry, b.entry], 'oldest(n > size)')
  assert.deepEqual(table.oldest(0), [])
})

test('seen() with an older tick keeps seen and the order; unknown nodes give null', () => {
  const table = new RoutingTable(ZERO)
  const a = table.add(node(idWith(0x80)), 10)
  const b = table.add(node(idWith(0x40)), 11)
  assert.ok(a.type === 'added' && b.type === 'added')
  table.seen(a.entry, 5)
  assert.equal(a.entry.seen, 10)
  assertSameEntries(listOf(table), [a.entry, b.entry], 'unchanged')
  table.seen(a.entry, 11) // same seen as b, added earlier: still first
  assertSameEntries(listOf(table), [a.entry, b.entry], 'tie keeps added order')
  assert.equal(table.seen({ id: idWith(0x01) }, 12), null)
})

test('the least-recently-seen order matches a model under thousands of random operations', () => {
  const rand = prng(21)
  const table = new RoutingTable(randomId(rand), { k: 6 })
  const model = new Map<string, TableEntry>()
  let tick = 0
  for (let step = 0; step < 6000; step++) {
    tick++ // every operation at its own tick, so (seen, added) orders entries strictly
    const op = rand()
    const present = [...model.values()]
    if (op < 0.5 || present.length === 0) {
      const res = table.add(node(idNear(table.id, Math.floor(rand() * 24), rand), step), tick)
      if (res.type === 'added') model.set(hex(res.entry.id), res.entry)
    } else if (op < 0.8) {
      const e = present[Math.floor(rand() * present.length)]!
      assert.equal(table.seen(e, tick), e)
      assert.equal(e.seen, tick)
    } else if (op < 0.9) {
      const e = present[Math.floor(rand() * present.length)]!
      assert.equal(table.add(node(e.id), tick).type, 'refreshed')
    } else {
      const e = present[Math.floor(rand() * present.length)]!
      assert.equal(table.remove(e.id), e)
      assert.equal(e.prev, null)
      assert.equal(e.next, null)
      model.delete(hex(e.id))
    }
    if (step % 97 === 0) {
      const expected = [...model.values()].sort(byStaleness)
      assertSameEntries(listOf(table), expected, `step ${step}`)
      assertSameEntries(table.oldest(5), expected.slice(0, 5), `oldest at step ${step}`)
    }
  }
  assert.equal(table.size, model.size)
})

test('swap policy: a full bucket names its stalest; remove it and the new node gets in', () => {
  const table = new RoutingTable(ZERO, { k: 3 })
  const entries: TableEntry[] = []
  for (let i = 0; i < 3; i++) {
    const res = table.add(node(idWith(0x80, i)), i)
    if (res.type === 'added') entries.push(res.entry)
  }
  table.seen(entries[0]!, 10) // entries[1] is now the stalest
  const newcomer = node(idWith(0x80, 42))

  const full = table.add(newcomer, 11)
  assert.ok(full.type === 'full')
  assert.equal(full.stalest, entries[1])

  // The caller pinged it and it did not answer:
  assert.equal(table.remove(full.stalest.id), entries[1])
  assert.equal(table.has(full.stalest.id), false)
  const swapped = table.add(newcomer, 12)
  assert.ok(swapped.type === 'added')
  assert.equal(table.size, 3)
  assertSameEntries(listOf(table), [entries[2]!, entries[0]!, swapped.entry], 'newcomer is the freshest')

  // Had it answered, the caller marks it seen and the newcomer stays out.
  const another = node(idWith(0x80, 43))
  const full2 = table.add(another, 13)
  assert.ok(full2.type === 'full')
  assert.equal(full2.stalest, entries[2])
  table.seen(full2.stalest, 13)
  const full3 = table.add(another, 14)
  assert.ok(full3.type === 'full')
  assert.equal(full3.stalest, entries[0])
})

test('remove() of an absent id returns null and changes nothing', () => {
  const table = new RoutingTable(ZERO)
  table.add(node(idWith(0x80)), 0)
  assert.equal(table.remove(idWith(0x81)), null)
  assert.equal(table.remove(ZERO), null)
  assert.equal(table.size, 1)
})
