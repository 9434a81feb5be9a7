import test from 'node:test'
import assert from 'node:assert/strict'
import { SeededRandom } from '@dht/sim'

test('the seeded random repeats for a seed and spreads over [0, 1)', () => {
  const a = new SeededRandom(42)
  const b = new SeededRandom(42)
  const xs = Array.from({ length: 10000 }, () => a.next())
  assert.deepEqual(xs.slice(0, 100), Array.from({ length: 100 }, () => b.next()))
  assert.ok(xs.every((x) => x >= 0 && x < 1))
  const mean = xs.reduce((s, x) => s + x, 0) / xs.length
  assert.ok(Math.abs(mean - 0.5) < 0.02, `mean ${mean}`)
  const buf = new Uint8Array(7)
  new SeededRandom(1).fill(buf)
  assert.ok(buf.some((x) => x !== 0))
})
