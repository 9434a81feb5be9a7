// Lookups on the simulated network, measured from outside the node: hops, requests,
// simulated time, and whether the true closest nodes were found.

import { compareDistance } from '@dht/table'
import type { Random } from '@dht/io'
import { liveIndices } from './cluster.js'
import type { Cluster, LookupOutcome, NodeInfo } from './cluster.js'
import { summarize } from './stats.js'
import type { Summary } from './stats.js'

export interface LookupReport {
  lookups: number
  /** Longest chain of referrals from the querying node's table to the target's reply. */
  hops: Summary
  /** Requests the lookup sent. */
  requests: Summary
  /** Simulated ms from start until the target's own reply. */
  toTarget: Summary
  /** Simulated ms from start until the lookup ended. */
  toFinish: Summary
  /** Lookups whose nearest reply was the target. */
  exact: number
  /** Mean share of the true 20 closest live nodes among the lookup's closest replies. */
  recall: number
}

const K = 20

/**
 * Runs `count` find_node lookups, each from a random live node to a random live node's id,
 * `atOnce` at a time: a batch starts together and the next starts when all of it has ended.
 * Lookups from different nodes barely meet in a large network, so a batch measures what one
 * lookup alone would, and the network's background traffic (ticks, pings) runs once per batch
 * rather than once per lookup: most of the wall time of lookups one by one.
 */
export async function measureLookups (cluster: Cluster, count: number, random: Random, atOnce = 1): Promise<LookupReport> {
  if (!Number.isInteger(atOnce) || atOnce < 1) throw new RangeError(`lookups at once must be an integer >= 1, got ${atOnce}`)
  const nodes = cluster.nodes
  const live = liveIndices(cluster)
  const liveNodes = live.map((i) => nodes[i]!)
  const hops: number[] = []
  const requests: number[] = []
  const toTarget: number[] = []
  const toFinish: number[] = []
  let exact = 0
  let recall = 0
  const pairs: Array<[from: number, target: number]> = []
  for (let i = 0; i < count; i++) {
    const from = pick(live, random)
    let target = pick(live, random)
    while (target === from && live.length > 1) target = pick(live, random)
    pairs.push([from, target])
  }
  const outcomes: LookupOutcome[] = []
  for (let i = 0; i < pairs.length; i += atOnce) outcomes.push(...await cluster.lookups(pairs.slice(i, i + atOnce)))
  for (let i = 0; i < count; i++) {
    const [from, target] = pairs[i]!
    const result = outcomes[i]!
    const targetId = nodes[target]!.id
    hops.push(result.hops)
    requests.push(result.requests)
    toFinish.push(result.finishedAt)
    if (result.targetAt !== null) toTarget.push(result.targetAt)
    if (result.closest.length > 0 && compareDistance(targetId, result.closest[0]!, targetId) === 0) exact++
    recall += overlap(result.closest, trueClosest(targetId, liveNodes, nodes[from]!))
  }
  return {
    lookups: count,
    hops: summarize(hops),
    requests: summarize(requests),
    toTarget: summarize(toTarget),
    toFinish: summarize(toFinish),
    exact,
    recall: count === 0 ? 0 : recall / count
  }
}

/** The ids of the k live nodes nearest to `target` but `asker` (never in its own replies), by one pass. */
export function trueClosest (target: Uint8Array, live: readonly NodeInfo[], asker: NodeInfo, k = K): Uint8Array[] {
  const best: Uint8Array[] = []
  for (const node of live) {
    if (node === asker) continue
    const id = node.id
    if (best.length === k && compareDistance(target, id, best[k - 1]!) >= 0) continue
    let i = best.length
    while (i > 0 && compareDistance(target, id, best[i - 1]!) < 0) i--
    best.splice(i, 0, id)
    if (best.length > k) best.pop()
  }
  return best
}

function overlap (found: readonly Uint8Array[], truth: readonly Uint8Array[]): number {
  if (truth.length === 0) return 1
  const wanted = new Set(truth.map((id) => Buffer.from(id).toString('hex')))
  let hits = 0
  for (const id of found) if (wanted.has(Buffer.from(id).toString('hex'))) hits++
  return hits / truth.length
}

function pick<T> (items: readonly T[], random: Random): T {
  return items[Math.floor(random.next() * items.length)]!
}
