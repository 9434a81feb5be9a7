import test from 'node:test'
import assert from 'node:assert/strict'
import { Fifo } from '../dist/fifo.js'

test('a queue that never empties does not keep what was taken from it', () => {
  const fifo = new Fifo<number>()
  for (let i = 0; i < 10; i++) fifo.push(i)
  let longest = 0
  for (let i = 10; i < 5000; i++) {
    assert.equal(fifo.take(), i - 10, 'first in, first out')
    fifo.push(i) // one more joins for each that leaves
    longest = Math.max(longest, fifo.held)
  }
  assert.equal(fifo.length, 10)
  assert.ok(longest <= 2100, `the array held ${longest} entries for 10 waiting`)
})

test('drain() returns what waits, in order, and empties the queue', () => {
  const fifo = new Fifo<string>()
  for (const x of ['a', 'b', 'c']) fifo.push(x)
  fifo.take()
  assert.deepEqual(fifo.drain(), ['b', 'c'])
  assert.equal(fifo.length, 0)
  assert.equal(fifo.held, 0)
  assert.equal(fifo.take(), undefined)
})
