// Lookups that run at once share one budget of requests in flight.

import test from 'node:test'
import assert from 'node:assert/strict'
import { Query, QueryError, WidthShare } from '@dht/query'
import { FakeNetwork } from './support/network.js'
import { drive } from './support/drive.js'

test('a lone member gets max; more share the budget, never below min nor above max', () => {
  const share = new WidthShare({ budget: 80, max: 20 })
  assert.equal(share.min, 3)
  assert.equal(share.widthFor(0), 20)
  assert.equal(share.widthFor(1), 20)
  assert.equal(share.widthFor(4), 20)
  assert.equal(share.widthFor(5), 16)
  assert.equal(share.widthFor(8), 10)
  assert.equal(share.widthFor(32), 3) // 2.5 rounds down, then min
  assert.equal(share.widthFor(1000), 3)
  // a budget below max still lets a lone member run at max
  assert.equal(new WidthShare({ budget: 10, max: 20 }).widthFor(1), 20)
  // max wins over min
  assert.equal(new WidthShare({ budget: 80, max: 2 }).widthFor(100), 2)
})

test('the width follows the lookups that entered and have not left', () => {
  const share = new WidthShare({ budget: 40, max: 20, min: 2 })
  const width = share.width // a bound function, passed as a lookup's concurrency
  share.enter()
  assert.equal(width(), 20)
  share.enter()
  assert.equal(width(), 20)
  share.enter()
  assert.equal(width(), 13)
  assert.equal(share.size, 3)
  share.leave()
  assert.equal(width(), 20)
  share.leave()
  share.leave()
  share.leave() // more leaves than enters: none left
  assert.equal(share.size, 0)
  share.enter()
  share.enter()
  share.configure({ max: 5 })
  assert.equal(width(), 5)
  share.configure({ budget: 6, max: 20 })
  assert.equal(width(), 3)
})

test('bad widths are rejected with a QueryError', () => {
  for (const bad of [0, -1, 1.5, Number.NaN, '3', null]) {
    assert.throws(() => new WidthShare({ budget: bad as number, max: 20 }), (err: unknown) => err instanceof QueryError && err.code === 'INVALID_ARGUMENT' && /budget/.test(err.message))
    assert.throws(() => new WidthShare({ budget: 80, max: bad as number }), QueryError)
    if (bad !== null) assert.throws(() => new WidthShare({ budget: 80, max: 20, min: bad as number }), QueryError) // null: the default
  }
  const share = new WidthShare({ budget: 80, max: 20 })
  assert.throws(() => share.configure({ max: 0 }), QueryError)
  assert.equal(share.max, 20, 'a rejected change leaves the share as it was')
})

test('narrowed lookups ask fewer nodes at once, send fewer requests, and still find the 20 closest', async () => {
  const lookups = async (share: WidthShare | null): Promise<{ maxActive: number, sends: number, found: boolean[] }> => {
    const net = new FakeNetwork({ size: 400, seed: 11, latency: 10 })
    const targets = [1, 2, 3, 4].map((i) => net.nodes[i * 50]!.id)
    const queries = targets.map((t) => new Query(net.host(), t, 'find_node', null, share === null ? {} : { concurrency: share.width }, null))
    if (share !== null) for (let i = 0; i < queries.length; i++) share.enter()
    for (const q of queries) q.on('data', () => {})
    await drive(net, { destroyed: false }, () => queries.every((q) => q.destroyed))
    const address = (p: { host: string, port: number }): string => `${p.host}:${p.port}`
    const found = queries.map((q, i) => q.closestReplies.map((r) => address(r.from)).join() === net.trueClosest(targets[i]!).map(address).join())
    return { maxActive: net.maxActive, sends: net.sent.length, found }
  }
  const wide = await lookups(null)
  const narrow = await lookups(new WidthShare({ budget: 12, max: 20 }))
  assert.equal(wide.maxActive, 80, 'alone, each of 4 lookups asks 20 nodes at once')
  assert.equal(narrow.maxActive, 12, 'shared: 3 at once each')
  assert.deepEqual(narrow.found, [true, true, true, true], 'every narrowed lookup finds the true 20 closest')
  assert.deepEqual(wide.found, [true, true, true, true])
  assert.ok(narrow.sends < wide.sends, `fewer requests in all: ${narrow.sends} against ${wide.sends}`)
})
