// `query.finished()`: a promise of a stream's close, which reads the stream to its end so that
// a query nobody else reads still runs.

import { getStreamError } from 'streamx'
import type { Readable } from 'streamx'

/**
 * Resolves when `stream` has closed, rejects with its error, or with `abortedWith().reason`
 * when it was destroyed by its signal (streamx would not keep a falsy reason as the error).
 */
export function finished (stream: Readable, abortedWith: () => { reason: unknown } | null): Promise<void> {
  return new Promise((resolve, reject) => {
    const settle = (): void => {
      const aborted = abortedWith()
      if (aborted !== null) {
        reject(aborted.reason)
        return
      }
      const err = getStreamError(stream)
      if (err === null) resolve()
      else reject(err)
    }
    if (stream.destroyed) {
      settle()
      return
    }
    const onerror = (): void => {} // the error is read from the stream on close
    const onclose = (): void => {
      stream.removeListener('error', onerror)
      stream.removeListener('close', onclose)
      settle()
    }
    stream.on('error', onerror)
    stream.on('close', onclose)
    stream.resume()
  })
}
