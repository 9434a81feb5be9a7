import { IMPLS } from '../adapters/types.js'
import type { ImplKey } from '../adapters/types.js'
import { median } from '../stats.js'
import type { Results } from './results.js'

/** The fewest requests a lookup for the k = 20 closest can send: one to each of them. */
export const MIN_LOOKUP_REQUESTS = 20

/** What the bare-UDP floor allows C concurrent lookups, for each implementation. */
export interface LookupFloor {
  concurrency: number
  /** Per implementation: its requests per lookup at this concurrency (median over repeats) and the lowest mean latency they allow. */
  byImpl: Record<ImplKey, { requests: number | null, floorMs: number | null }>
  /** The lowest mean latency of a lookup that sends only {@link MIN_LOOKUP_REQUESTS} requests. */
  minimalFloorMs: number
}

/** Median bare-UDP request/reply pairs per second over the run's floor measurements. */
export function floorPairsPerSecond (r: Pick<Results, 'floor'>): number | null {
  return median(r.floor.filter((x) => x.ok).map((x) => x.result?.pairsPerSecond))
}

/**
 * Little's law for a closed loop of C lookups of L requests each, on a machine that turns at
 * most P request/reply pairs a second: at most P / L lookups complete a second, so their mean
 * latency is at least C * L / P.
 */
export function meanLatencyFloorMs (concurrency: number, requestsPerLookup: number, pairsPerSecond: number): number {
  return 1000 * concurrency * requestsPerLookup / pairsPerSecond
}

export function lookupFloors (r: Pick<Results, 'floor' | 'network' | 'meta'>): LookupFloor[] {
  const pairs = floorPairsPerSecond(r)
  if (pairs === null || pairs <= 0) return []
  return r.meta.config.throughput.lookupConcurrency.map((concurrency, i) => {
    const byImpl = {} as LookupFloor['byImpl']
    for (const impl of IMPLS) {
      const requests = median(r.network.filter((x) => x.ok && x.impl === impl).map((x) => x.result?.throughput?.lookups[i]?.requestsPerOp))
      byImpl[impl] = { requests, floorMs: requests === null ? null : meanLatencyFloorMs(concurrency, requests, pairs) }
    }
    return { concurrency, byImpl, minimalFloorMs: meanLatencyFloorMs(concurrency, MIN_LOOKUP_REQUESTS, pairs) }
  })
}
