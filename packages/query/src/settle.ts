// Waiting on many requests at once: done as soon as enough have succeeded, failed as soon as
// too many have failed, and never leaving a rejection unhandled behind.

import { QueryError } from './errors.js'

/**
 * Resolves with the values of the promises that fulfil, in the order they fulfil, as soon
 * as `max` have fulfilled or every promise has settled with at least `min` fulfilled.
 * Rejects with a `TOO_MANY_FAILED` {@link QueryError} (its `cause` an AggregateError of the
 * failures so far) as soon as fewer than `min` can still fulfil. Every promise gets a
 * rejection handler, so late failures are never unhandled.
 *
 * @param min - fewest fulfilled values to succeed. @default 1
 * @param max - most values to wait for. @default the number of promises
 */
export function settleAtLeast<T> (promises: Iterable<PromiseLike<T> | T>, min = 1, max = Infinity): Promise<T[]> {
  const list = Array.from(promises)
  if (!Number.isInteger(min) || min < 0) throw QueryError.INVALID_ARGUMENT('min', 'a non-negative integer', min)
  if (max !== Infinity && (!Number.isInteger(max) || max < 0)) throw QueryError.INVALID_ARGUMENT('max', 'a non-negative integer', max)
  const wanted = Math.min(max, list.length)
  return new Promise<T[]>((resolve, reject) => {
    const values: T[] = []
    const errors: unknown[] = []
    let done = false
    const check = (): void => {
      if (done) return
      if (list.length - errors.length < min) {
        done = true
        reject(QueryError.TOO_MANY_FAILED(min, errors))
      } else if (values.length >= wanted || values.length + errors.length === list.length) {
        done = true
        resolve(values)
      }
    }
    for (const p of list) {
      Promise.resolve(p).then((value) => {
        if (done) return
        values.push(value)
        check()
      }, (err: unknown) => {
        if (done) return
        errors.push(err)
        check()
      })
    }
    check()
  })
}
