import { randomBytes } from 'node:crypto'
import type { BenchNode, Network } from '../adapters/types.js'
import type { Config } from '../config.js'
import { mean, quantiles } from '../stats.js'
import type { Quantiles } from '../stats.js'
import { oneLookup, round2 } from './common.js'

export interface CommitRun {
  count: number
  /** From the start of a `commit: true` query of the custom command to its end (commits included). */
  latency: Quantiles
  /** Commit requests (custom command with a valid round-trip token) that nodes received, per query. */
  commitsPerQuery: number | null
  /** Request datagrams the asker sent per query, the commits included. */
  requestsPerQuery: number | null
  errors: number
  capped: number
  samples: number[]
}

/** Queries with `commit: true` of the custom command to random targets, one after another. */
export async function runCommit (net: Network, asker: BenchNode, config: Config): Promise<CommitRun> {
  const latencies: number[] = []
  const commits: number[] = []
  const requests: number[] = []
  let errors = 0
  let capped = 0
  for (let i = 0; i < config.commit.count; i++) {
    const c0 = net.commitsReceived()
    const s = await oneLookup(net, asker, randomBytes(32), 'custom', config.commit.capMs, null, true)
    if (s.error !== null) errors++
    if (s.capped) capped++
    latencies.push(s.ms)
    commits.push(net.commitsReceived() - c0)
    requests.push(s.requests)
  }
  return {
    count: config.commit.count,
    latency: quantiles(latencies),
    commitsPerQuery: mean(commits),
    requestsPerQuery: mean(requests),
    errors,
    capped,
    samples: latencies.map(round2)
  }
}
