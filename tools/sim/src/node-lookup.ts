// A find_node lookup from one node, watched from outside: the depth of referrals that led to
// the target's reply, the requests sent, and when the target replied and the lookup ended.

import type { ManualClock } from '@dht/sim'
import type { DHT } from '@dht/rpc'
import type { LookupOutcome } from './cluster.js'

/** Starts the lookup; the promise settles when it ends (the caller runs the clock). */
export function watchLookup (dht: DHT, target: { id: Uint8Array, host: string, port: number }, clock: ManualClock): Promise<LookupOutcome> {
  const started = clock.now()
  // depth of each address: 1 for what the querying node knew, +1 for each referral
  const depth = new Map<string, number>()
  let targetAt: number | null = null
  let targetDepth = 0
  const query = dht.query(target.id, 'find_node', null)
  query.on('data', (reply) => {
    const key = `${reply.from.host}:${reply.from.port}`
    const d = depth.get(key) ?? 1
    for (const node of reply.closerNodes ?? []) {
      const k = `${node.host}:${node.port}`
      if (!depth.has(k)) depth.set(k, d + 1)
    }
    if (reply.from.host === target.host && reply.from.port === target.port) {
      targetAt = clock.now() - started
      targetDepth = d
    }
  })
  return query.finished().then(() => ({
    hops: targetDepth,
    requests: query.successes + query.errors,
    targetAt,
    finishedAt: clock.now() - started,
    closest: query.closestReplies.map((reply) => reply.id!)
  }))
}
