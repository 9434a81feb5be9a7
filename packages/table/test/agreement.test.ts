// The table against a plain model (a map of the entries it should hold) through random
// sequences of add, remove, seen and rekey: after every step, every answer the table gives
// (size, get, has, closest, toArray, random, the least-recently-seen order, a full bucket's
// stalest) must be what a brute-force scan of the model says.

import test from 'node:test'
import assert from 'node:assert/strict'
import fc from 'fast-check'
import { RoutingTable } from '@dht/table'
import type { TableEntry } from '@dht/table'
import { assertSameEntries, bruteBucket, bruteClosest, bruteRekey, byStaleness, hex, idNear, node, prng } from './helpers.js'

type Op =
  | { type: 'add', id: number }
  | { type: 'remove', id: number }
  | { type: 'seen', id: number }
  | { type: 'rekey', id: number }
  | { type: 'check', id: number, n: number }

const POOL = 48
const OWN = new Uint8Array(32).fill(0xa5)

/**
 * The ids the operations pick from (by index): random ones, ones sharing 0 to 40 leading bits
 * with the first own id (so that deep buckets fill and some ids of one bucket share their first
 * 4 bytes), and the first own id itself.
 */
function pool (seed: number): Uint8Array[] {
  const rand = prng(seed)
  const ids: Uint8Array[] = [OWN.slice()]
  while (ids.length < POOL) ids.push(idNear(OWN, Math.floor(rand() * (ids.length % 2 === 0 ? 41 : 8)), rand))
  return ids
}

const index = fc.integer({ min: 0, max: POOL - 1 })
const op: fc.Arbitrary<Op> = fc.oneof(
  { weight: 6, arbitrary: index.map((id): Op => ({ type: 'add', id })) },
  { weight: 2, arbitrary: index.map((id): Op => ({ type: 'remove', id })) },
  { weight: 2, arbitrary: index.map((id): Op => ({ type: 'seen', id })) },
  { weight: 1, arbitrary: index.map((id): Op => ({ type: 'rekey', id })) },
  { weight: 2, arbitrary: fc.tuple(index, fc.integer({ min: 0, max: 30 })).map(([id, n]): Op => ({ type: 'check', id, n })) }
)

class Model {
  table: RoutingTable
  readonly entries = new Map<string, TableEntry>()

  constructor (k: number) {
    this.table = new RoutingTable(OWN, { k })
  }

  inBucket (bucket: number): TableEntry[] {
    return [...this.entries.values()].filter((e) => bruteBucket(this.table.id, e.id) === bucket)
  }

  step (o: Op, ids: readonly Uint8Array[], tick: number): void {
    const id = ids[o.id]!
    const known = this.entries.get(hex(id)) ?? null
    switch (o.type) {
      case 'add': {
        const res = this.table.add(node(id, o.id), tick)
        const bucket = bruteBucket(this.table.id, id)
        if (known !== null) assert.ok(res.type === 'refreshed' && res.entry === known, 'a known id is refreshed')
        else if (bucket === 256) assert.equal(res.type, 'self')
        else if (this.inBucket(bucket).length >= this.table.k) {
          assert.ok(res.type === 'full', 'a bucket of k is full')
          assert.equal(res.bucket, bucket)
          assert.equal(res.stalest, this.inBucket(bucket).sort(byStaleness)[0], 'the stalest of the bucket')
        } else {
          assert.ok(res.type === 'added')
          this.entries.set(hex(id), res.entry)
        }
        break
      }
      case 'remove':
        assert.equal(this.table.remove(id), known)
        this.entries.delete(hex(id))
        break
      case 'seen':
        assert.equal(this.table.seen({ id: id.slice() }, tick), known)
        break
      case 'rekey': {
        const expected = bruteRekey([...this.entries.values()], id, this.table.k)
        const { table, dropped } = this.table.rekey(id.slice())
        assert.equal(dropped.length, expected.dropped.size)
        for (const e of dropped) assert.ok(expected.dropped.has(e), 'dropped only what does not fit')
        for (const e of dropped) this.entries.delete(hex(e.id))
        assert.equal(this.table.size, 0, 'the old table is left empty')
        this.table = table
        break
      }
      case 'check':
        assertSameEntries(this.table.closest(id, o.n), bruteClosest(this.entries.values(), id, o.n), `closest(id ${o.id}, ${o.n})`)
        break
    }
  }

  // every answer of the table against a scan of the model
  agree (ids: readonly Uint8Array[]): void {
    const table = this.table
    const entries = [...this.entries.values()]
    assert.equal(table.size, entries.length)
    for (const id of ids) {
      const expected = this.entries.get(hex(id)) ?? null
      assert.equal(table.get(id.slice()), expected, `get(${hex(id).slice(0, 12)})`)
      assert.equal(table.has(id), expected !== null)
    }
    assertSameEntries(table.toArray(), bruteClosest(entries, table.id, entries.length), 'toArray')
    assertSameEntries(table.closest(table.id), bruteClosest(entries, table.id, table.k), 'closest(own id)')
    assertSameEntries([...table.stalest()], entries.sort(byStaleness), 'least recently seen first')
    const drawn = new Set(entries.map((_, i) => table.random(() => (i + 0.5) / entries.length)))
    assert.equal(drawn.size, entries.length, 'random() reaches every entry')
  }
}

test('the table agrees with a brute-force scan after random adds, removes, seens and rekeys (property)', () => {
  fc.assert(
    fc.property(
      fc.integer({ min: 1, max: 4 }),
      fc.integer({ min: 0, max: 1000 }),
      fc.array(op, { maxLength: 120 }),
      (k, seed, ops) => {
        const ids = pool(seed)
        const model = new Model(k)
        ops.forEach((o, tick) => {
          model.step(o, ids, tick)
          model.agree(ids)
        })
      }
    ),
    { seed: 20250125, numRuns: 300 }
  )
})
