// Runs one query over a fake network to its end and collects what it did.

import type { Query } from '@dht/query'
import { drive } from './drive.js'
import type { FakeNetwork, Sent } from './network.js'

export interface Run<T> {
  /** Everything the stream emitted, in order. */
  data: T[]
  /** The clock's time when the stream closed (ms since the network was made). */
  time: number
  /** What finished() rejected with, or null. */
  error: Error | null
  /** The requests the query sent (commits included). */
  sends: Sent[]
}

export async function run<D, T> (net: FakeNetwork, q: Query<D, T>): Promise<Run<T>> {
  const start = net.sent.length
  const data: T[] = []
  q.on('data', (d) => { data.push(d) })
  const finished = q.finished().then(() => null, (err: unknown) => err as Error)
  const time = await drive(net, q)
  const error = await finished
  return { data, time, error, sends: net.sent.slice(start) }
}
