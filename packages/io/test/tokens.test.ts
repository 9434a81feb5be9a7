import test from 'node:test'
import assert from 'node:assert/strict'
import { Tokens } from '@dht/io'
import { SeededRandom } from '@dht/sim'

test('a token verifies for the host and port it was made for, only', () => {
  const tokens = new Tokens(new SeededRandom(1))
  const token = tokens.create('10.0.0.1', 4000)
  assert.equal(token.byteLength, 32)
  assert.ok(tokens.verify(token, '10.0.0.1', 4000))
  assert.ok(!tokens.verify(token, '10.0.0.1', 4001))
  assert.ok(!tokens.verify(token, '10.0.0.2', 4000))
  assert.ok(!tokens.verify(token.subarray(0, 31), '10.0.0.1', 4000))
  const forged = Buffer.from(token)
  forged[0]! ^= 1
  assert.ok(!tokens.verify(forged, '10.0.0.1', 4000))
})

test('a token outlives one rotation and not two', () => {
  const tokens = new Tokens(new SeededRandom(2))
  const token = tokens.create('10.0.0.1', 4000)
  tokens.rotate()
  assert.ok(tokens.verify(token, '10.0.0.1', 4000))
  tokens.create('10.0.0.9', 1) // a token handed out since: the next rotation retires the secret
  tokens.rotate()
  assert.ok(!tokens.verify(token, '10.0.0.1', 4000))
})

test('secrets rotate only when a token was handed out since the last rotation', () => {
  const tokens = new Tokens(new SeededRandom(3))
  const token = tokens.create('10.0.0.1', 4000)
  tokens.rotate()
  tokens.rotate()
  tokens.rotate()
  assert.ok(tokens.verify(token, '10.0.0.1', 4000))
})

test('two nodes make different tokens for the same requester', () => {
  const a = new Tokens(new SeededRandom(4)).create('10.0.0.1', 4000)
  const b = new Tokens(new SeededRandom(5)).create('10.0.0.1', 4000)
  assert.notDeepEqual(a, b)
})
