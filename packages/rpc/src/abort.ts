// A call that takes an AbortSignal ends the way fetch does when it aborts: at once, rejected
// with the signal's reason, whatever was still in flight.

/**
 * `promise`, unless `signal` aborts before it settles: then a rejection with `signal.reason`.
 * The listener goes as soon as either happens, so a signal shared by many calls holds none of
 * the calls that are over.
 */
export function abortable<T> (promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (signal === undefined) return promise
  return new Promise<T>((resolve, reject) => {
    const onabort = (): void => {
      signal.removeEventListener('abort', onabort)
      reject(signal.reason)
    }
    const done = (): void => signal.removeEventListener('abort', onabort)
    // handled either way: a rejection after the abort is not left unhandled
    promise.then((value) => {
      done()
      resolve(value)
    }, (err: unknown) => {
      done()
      reject(err)
    })
    if (signal.aborted) onabort()
    else signal.addEventListener('abort', onabort)
  })
}
