import test from 'node:test'
import assert from 'node:assert/strict'
import fc from 'fast-check'
import { isQueryError, settleAtLeast } from '@dht/query'

function later<T> (ms: number, value: T, fail = false): Promise<T> {
  return new Promise((resolve, reject) => setTimeout(() => (fail ? reject(new Error(String(value))) : resolve(value)), ms))
}

test('resolves with every value when all succeed', async () => {
  assert.deepEqual(await settleAtLeast([later(3, 'a'), later(1, 'b'), Promise.resolve('c')]), ['c', 'b', 'a'])
})

test('resolves as soon as max values are in, without waiting for the rest', async () => {
  const never = new Promise<string>(() => {})
  assert.deepEqual(await settleAtLeast([never, later(1, 'x'), later(2, 'y'), never], 1, 2), ['x', 'y'])
})

test('waits for everything to settle when fewer than max succeed, and resolves with at least min', async () => {
  const values = await settleAtLeast([later(1, 'a', true), later(5, 'b'), later(2, 'c', true)], 1)
  assert.deepEqual(values, ['b'])
})

test('rejects as soon as fewer than min can succeed, with the failures as cause', async () => {
  const never = new Promise<string>(() => {})
  const err = await settleAtLeast([later(1, 'a', true), never, later(2, 'b')], 3).then(() => null, (e: unknown) => e)
  assert.ok(isQueryError(err, 'TOO_MANY_FAILED'))
  assert.ok(err.cause instanceof AggregateError)
  assert.deepEqual(err.cause.errors.map((e: Error) => e.message), ['a'])
})

test('empty input: resolves with min 0, rejects with min 1', async () => {
  assert.deepEqual(await settleAtLeast([], 0), [])
  await assert.rejects(settleAtLeast([]), (err) => isQueryError(err, 'TOO_MANY_FAILED'))
})

test('plain values count as fulfilled', async () => {
  assert.deepEqual(await settleAtLeast([1, 2, Promise.reject(new Error('x'))], 2), [1, 2])
})

test('bad min or max throws INVALID_ARGUMENT', () => {
  assert.throws(() => settleAtLeast([], -1), (err) => isQueryError(err, 'INVALID_ARGUMENT'))
  assert.throws(() => settleAtLeast([], 1, 1.5), (err) => isQueryError(err, 'INVALID_ARGUMENT'))
})

test('no rejection is left unhandled, whether it settles early or late', async () => {
  let unhandled = 0
  const on = (): void => { unhandled++ }
  process.on('unhandledRejection', on)
  try {
    await settleAtLeast([Promise.resolve('early'), later(5, 'late', true)], 1, 1)
    await settleAtLeast([Promise.reject(new Error('a')), later(5, 'b', true)], 2).catch(() => {})
    await later(20, null)
  } finally {
    process.removeListener('unhandledRejection', on)
  }
  assert.equal(unhandled, 0)
})

test('property: outcome and values match a direct count of the outcomes', async () => {
  const outcome = fc.record({ ok: fc.boolean(), delay: fc.integer({ min: 0, max: 3 }) })
  await fc.assert(fc.asyncProperty(
    fc.array(outcome, { maxLength: 12 }), fc.integer({ min: 0, max: 12 }), fc.integer({ min: 0, max: 14 }),
    async (outcomes, min, maxRaw) => {
      const max = Math.max(min, maxRaw)
      const promises = outcomes.map((o, i) => later(o.delay, i, !o.ok))
      const successes = outcomes.filter((o) => o.ok).length
      const result = await settleAtLeast(promises, min, max).then((v) => v, () => null)
      if (successes < min) {
        assert.equal(result, null)
      } else {
        assert.notEqual(result, null)
        assert.equal(result!.length, Math.min(successes, max))
        assert.ok(result!.every((i) => outcomes[i]!.ok))
        assert.equal(new Set(result).size, result!.length)
      }
      await Promise.allSettled(promises)
    }
  ), { numRuns: 60, seed: 5 })
})
