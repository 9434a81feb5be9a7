import test from 'node:test'
import assert from 'node:assert/strict'
import { RoutingTable, isTableError } from '@dht/table'
import type { TableEntry } from '@dht/table'
import { idNear, node, prng, randomId } from './helpers.js'

function table (seed: number): RoutingTable {
  const rand = prng(seed)
  const t = new RoutingTable(randomId(rand))
  for (let i = 0; i < 2000; i++) t.add(node(idNear(t.id, Math.floor(rand() * 30), rand), i), i)
  return t
}

test('random() maps [0, 1) onto the entries one to one', () => {
  const t = table(51)
  const size = t.size
  const picked = new Set<TableEntry>()
  for (let i = 0; i < size; i++) {
    const e = t.random(() => (i + 0.5) / size)
    assert.ok(e !== null)
    picked.add(e)
  }
  assert.equal(picked.size, size, 'every entry exactly once')
  assert.equal(t.random(() => 0), t.random(() => 0))
  assert.notEqual(t.random(() => 0.999999999), null)
})

test('random() with a seeded source covers every entry, roughly evenly', () => {
  const t = table(52)
  const rand = prng(7)
  const counts = new Map<TableEntry, number>()
  const draws = t.size * 60
  for (let i = 0; i < draws; i++) {
    const e = t.random(rand)!
    counts.set(e, (counts.get(e) ?? 0) + 1)
  }
  assert.equal(counts.size, t.size)
  for (const c of counts.values()) assert.ok(c > 20 && c < 110, `drawn ${c} times, expected about 60`)
})

test('random() is deterministic for a given source', () => {
  const t = table(53)
  const a = prng(99)
  const b = prng(99)
  for (let i = 0; i < 100; i++) assert.equal(t.random(a), t.random(b))
})

test('random() of an empty table is null without drawing; a bad draw is an error', () => {
  let calls = 0
  assert.equal(new RoutingTable(new Uint8Array(32)).random(() => { calls++; return 0.5 }), null)
  assert.equal(calls, 0)
  const t = table(54)
  for (const bad of [1, -0.1, Number.NaN, 2]) {
    assert.throws(() => t.random(() => bad), err => isTableError(err, 'INVALID_ARGUMENT'))
  }
  assert.notEqual(t.random(), null, 'defaults to Math.random')
})
